"""Plain-text articles (often scraped): one block per paragraph, headings and bullets by heuristics.

Scraped text holds one paragraph per line. Hard-wrapped text (exports, e-mails, READMEs) breaks each paragraph
into lines of a common width; in a file that reads that way, the lines of one paragraph are joined into one
block, each line break standing for a space on the source newline (like a Markdown soft break).
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple, TypeGuard

from ..article import Article, ArticleBuilder
from ..source import Source
from . import BARE_DIRECTIVE

_BULLET = re.compile(r"^[ \t]*(?:[•●▪◦‣∙·*+\-–]|\d{1,3}[.)])[ \t]+")
_MARKER = re.compile(r"^[ \t]*(?:(?:[•●▪◦‣∙·*+\-–—]|\d{1,3}[.)])[ \t]|[•●▪◦‣∙·*+\-–—][ \t]*$)")  # a bullet, or a lone bullet sign
_MINOR_WORD = re.compile(r"(?i)(?:a|an|and|as|at|by|for|from|in|into|of|on|or|the|to|vs\.?|with|without)")
_TERMINAL = tuple(".!;,…\"”'’)")
_SENTENCE_END = tuple(".!?:;…")
_DEFINITION = re.compile(r"^[ \t]*[A-Z][\w'’-]*(?:[ \t][\w'’-]+){0,3}[ \t]+[–—-][ \t]+[a-z]")
MAX_HEADING_WORDS = 14
WRAP_WIDTHS = range(50, 121)  # fill columns a hard-wrapped file may use
MIN_WRAP_BREAKS = 3  # line breaks after filled lines needed to judge a file hard-wrapped
FULL_SHARE = 0.6  # of the breaks after lines not short, the share after a line filled up to the width
MID_SENTENCE_SHARE = 0.5  # of the filled lines, the share ending mid-sentence
WIDTH_TOLERANCE = 2  # columns a wrapped line may fall short of the width and still count as filled


class _Line(NamedTuple):
    """A non-blank source line: its 1-based number, offsets (terminator excluded) and text."""

    number: int
    start: int
    end: int
    text: str


def parse_text(source: Source) -> Article:
    lines = _content_lines(source)
    groups = _paragraphs(lines, _wrap_width(lines))
    texts = [" ".join(line.text.strip() for line in group) for group in groups]
    definitions = _definition_runs(texts)
    builder = ArticleBuilder()
    for index, group in enumerate(groups):
        bullet = _BULLET.match(group[0].text)
        if bullet or index in definitions:
            kind = "list_item"
        elif _is_heading(texts[index], texts[index + 1] if index + 1 < len(texts) else None):
            kind = "heading"
        else:
            kind = "paragraph"
            builder.end_list()
        level = _heading_level(texts[index], builder) if kind == "heading" else 0
        _add_block(builder, group, bullet.end() if bullet else 0, kind, level)
    return builder.build(source, "text")


def _add_block(builder: ArticleBuilder, group: list[_Line], skip: int, kind: str, level: int) -> None:
    """One block from a paragraph's lines (the first without its bullet), each break a space on the newline."""
    pieces = [_trimmed(line, skip if position == 0 else 0) for position, line in enumerate(group)]
    present = [(line, text, offset) for line, (text, offset) in zip(group, pieces) if text]
    if not present:
        return
    builder.start_block(kind, level=level, src_at=present[0][2])
    previous: _Line | None = None
    for line, text, offset in present:
        if previous is not None and not _hyphenated(previous.text, text):
            builder.text.replace(" ", previous.end, line.start)
        builder.text.copy(text, offset)
        previous = line
    builder.end_block()


def _trimmed(line: _Line, skip: int) -> tuple[str, int]:
    """The line's text from `skip` on without surrounding whitespace, and its source offset."""
    rest = line.text[skip:]
    text = rest.strip()
    return text, line.start + skip + (rest.index(text) if text else 0)


def _hyphenated(line: str, following: str) -> bool:
    """Whether a word was broken after its hyphen ("electric-" / "shock"): the parts join without a space."""
    line = line.rstrip()
    return len(line) > 1 and line[-1] == "-" and line[-2].isalpha() and following[:1].isalpha()


def _definition_runs(lines: list[str]) -> set[int]:
    """Indexes of lines in runs of two or more "Term – description" lines: a list whose bullets were lost."""
    shaped = [bool(_DEFINITION.match(line)) for line in lines]
    return {
        index
        for index, is_shaped in enumerate(shaped)
        if is_shaped and ((index > 0 and shaped[index - 1]) or (index + 1 < len(shaped) and shaped[index + 1]))
    }


def _heading_level(text: str, builder: ArticleBuilder) -> int:
    """1 for a title opening the article, 3 for a label ending in ':', else 2."""
    if not builder.blocks:
        return 1
    return 3 if text.endswith(":") else 2


def _content_lines(source: Source) -> list[_Line]:
    """Every non-blank line that is not a directive."""
    result = []
    for number in range(1, source.lines.line_count + 1):
        text = source.lines.line_text(number)
        if text.strip() and not BARE_DIRECTIVE.match(text.strip()):
            start = source.lines.offset(number)
            result.append(_Line(number, start, start + len(text), text))
    return result


def _breaks(lines: list[_Line]) -> list[tuple[_Line, _Line]]:
    """Pairs of adjacent source lines where the second could continue the first (it is no bullet)."""
    return [
        (line, following)
        for line, following in zip(lines, lines[1:])
        if following.number == line.number + 1 and not _MARKER.match(following.text)
    ]


def _wrap_width(lines: list[_Line]) -> int | None:
    """The fill width of a hard-wrapped file, None for text with a paragraph per line.

    The width is the 90th percentile of the lengths of lines followed by another (no bullet). Hard-wrapped:
    it is at most 120 columns, most of those lines that are not short (headings, labels) fill up to it,
    and most filled lines end mid-sentence (a paragraph per line ends its lines with full stops)."""
    ends = [line.text.rstrip() for line, _ in _breaks(lines)]
    if not ends:
        return None
    width = sorted(len(text) for text in ends)[math.ceil(0.9 * len(ends)) - 1]
    if width not in WRAP_WIDTHS:
        return None
    long = [text for text in ends if len(text) >= width // 2]
    filled = [text for text in long if len(text) >= width - _slack(width)]
    mid_sentence = sum(1 for text in filled if not text.endswith(_SENTENCE_END))
    if len(filled) < MIN_WRAP_BREAKS or len(filled) < FULL_SHARE * len(long):
        return None
    return width if mid_sentence >= MID_SENTENCE_SHARE * len(filled) else None


def _slack(width: int) -> int:
    """How far short of the width a filled line may end: the next word did not fit."""
    return max(15, width // 5)


def _paragraphs(lines: list[_Line], width: int | None) -> list[list[_Line]]:
    """The lines grouped into paragraphs: one line each unless the file is hard-wrapped."""
    groups: list[list[_Line]] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if width and groups and _continues(groups[-1], line, following, width):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _continues(group: list[_Line], line: _Line, following: _Line | None, width: int) -> bool:
    """Whether a line of a hard-wrapped file continues the paragraph (or bullet) above it.

    It must follow directly, after a line filled up to the width (the next word did not fit) or going on
    in lower case. A bullet starts a new block unless the wrapping carried it into a paragraph's unfinished
    sentence. A title-case line is a heading (a title-case run of two lines, one wrapped heading), and so is
    a heading-like line after a finished sentence."""
    previous = group[-1]
    if not _followed(previous, line):
        return False
    before = previous.text.rstrip()
    if len(group) == 1 and _title_case(before):
        wrapped_title = _title_case(line.text) and not _followed(line, following)
        return wrapped_title and _forced(before, line.text, width)
    if _MARKER.match(line.text):
        in_sentence = not _MARKER.match(group[0].text) and not before.endswith(_SENTENCE_END)
        return in_sentence and len(line.text.split()) > 1 and _forced(before, line.text, width)
    if before.endswith(_SENTENCE_END) and _stands_alone(line, following, width):
        return False
    goes_on = line.text.lstrip()[:1].islower() and len(before) >= width // 2
    return goes_on or _forced(before, line.text, width)


def _stands_alone(line: _Line, following: _Line | None, width: int) -> bool:
    """Whether a line reads as a heading of its own: title case, or heading-like and not filled up."""
    if _title_case(line.text):
        return True
    if not _is_heading(line.text, following.text if following else None):
        return False
    return not (_followed(line, following) and _forced(line.text, following.text, width))


def _followed(line: _Line, following: _Line | None) -> TypeGuard[_Line]:
    """Whether the next content line follows directly (no blank or directive line between)."""
    return following is not None and following.number == line.number + 1


def _title_case(text: str) -> bool:
    """Whether every word but the minor ones starts in upper case: "Side Effects of Clonazepam"."""
    words = [word.strip("()[]\"'“”‘’,:;?!") for word in text.split()]
    major = [word for word in words if word[:1].isalpha() and not _MINOR_WORD.fullmatch(word)]
    if len(major) < 2 or text.rstrip().endswith((".", ",", ";")):
        return False
    return all(word[0].isupper() for word in major)


def _forced(line: str, following: str, width: int) -> bool:
    """Whether the next line's first word would not have fit at the end of this one."""
    words = following.split()
    return len(line.rstrip()) + 1 + len(words[0] if words else "") > width - WIDTH_TOLERANCE


def _is_heading(line: str, following: str | None) -> bool:
    """A short line without terminal punctuation (or a question, or a label ending in ':') before prose."""
    text = line.strip()
    if not text or following is None or _BULLET.match(line):
        return False
    words = text.split()
    if len(words) > MAX_HEADING_WORDS or len(text) > 120:
        return False
    if text.endswith("?") or text.endswith(":"):
        return len(following.split()) > len(words) or bool(_BULLET.match(following))
    if text.endswith(_TERMINAL):
        return False
    return text[0].isupper() or text[0].isdigit()
