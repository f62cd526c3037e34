"""Parsing: Source -> Article (prose blocks + offset map + front matter + inline directives)."""

from __future__ import annotations

import re
from pathlib import PurePath

from ..article import Article, Directive
from ..source import Source

FORMATS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html"}
_DIRECTIVE = re.compile(r"<!--\s*healthlint-(disable-next-line|disable-line|disable|enable)\b([^\n]*?)(?:-->|$)", re.MULTILINE)
BARE_DIRECTIVE = re.compile(r"^[ \t]*healthlint-(disable-next-line|disable-line|disable|enable)\b([^\n]*?)[ \t]*\r?$", re.MULTILINE)


def format_for(path: str) -> str:
    """The article format from a file name; unknown extensions are read as plain text."""
    return FORMATS.get(PurePath(path).suffix.lower(), "text")


def parse(source: Source, fmt: str | None = None) -> Article:
    fmt = fmt or format_for(source.path)
    if fmt == "markdown":
        from .markdown import parse_markdown

        article = parse_markdown(source)
    elif fmt == "html":
        from .html import parse_html

        article = parse_html(source)
    else:
        from .text import parse_text

        article = parse_text(source)
    directives = find_directives(source, bare_lines=fmt == "text")
    article.directives = [directive for directive in directives if directive.line not in article.code_lines]
    return article


def find_directives(source: Source, bare_lines: bool = False) -> list[Directive]:
    """Inline suppression comments: `<!-- healthlint-disable RULE -->`, or (text files) a bare directive line."""
    directives = []
    matches = list(_DIRECTIVE.finditer(source.text))
    if bare_lines:
        matches = sorted(matches + list(BARE_DIRECTIVE.finditer(source.text)), key=lambda match: match.start())
    for match in matches:
        listed = re.split(r"\s--\s|\s--$", match.group(2))[0]  # `-- why` after the ids explains the suppression
        names = tuple(name for name in re.split(r"[\s,]+", listed.strip()) if name)
        line, column = source.lines.position(match.start())
        directives.append(Directive(match.group(1), names, line, column))
    return directives
