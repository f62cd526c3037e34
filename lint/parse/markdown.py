"""Markdown articles: markdown-it-py tokens -> prose blocks with exact source offsets."""

from __future__ import annotations

import re
from functools import lru_cache

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..article import Article, ArticleBuilder, Link
from ..source import Source
from .align import align_into
from .blockscreen import screen_block_rules
from .frontmatter import split_front_matter
from .html import add_html_prose

_CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-+*]|\d{1,9}[.)])(?=[ \t\r\n]|$)[ \t]?)*[ \t]*")
_ATX_MARKER = re.compile(r"#{1,6}(?=[ \t\r\n]|$)[ \t]*")
_SPACING_TAG = re.compile(r"<(?:br|sup|sub)\b", re.IGNORECASE)  # a line break, or a reference number set apart
_LINK_TEXT_END = re.compile(r"[*_~]*\]")
_BLOCK_KINDS = {"heading_open": "heading", "th_open": "table_cell", "td_open": "table_cell"}
_CLOSES_TRACKED = frozenset({"blockquote_close", "bullet_list_close", "ordered_list_close"})  # other closing tokens are skipped
# Marks that any link linkify-it finds contains: an e-mail's `@`, a scheme's `//`, a dot before a letter
# (a top-level domain) or before 1-3 digits and a dot (an IP address); else a scheme such as `http:`,
# `www.` or `localhost`, looked for in the folded text.
_LINK_DOT = re.compile(r"\.(?:[^\W\d_]|\d{1,3}\.)")
_LINK_WORDS = ("www.", "localhost")


class _Linkify(LinkifyIt):
    """linkify-it that first rules out, quickly, text holding no mark of a link.

    linkify-it's own tests are large case-insensitive regexes that cost more than the rest of the
    parse for prose; screening them with a necessary condition changes no result. `pretest` is only
    that screen: markdown-it calls it on a whole paragraph and then `test` on each of its texts, and
    `test` is exact.
    """

    def __init__(self) -> None:
        super().__init__()
        self._words = (*_LINK_WORDS, *(name for name in self._compiled if name))  # schemes such as `http:`

    def pretest(self, text: str) -> bool:
        return self._may_link(text)

    def test(self, text: str) -> bool:
        return self._may_link(text) and super().test(text)

    def _may_link(self, text: str) -> bool:
        """A necessary condition for any of linkify-it's tests."""
        if "@" in text or "//" in text or _LINK_DOT.search(text):
            return True
        folded = text.lower() if text.isascii() else _fold(text)
        for word in self._words:
            if word in folded:
                return True
        return False


def _fold(text: str) -> str:
    """Lower case that keeps every match of a case-insensitive ASCII regex (`İ` -> `i`, `ı` -> `i`, `ſ` -> `s`)."""
    return text.lower().replace("\u0307", "").replace("ı", "i").replace("ſ", "s")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
    parser.linkify = _Linkify()
    return screen_block_rules(parser)


def parse_markdown(source: Source) -> Article:
    front = split_front_matter(source.text)
    body = "\n" * source.text.count("\n", 0, front.end) + source.text[front.end :]
    tokens = _parser().parse(body)
    builder = ArticleBuilder()
    walker = _Walker(source, builder)
    walker.walk(tokens)
    return builder.build(source, "markdown", front_matter=front.data, front_matter_error=front.error, code_lines=frozenset(walker.code_lines))


class _Walker:
    """Walks block tokens, opening a prose block for each heading, paragraph, list item or cell."""

    def __init__(self, source: Source, builder: ArticleBuilder) -> None:
        self.source = source
        self.builder = builder
        self.quote_depth = 0
        self.list_depth = 0
        self.row_cursor: int | None = None
        self.code_lines: set[int] = set()  # source lines inside code blocks

    def walk(self, tokens: list[Token]) -> None:
        kind: str | None = None
        level = 0
        for token in tokens:
            ttype = token.type
            if ttype == "inline":
                if kind is not None:
                    self._inline(token, kind, level)
                    kind = None
            elif ttype == "paragraph_open":
                kind, level = ("list_item" if self.list_depth else "paragraph"), 0
            elif token.nesting == -1 and ttype not in _CLOSES_TRACKED:
                continue
            elif ttype == "blockquote_open":
                self.quote_depth += 1
            elif ttype == "blockquote_close":
                self.quote_depth -= 1
            elif ttype in ("bullet_list_open", "ordered_list_open"):
                self.list_depth += 1
            elif ttype in ("bullet_list_close", "ordered_list_close"):
                self.list_depth -= 1
                if self.list_depth == 0:
                    self.builder.end_list()
            elif ttype == "tr_open":
                self.row_cursor = None
            elif ttype in _BLOCK_KINDS:
                kind = _BLOCK_KINDS[ttype]
                level = int(token.tag[1]) if kind == "heading" else 0
            elif ttype == "html_block":
                self._html_block(token)
            elif ttype in ("fence", "code_block") and token.map:
                self.code_lines.update(range(token.map[0] + 1, token.map[1] + 1))

    def _html_block(self, token: Token) -> None:
        """Prose inside raw HTML blocks (`<p>`, `<table>`...) as the HTML parser reads it.

        Inside a blockquote every line carries `>` markers, which are not HTML: such blocks are skipped.
        """
        if not token.map or self.quote_depth:
            return
        lines = self.source.lines
        start = lines.offset(token.map[0] + 1)
        end = lines.offset(token.map[1] + 1) if token.map[1] < lines.line_count else len(self.source.text)
        add_html_prose(self.source, self.builder, start, end)

    def _content_start(self, token: Token, kind: str) -> int:
        """Where a block's text starts: after the blockquote, list and ATX heading markers of its first line."""
        line = token.map[0] + 1 if token.map else 1
        start = self.source.lines.offset(line)
        prefix = _CONTAINER_PREFIX.match(self.source.text, start)
        start = prefix.end() if prefix and kind != "table_cell" else start
        if kind == "heading":
            marker = _ATX_MARKER.match(self.source.text, start)
            start = marker.end() if marker else start
        return start

    def _inline(self, token: Token, kind: str, level: int) -> None:
        if kind == "table_cell" and self.row_cursor is not None:
            cursor = self.row_cursor
        else:
            cursor = self._content_start(token, kind)
        self.builder.start_block(kind, level=level, quote=self.quote_depth > 0, src_at=cursor)
        cursor = self._children(token.children or [], cursor)
        self.builder.end_block()
        if kind == "table_cell":
            self.row_cursor = self._after_cell(cursor)

    def _after_cell(self, cursor: int) -> int:
        """After the unescaped `|` that ends a table cell (or cursor on the row's last cell)."""
        text = self.source.text
        position = cursor
        while position < len(text) and text[position] != "\n":
            if text[position] == "\\":
                position += 2
                continue
            if text[position] == "|":
                return position + 1
            position += 1
        return cursor

    def _children(self, children: list[Token], cursor: int) -> int:
        text = self.source.text
        link: tuple[int, str] | None = None
        bare_url = False
        for child in children:
            ctype = child.type
            if ctype == "text" and bare_url:
                continue
            if ctype == "text":
                cursor = align_into(self.builder.text, child.content, text, cursor)
            elif ctype in ("softbreak", "hardbreak"):
                newline = text.find("\n", cursor)
                newline = cursor if newline == -1 else newline
                self.builder.text.replace(" ", newline, newline + 1)
                cursor = newline + 1
            elif ctype == "code_inline":
                cursor = self._skip_code(child.markup, cursor)
                self.builder.text.replace(" ", cursor, cursor)
            elif ctype == "html_inline":
                start = self.source.text.find(child.content, cursor)
                cursor = self._skip(child.content, cursor)
                if start != -1 and _SPACING_TAG.match(child.content):
                    self.builder.text.replace(" ", start, cursor)
            elif ctype == "link_open":
                link = (self.builder.text.length, str(child.attrs.get("href", "")))
                found = self._bare_url(child, cursor)
                bare_url = found is not None
                if found is not None:
                    self.builder.text.copy(text[found[0] : found[1]], found[0])
                    cursor = found[1]
            elif ctype == "link_close" and link is not None:
                start, url = link
                self.builder.links.append(Link(start, self.builder.text.length, url))
                if child.markup not in ("linkify", "autolink"):
                    cursor = self._after_link_text(cursor)
                link, bare_url = None, False
            elif ctype == "image":
                cursor = self._skip_image(cursor)
        return cursor

    def _bare_url(self, token: Token, cursor: int) -> tuple[int, int] | None:
        """The source range of an autolink's or linkified URL as written (the parser's text is normalised:
        percent-decoded, punycode-decoded), so it is copied verbatim."""
        text = self.source.text
        if token.markup == "autolink":
            opening = text.find("<", cursor)
            closing = text.find(">", opening)
            return (opening + 1, closing) if opening != -1 and closing != -1 else None
        if token.markup != "linkify":
            return None
        line_end = text.find("\n", cursor)
        line = text[cursor : len(text) if line_end == -1 else line_end].rstrip("\r")
        line = line[:-1] if line.endswith("\\") else line  # a backslash hard break is not part of the URL
        href = token.attrs.get("href")
        for match in _parser().linkify.match(line) or []:
            if _parser().normalizeLink(match.url) == href:
                return cursor + match.index, cursor + match.last_index
        return None

    def _skip(self, fragment: str, cursor: int) -> int:
        found = self.source.text.find(fragment, cursor)
        return found + len(fragment) if found != -1 else cursor

    def _skip_code(self, markup: str, cursor: int) -> int:
        """After an inline code span opened by the backtick run `markup` at or after cursor."""
        text = self.source.text
        run = re.compile(rf"(?<!`){markup}(?!`)")
        opening = run.search(text, cursor)
        if opening is None:
            return cursor
        closing = run.search(text, opening.end())
        return closing.end() if closing else opening.end()

    def _after_link_text(self, cursor: int) -> int:
        """After the `](target)`, `][label]` or `]` that ends a link's text (cursor is at its last character)."""
        text = self.source.text
        close = _LINK_TEXT_END.match(text, cursor)
        if close is None:
            return cursor
        position = close.end()
        if text.startswith("(", position):
            return _after_parenthesised(text, position)
        if text.startswith("[", position):
            end = text.find("]", position)
            return end + 1 if end != -1 else position
        return position

    def _skip_image(self, cursor: int) -> int:
        """After `![alt](target)` or `![alt][label]`; its alt text is not prose."""
        text = self.source.text
        start = text.find("![", cursor)
        if start == -1:
            return cursor
        depth, position = 0, start + 1
        while position < len(text):
            char = text[position]
            if char == "\\":
                position += 2
                continue
            depth += {"[": 1, "]": -1}.get(char, 0)
            if depth == 0:
                break
            position += 1
        return self._after_link_text(position) if position < len(text) else cursor


def _after_parenthesised(text: str, start: int) -> int:
    """The offset after the `)` that closes the `(` at start: nested parentheses, <...>, quoted titles and escapes."""
    depth, position, quote = 0, start, ""
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char == "<" and depth == 1 and text[position - 1] == "(":
            close = text.find(">", position)
            position = close if close != -1 else position
        elif char in "\"'" and depth == 1 and text[position - 1] in " \t\n":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    return start
