"""Matcher-style token patterns matched over the token table, only where they can match.

spaCy's Matcher tests its patterns at every token of a Doc and builds a Token object for each test.
Our components' patterns are short and each holds an "anchor" token (a number, a year), so every match
starts within a few tokens of an anchor; `TokenPatterns` finds, from given start tokens only, the
matches spaCy's Matcher would return with `greedy="LONGEST"`, reading plain strings from the token table.

The patterns are written as spaCy Matcher patterns, restricted to what the components need:
- token attributes `ORTH`/`TEXT` (the token's text) and `LOWER`, compared with a string, `{"IN": [...]}`
  or `{"REGEX": pattern}` (searched, as spaCy does), and the flags `IS_ALPHA` / `IS_TITLE`
  (`str.isalpha()` / `str.istitle()`, spaCy's definitions);
- the operator `"OP": "?"` (each pattern is expanded into its variants with and without the element).

Matching: the variants form a trie of elements; from each start token it is walked with the token's
element set (a bit mask), giving every (key, start, end) match,
as the Matcher's own search does. Then, per key, the longest matches are kept first (ties: the earlier
start), dropping any that overlaps a kept one: the Matcher's LONGEST filter.

A token's mask depends on its text alone (its lower-case form is the text's), so each TokenPatterns
remembers the masks it has worked out, by text, across calls: the same words ("mg", "of", "2019")
recur in every article, and most regex tests are then never run again. The memo holds only
(str -> int) pairs of that pure function, so it cannot carry anything from one Doc into another's
results; it is emptied when it reaches MASK_MEMO_SIZE texts, which bounds its memory.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Callable, Iterable

from .tokens import TokenTable

Pattern = list[dict[str, Any]]
_ATTRIBUTES = {"ORTH": "text", "TEXT": "text", "LOWER": "lower"}
_FLAGS: dict[str, Callable[[str], bool]] = {"IS_ALPHA": str.isalpha, "IS_TITLE": str.istitle}
MASK_MEMO_SIZE = 20_000  # token texts whose masks a TokenPatterns remembers at most (see the module docstring)


@dataclass
class _Node:
    """A trie node: the elements that continue a pattern from here, and the keys whose patterns end here."""

    edges: dict[int, "_Node"] = field(default_factory=dict)  # by element bit
    any_edge: int = 0  # the union of the edges' bits
    keys: list[str] = field(default_factory=list)


class TokenPatterns:
    """Named groups of Matcher patterns (see the module docstring), matched from given start tokens."""

    def __init__(self) -> None:
        self._root = _Node()
        self._bits: dict[str, int] = {}
        self._lower: dict[str, int] = {}
        self._text: dict[str, int] = {}
        self._tests: list[tuple[int, Callable[[str], Any]]] = []
        self._masks: dict[str, int] = {}
        self.groups: dict[str, list[Pattern]] = {}

    def add(self, key: str, patterns: list[Pattern]) -> None:
        """Add patterns under `key` (matched like `Matcher.add(key, patterns, greedy="LONGEST")`)."""
        self.groups.setdefault(key, []).extend(patterns)
        self._masks.clear()  # remembered masks lack the bits of elements added now
        for pattern in patterns:
            for variant in _variants(pattern):
                if not variant:
                    raise ValueError(f"TokenPatterns: a pattern of {key!r} can match no token")
                node = self._root
                for element in variant:
                    node = self._child(node, self._bit(element))
                node.keys.append(key)

    def matches(self, table: TokenTable, starts: Iterable[int]) -> list[tuple[str, int, int]]:
        """(key, start, end) of the filtered matches that start at one of `starts`, in (start, end) order.

        The same as the Matcher's on the whole Doc when every match starts at one of `starts`."""
        found: dict[str, set[tuple[int, int]]] = {key: set() for key in self.groups}
        texts, lowers = table.text, table.lower
        size = len(texts)
        masks = self._masks
        for start in set(starts):
            if not 0 <= start < size:
                continue
            pending = [(self._root, start)]
            while pending:
                node, index = pending.pop()
                for key in node.keys:
                    found[key].add((start, index))
                if index == size or not node.any_edge:
                    continue
                mask = masks.get(texts[index])
                if mask is None:
                    mask = self._remember(texts[index], lowers[index])
                taken = mask & node.any_edge
                while taken:  # one step per element the token matches (mostly none or one)
                    bit = taken & -taken
                    pending.append((node.edges[bit], index + 1))
                    taken ^= bit
        kept = [(key, start, end) for key, pairs in found.items() for start, end in _longest(pairs)]
        return sorted(kept, key=lambda match: (match[1], match[2]))

    def _remember(self, text: str, lower: str) -> int:
        """The token's mask, worked out and kept in the bounded memo (see the module docstring)."""
        if len(self._masks) >= MASK_MEMO_SIZE:
            self._masks.clear()
        mask = self._masks[text] = self._mask(text, lower)
        return mask

    def _mask(self, text: str, lower: str) -> int:
        """The bits of the elements a token with this text matches."""
        mask = self._text.get(text, 0) | self._lower.get(lower, 0)
        for bit, test in self._tests:
            if test(text):
                mask |= bit
        return mask

    def _child(self, node: _Node, bit: int) -> _Node:
        if bit not in node.edges:
            node.edges[bit] = _Node()
            node.any_edge |= bit
        return node.edges[bit]

    def _bit(self, element: dict[str, Any]) -> int:
        """The bit standing for an element (without its operator); equal elements share one."""
        condition = {name: value for name, value in element.items() if name != "OP"}
        name = json.dumps(condition, sort_keys=True)
        if name not in self._bits:
            bit = self._bits[name] = 1 << len(self._bits)
            self._register(bit, condition)
        return self._bits[name]

    def _register(self, bit: int, condition: dict[str, Any]) -> None:
        """File the element under a text or lower-case lookup when it is one string comparison, else as a test."""
        if len(condition) == 1:
            (attribute, value), = condition.items()
            words = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) and set(value) == {"IN"} else None
            if attribute in _ATTRIBUTES and words is not None:
                table = self._text if _ATTRIBUTES[attribute] == "text" else self._lower
                for word in words:
                    table[word] = table.get(word, 0) | bit
                return
        tests = [_test(attribute, value) for attribute, value in condition.items()]
        self._tests.append((bit, tests[0] if len(tests) == 1 else lambda text: all(test(text) for test in tests)))


def _test(attribute: str, value: Any) -> Callable[[str], Any]:
    """One attribute condition as a function of the token's text (true when the token meets it)."""
    if attribute in _FLAGS and isinstance(value, bool):
        flag = _FLAGS[attribute]
        return lambda text: flag(text) == value
    if attribute not in _ATTRIBUTES:
        raise ValueError(f"TokenPatterns: unsupported attribute {attribute!r}")
    lower_case = _ATTRIBUTES[attribute] == "lower"
    if isinstance(value, str):
        return lambda text: (text.lower() if lower_case else text) == value
    if isinstance(value, dict) and set(value) == {"IN"}:
        words = set(value["IN"])
        return lambda text: (text.lower() if lower_case else text) in words
    if isinstance(value, dict) and set(value) == {"REGEX"}:
        search = re.compile(value["REGEX"]).search
        return (lambda text: search(text.lower())) if lower_case else search
    raise ValueError(f"TokenPatterns: unsupported condition {attribute}: {value!r}")


def _variants(pattern: Pattern) -> list[Pattern]:
    """The pattern's element sequences, each optional ("?") element present or absent."""
    choices = []
    for element in pattern:
        operator = element.get("OP")
        if operator not in (None, "?"):
            raise ValueError(f"TokenPatterns: unsupported operator {operator!r}")
        choices.append([[element], []] if operator == "?" else [[element]])
    return [[element for part in parts for element in part] for parts in product(*choices)]


def _longest(pairs: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The Matcher's LONGEST filter: longest first (ties: earlier start), none overlapping a kept one."""
    kept = []
    taken: set[int] = set()
    for start, end in sorted(pairs, key=lambda pair: (pair[1] - pair[0], -pair[0]), reverse=True):
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end))
            taken.update(range(start, end))
    return kept
