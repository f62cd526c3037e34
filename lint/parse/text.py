"""Plain-text articles (often scraped): one block per paragraph, headings and bullets by heuristics."""

from __future__ import annotations

import re

from ..article import Article, ArticleBuilder
from ..source import Source
from . import BARE_DIRECTIVE

_BULLET = re.compile(r"^[ \t]*(?:[•●▪◦‣∙·*+\-–]|\d{1,3}[.)])[ \t]+")
_TERMINAL = tuple(".!;,…\"”'’)")
_DEFINITION = re.compile(r"^[ \t]*[A-Z][\w'’-]*(?:[ \t][\w'’-]+){0,3}[ \t]+[–—-][ \t]+[a-z]")
MAX_HEADING_WORDS = 14


def parse_text(source: Source) -> Article:
    lines = _content_lines(source)
    builder = ArticleBuilder()
    definitions = _definition_runs([source.text[start:end] for start, end in lines])
    for index, (start, end) in enumerate(lines):
        line = source.text[start:end]
        bullet = _BULLET.match(line)
        if bullet:
            kind, start = "list_item", start + bullet.end()
        elif index in definitions:
            kind = "list_item"
        elif _is_heading(line, _next_line(source, lines, index)):
            kind = "heading"
        else:
            kind = "paragraph"
            builder.end_list()
        stripped = source.text[start:end].strip()
        if not stripped:
            continue
        offset = start + source.text[start:end].index(stripped)
        builder.start_block(kind, level=_heading_level(stripped, builder) if kind == "heading" else 0, src_at=offset)
        builder.text.copy(stripped, offset)
        builder.end_block()
    return builder.build(source, "text")


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


def _content_lines(source: Source) -> list[tuple[int, int]]:
    """(start, end) offsets of every non-blank line, end excluding the terminator."""
    result = []
    for number in range(1, source.lines.line_count + 1):
        line = source.lines.line_text(number).strip()
        if line and not BARE_DIRECTIVE.match(line):
            start = source.lines.offset(number)
            result.append((start, source.lines.line_end(number)))
    return result


def _next_line(source: Source, lines: list[tuple[int, int]], index: int) -> str | None:
    if index + 1 >= len(lines):
        return None
    start, end = lines[index + 1]
    return source.text[start:end].strip()


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
