"""Markdown articles: markdown-it-py tokens -> prose blocks with exact source offsets."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..article import Article, ArticleBuilder, Link
from ..source import Source
from .align import align_into
from .frontmatter import split_front_matter

_BLOCK_KINDS = {"heading_open": "heading", "th_open": "table_cell", "td_open": "table_cell"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])


def parse_markdown(source: Source) -> Article:
    front = split_front_matter(source.text)
    body = "\n" * source.text.count("\n", 0, front.end) + source.text[front.end :]
    tokens = _parser().parse(body)
    builder = ArticleBuilder()
    _Walker(source, builder).walk(tokens)
    return builder.build(source, "markdown", front_matter=front.data, front_matter_error=front.error)


class _Walker:
    """Walks block tokens, opening a prose block for each heading, paragraph, list item or cell."""

    def __init__(self, source: Source, builder: ArticleBuilder) -> None:
        self.source = source
        self.builder = builder
        self.quote_depth = 0
        self.list_depth = 0
        self.item_depth = 0
        self.row_cursor: int | None = None

    def walk(self, tokens: list[Token]) -> None:
        kind: str | None = None
        level = 0
        for token in tokens:
            ttype = token.type
            if ttype == "blockquote_open":
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
            elif ttype == "paragraph_open":
                kind = "list_item" if self.list_depth else "paragraph"
            elif ttype == "inline" and kind is not None:
                self._inline(token, kind, level)
                kind = None

    def _line_offset(self, token: Token) -> int:
        line = token.map[0] + 1 if token.map else 1
        return self.source.lines.offset(line)

    def _inline(self, token: Token, kind: str, level: int) -> None:
        if kind == "table_cell" and self.row_cursor is not None:
            cursor = self.row_cursor
        else:
            cursor = self._line_offset(token)
        self.builder.start_block(kind, level=level, quote=self.quote_depth > 0, src_at=cursor)
        cursor = self._children(token.children or [], cursor)
        self.builder.end_block()
        if kind == "table_cell":
            self.row_cursor = cursor

    def _children(self, children: list[Token], cursor: int) -> int:
        text = self.source.text
        link: tuple[int, str] | None = None
        for child in children:
            ctype = child.type
            if ctype == "text":
                cursor = align_into(self.builder.text, child.content, text, cursor)
            elif ctype in ("softbreak", "hardbreak"):
                newline = text.find("\n", cursor)
                newline = cursor if newline == -1 else newline
                self.builder.text.replace(" ", newline, newline + 1)
                cursor = newline + 1
            elif ctype == "code_inline":
                cursor = self._skip(child.markup + child.content, cursor)
                self.builder.text.replace(" ", cursor, cursor)
            elif ctype == "link_open":
                link = (self.builder.text.length, str(child.attrs.get("href", "")))
            elif ctype == "link_close" and link is not None:
                start, url = link
                self.builder.links.append(Link(start, self.builder.text.length, url))
                cursor = self._after_link_target(cursor, child)
                link = None
            elif ctype == "image":
                cursor = self._skip_image(cursor)
        return cursor

    def _skip(self, fragment: str, cursor: int) -> int:
        found = self.source.text.find(fragment, cursor)
        return found + len(fragment) if found != -1 else cursor

    def _after_link_target(self, cursor: int, token: Token) -> int:
        text = self.source.text
        if token.markup == "linkify" or cursor >= len(text):
            return cursor
        if text.startswith("](", cursor) or text.startswith("]", cursor):
            close = text.find(")", cursor) if text.startswith("](", cursor) else text.find("]", cursor + 1)
            return close + 1 if close != -1 else cursor
        return cursor

    def _skip_image(self, cursor: int) -> int:
        text = self.source.text
        start = text.find("![", cursor)
        if start == -1:
            return cursor
        close = text.find(")", text.find("](", start))
        return close + 1 if close != -1 else cursor
