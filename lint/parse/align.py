"""Aligning text that a parser produced (entities decoded, escapes and markup removed) with its source."""

from __future__ import annotations

import html
import re

from ..article import TextBuilder

_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
MAX_SKIP = 400


def align_into(builder: TextBuilder, content: str, source: str, cursor: int, limit: int | None = None) -> int:
    """Append content to builder, mapping each character to where it stands in source from cursor on.

    Characters are matched in order; markup between them is skipped, backslash escapes and HTML
    entities are mapped as replacements. Returns the source offset after the last matched character.
    A character that cannot be found maps to the cursor (zero width), so alignment never fails.
    """
    limit = len(source) if limit is None else limit
    after = cursor + len(content)
    if after <= limit and source.startswith(content, cursor) and not _has_special(source, cursor, after):
        builder.copy(content, cursor)  # the usual case: plain text, found as it stands
        return after
    index = 0
    while index < len(content):
        char = content[index]
        found = _find_char(source, char, cursor, limit)
        if found is None:
            builder.replace(char, cursor, cursor)
            index += 1
            continue
        start, end = found
        if end - start == 1 and source[start] == char:
            run = _verbatim_run(content, index, source, start, limit)
            builder.copy(content[index : index + run], start)
            index += run
            cursor = start + run
        else:
            builder.replace(char, start, end)
            index += 1
            cursor = end
    return cursor


def _has_special(source: str, start: int, end: int) -> bool:
    """Whether source[start:end] holds an `&` or `\\` (an entity or escape may stand there)."""
    return source.find("&", start, end) != -1 or source.find("\\", start, end) != -1


def _verbatim_run(content: str, index: int, source: str, start: int, limit: int) -> int:
    """How many characters of content from index stand verbatim in source from start (at least 1).

    The run stops before any `&` or `\\` in the source: entities and escapes are mapped one by one.
    """
    stop = min(limit, start + len(content) - index)
    for special in "&\\":
        found = source.find(special, start, stop)
        stop = stop if found == -1 else found
    if content.startswith(source[start:stop], index):
        return max(stop - start, 1)
    matched, unmatched = 0, stop - start  # binary search for the longest common prefix
    while unmatched - matched > 1:
        middle = (matched + unmatched) // 2
        if content.startswith(source[start : start + middle], index):
            matched = middle
        else:
            unmatched = middle
    return max(matched, 1)


def _find_char(source: str, char: str, cursor: int, limit: int) -> tuple[int, int] | None:
    """Where char stands in source after cursor: itself, an escape, or an entity that decodes to it."""
    stop = min(limit, cursor + MAX_SKIP)
    position = cursor
    while position < stop:
        current = source[position]
        if current == "\\" and position + 1 < limit and source[position + 1] == char:
            return position, position + 2
        if current == "&":
            match = _ENTITY.match(source, position)
            if match and html.unescape(match.group(0)) == char:
                return position, match.end()
        if current == char:
            return position, position + 1
        position += 1
    return None
