"""Phrase patterns searched fast in lower-cased text.

`re.IGNORECASE` makes a search several times slower: Python's engine then gets no literal prefix
to jump to and no quick first-character test between alternatives. In text that is already
lower-cased, a pattern written in lower-case ASCII finds the same matches without the flag, except
where the text holds `ı` or `ſ`, which IGNORECASE equates with `i` and `s`: such text is searched
with the flag, and so is any pattern holding an upper-case letter.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Iterable

_UNESCAPED_UPPER = re.compile(r"(?<!\\)[A-Z]")
_FOLDED_BY_IGNORECASE = ("ı", "ſ")


class LowerCasePatterns:
    """Regexes matched case-insensitively in lower-cased text."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        self._plain = tuple(re.compile(pattern, 0 if _lower_case(pattern) else re.IGNORECASE) for pattern in self.patterns)

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
        return any(pattern.search(lowered) for pattern in self.compiled(lowered))

    def may_match(self, text: str, whole: bool = False) -> bool:
        """Whether a pattern may match in `text` (all of it when `whole`), case-insensitively; `text`
        is not lower-cased. A quick screen, never False when one does."""
        lowered = lower_in_place(text)
        if lowered is None:
            return True
        return any((pattern.fullmatch if whole else pattern.search)(lowered) for pattern in self.compiled(lowered))


def lower_in_place(text: str) -> str | None:
    """`text` lower-cased, each character where it was; None when lower-casing would move them
    (`İ` is the one character whose lower case is two)."""
    return None if "İ" in text else text.lower()


def union(patterns: Iterable[str]) -> str:
    """One pattern that matches wherever any of `patterns` does."""
    return "|".join(f"(?:{pattern})" for pattern in patterns)


def _lower_case(pattern: str) -> bool:
    return pattern.isascii() and not _UNESCAPED_UPPER.search(pattern)
