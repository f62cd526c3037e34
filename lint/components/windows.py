"""Running a spaCy Matcher only where it can match.

A Matcher tests its patterns at every token of the Doc. When every pattern must contain an "anchor"
token (a number, a year) and is at most a few tokens long, every match lies inside a small window
around an anchor; matching those windows alone finds exactly the same matches far faster.
"""

from __future__ import annotations

from typing import Iterable

from spacy.matcher import Matcher
from spacy.tokens import Doc


def windows(anchors: Iterable[int], before: int, after: int, length: int) -> list[tuple[int, int]]:
    """Token ranges [first, last) covering `before` tokens before and `after` tokens after each anchor
    (anchors in ascending order), overlapping ranges merged, clipped to [0, length)."""
    merged: list[tuple[int, int]] = []
    for anchor in anchors:
        first, last = max(0, anchor - before), min(length, anchor + after + 1)
        if merged and first < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def match_near(matcher: Matcher, doc: Doc, anchors: Iterable[int], before: int, after: int) -> list[tuple[int, int, int]]:
    """(match_id, start, end) of the Doc's matches, found in the windows around the anchors only.

    Exact when every match holds an anchor at most `before` tokens after its start and `after` tokens
    before its end: each match then lies in one merged window, and greedy filtering never compares
    matches of different windows since they cannot overlap."""
    found: list[tuple[int, int, int]] = []
    for first, last in windows(anchors, before, after, len(doc)):
        found += [(key, first + start, first + end) for key, start, end in matcher(doc[first:last])]
    return found
