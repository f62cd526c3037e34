"""Phrase patterns searched fast in lower-cased text.

`re.IGNORECASE` makes a search several times slower: Python's engine then gets no literal prefix
to jump to and no quick first-character test between alternatives. In text that is already
lower-cased, a pattern written in lower-case ASCII (and caseless symbols) finds the same matches without the flag, except
where the text holds `ı` or `ſ`, which IGNORECASE equates with `i` and `s`: such text is searched
with the flag, and so is any pattern holding an upper-case letter.

A pattern searched without the flag is first screened by literals one of which every match contains
(see `required_literals`): substring tests cost far less than a search, and most prose holds none
of a phrase's words.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from re import _constants, _parser  # the regex parser of the standard library, to read a pattern's literals
from typing import Any, Iterable, Iterator

_UNESCAPED_UPPER = re.compile(r"(?<!\\)[A-Z]")
_FOLDED_BY_IGNORECASE = ("ı", "ſ")


class LowerCasePatterns:
    """Regexes matched case-insensitively in lower-cased text."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        self._plain = tuple(re.compile(pattern, 0 if _lower_case(pattern) else re.IGNORECASE) for pattern in self.patterns)
        self._screened = tuple((required_literals(compiled), compiled) for compiled in self._plain)

    @cached_property
    def _ignoring_case(self) -> tuple[re.Pattern[str], ...]:
        """Compiled on first need: text holding `ı` or `ſ` is rare."""
        return tuple(re.compile(pattern, re.IGNORECASE) for pattern in self.patterns)

    def compiled(self, text: str) -> tuple[re.Pattern[str], ...]:
        """The compiled patterns to search the lower-cased form of `text` with (`text` may be either)."""
        if any(char in text for char in _FOLDED_BY_IGNORECASE):
            return self._ignoring_case
        return self._plain

    def search(self, lowered: str) -> bool:
        """Whether any pattern matches in `lowered` (lower-cased text)."""
        if "ı" in lowered or "ſ" in lowered:  # _FOLDED_BY_IGNORECASE
            return any(pattern.search(lowered) for pattern in self._ignoring_case)
        for literals, pattern in self._screened:
            if (not literals or any(literal in lowered for literal in literals)) and pattern.search(lowered):
                return True
        return False

    def spans_to_search(self, lowered: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Those of the sorted, disjoint [start, end) `spans` of `lowered` (lower-cased text) in which
        a pattern may match: the ones holding a required literal of some pattern. The literals are
        looked for once in the whole text, so spans without any cost nothing."""
        if "ı" in lowered or "ſ" in lowered or not all(literals for literals, _ in self._screened):
            return spans
        span_starts = [start for start, _ in spans]
        chosen: set[int] = set()
        for literal in {literal for literals, _ in self._screened for literal in literals}:
            for position in _positions(lowered, literal):
                index = bisect.bisect_right(span_starts, position) - 1
                if index >= 0 and position + len(literal) <= spans[index][1]:
                    chosen.add(index)
        return [spans[index] for index in sorted(chosen)]

    def may_match(self, text: str, whole: bool = False) -> bool:
        """Whether a pattern may match in `text` (all of it when `whole`), case-insensitively; `text`
        is not lower-cased. A quick screen, never False when one does."""
        lowered = lower_in_place(text)
        if lowered is None:
            return True
        if "ı" in lowered or "ſ" in lowered:  # _FOLDED_BY_IGNORECASE
            return any((pattern.fullmatch if whole else pattern.search)(lowered) for pattern in self._ignoring_case)
        for literals, pattern in self._screened:
            if (not literals or any(literal in lowered for literal in literals)) and (pattern.fullmatch if whole else pattern.search)(lowered):
                return True
        return False


def _positions(text: str, literal: str) -> Iterator[int]:
    """Where `literal` starts in `text`, overlaps included."""
    position = text.find(literal)
    while position != -1:
        yield position
        position = text.find(literal, position + 1)


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Strings one of which every match of `pattern` contains: a run of literal characters in the
    pattern's top-level sequence, or one from each alternative of a group in it, whichever has the
    longest shortest string. () when there are none, or when case is ignored (no screen)."""
    if pattern.flags & re.IGNORECASE:
        return ()
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except re.error:
        return ()
    if parsed.state.flags & re.IGNORECASE:  # an inline (?i)
        return ()
    return _sequence_literals(list(parsed))


def opens_with_repeat(pattern: str) -> bool:
    """Whether `pattern` opens with an optional run of several items (`.{0,120}`, `(?:\\w+\\s+){0,3}`):
    a match may then start at any character, so the engine cannot rule a text out by its first one."""
    try:
        parsed = list(_parser.parse(pattern))
    except re.error:
        return False
    if not parsed or parsed[0][0] not in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
        return False
    low, high, _ = parsed[0][1]
    return low == 0 and high > 1


def _sequence_literals(items: list[tuple[Any, Any]]) -> tuple[str, ...]:
    """The best choice of required literals among the mandatory items of a parsed sequence."""
    best: tuple[str, ...] = ()
    run = ""
    for opcode, argument in [*items, (None, None)]:
        if opcode is _constants.LITERAL:
            run += chr(argument)
            continue
        if run:
            best = _better(best, (run,))
            run = ""
        if opcode is _constants.SUBPATTERN and not argument[1] & re.IGNORECASE:  # (group, add_flags, del_flags, items)
            best = _better(best, _sequence_literals(list(argument[3])))
        elif opcode is _constants.BRANCH:
            best = _better(best, _branch_literals(argument[1]))
    return best


def _branch_literals(alternatives: list[Any]) -> tuple[str, ...]:
    """One required literal set per alternative, joined; () when some alternative has none. A string
    holding another of the set adds nothing and is dropped."""
    found: set[str] = set()
    for alternative in alternatives:
        literals = _sequence_literals(list(alternative))
        if not literals:
            return ()
        found.update(literals)
    return tuple(sorted(text for text in found if not any(other != text and other in text for other in found)))


def _better(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    """The literal set with the longer shortest string (then the smaller set); () counts as none."""
    if not second:
        return first
    if not first:
        return second
    return min(first, second, key=lambda literals: (-min(map(len, literals)), len(literals)))


def lower_in_place(text: str) -> str | None:
    """`text` lower-cased, each character where it was; None when lower-casing would move them
    (`İ` is the one character whose lower case is two)."""
    return None if "İ" in text else text.lower()


def union(patterns: Iterable[str]) -> str:
    """One pattern that matches wherever any of `patterns` does."""
    return "|".join(f"(?:{pattern})" for pattern in patterns)


def _lower_case(pattern: str) -> bool:
    """No upper-case ASCII letter, and no other character with a case (symbols such as `©`, `→`
    or `•` have none: the regex compiler makes IGNORECASE a no-op for them)."""
    return not _UNESCAPED_UPPER.search(pattern) and all(char.isascii() or char.lower() == char == char.upper() for char in pattern)
