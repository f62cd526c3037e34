"""HTML articles: prose from headings, paragraphs, list items and table cells, with exact offsets.

Uses the standard library's `html.parser.HTMLParser` with `convert_charrefs=False`: it reports the
source position of every callback and delivers character references separately, so each analysed
character maps to its source character and each decoded entity to the entity's source range.
Runs of whitespace are collapsed to one space (mapped to the whole run), as a browser shows them.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from ..article import Article, ArticleBuilder, Link
from ..source import LineIndex, Source

HEADINGS = {f"h{level}": level for level in range(1, 7)}
BLOCK_KINDS = {"p": "paragraph", "li": "list_item", "td": "table_cell", "th": "table_cell", "dt": "paragraph", "dd": "paragraph", **{tag: "heading" for tag in HEADINGS}}
CONTAINERS = {
    "html", "body", "main", "article", "section", "div", "blockquote", "ul", "ol", "dl", "table", "thead",
    "tbody", "tfoot", "tr", "figure", "figcaption", "details", "summary", "address", "center", "caption", "hr",
}
SKIPPED = {"script", "style", "nav", "footer", "aside", "form", "noscript", "template", "svg", "math", "iframe", "head", "title", "button", "select", "textarea", "object", "canvas"}
CODE = {"pre", "code", "kbd", "samp"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "base", "col", "embed", "param", "track"}
SECTIONING = {"article", "main"}
SPACING = {"br", "sup", "sub"}  # a line break; a reference number set apart from the word it follows
# An opening tag of the key implicitly closes an open element of these names (HTML's optional end tags).
IMPLIED_END = {"p": {"p"}, "li": {"li", "p"}, "dt": {"dt", "dd", "p"}, "dd": {"dt", "dd", "p"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"}}
_SECTIONING_TAG = re.compile(r"<(?:article|main)[\s>]", re.IGNORECASE)
_ENTITY_REF = re.compile(r"&[A-Za-z][-.A-Za-z0-9]*;?")
_CHAR_REF = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+);?")


def parse_html(source: Source) -> Article:
    """Parse an HTML document (or fragment) into prose blocks."""
    builder = ArticleBuilder()
    add_html_prose(source, builder, 0, len(source.text))
    return builder.build(source, "html")


def add_html_prose(source: Source, builder: ArticleBuilder, start: int, end: int) -> None:
    """Add the prose of the HTML in source.text[start:end] to builder (also used for HTML blocks in Markdown)."""
    parser = _ProseParser(source, builder, start, end)
    parser.feed(source.text[start:end])
    parser.close()
    parser.finish()


class _ProseParser(HTMLParser):
    """Collects prose while tracking which elements are open."""

    def __init__(self, source: Source, builder: ArticleBuilder, base: int, end: int) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.builder = builder
        self.base = base
        self.lines = source.lines if base == 0 else LineIndex(source.text[base:end])
        self.stack: list[str] = []
        self.skip_depth = 0
        self.pending_space: tuple[int, int] | None = None
        self.link: tuple[int, str] | None = None
        # a page with <article> or <main> keeps its prose there: text outside (cookie banners, sidebars,
        # teasers) is page furniture, except the page's <h1> title
        self.sectioned = base == 0 and _SECTIONING_TAG.search(source.text, base, end) is not None

    # -- positions --------------------------------------------------------------------------
    def _offset(self) -> int:
        """The source offset where the parser stands (its lines and columns count from `base`)."""
        line, column = self.getpos()
        return self.base + self.lines.offset(line, column + 1)

    # -- element structure ------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth or self._skipped(tag):
            if tag not in VOID:
                self.skip_depth += 1
                self.stack.append(tag)
            return
        if tag in SPACING:
            self._space(self._offset(), self._offset() + len(self.get_starttag_text() or ""))
        if tag == "br":
            return
        if tag in BLOCK_KINDS or tag in CONTAINERS:
            self._close_implied(tag)
            self._end_block()
        if tag == "a":
            spacer = 1 if self.pending_space is not None and self.builder.open_length else 0
            self.link = (self.builder.text.length + spacer, dict(attrs).get("href") or "")
        if tag in CODE:
            self._space(self._offset(), self._offset())
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return
        while self.stack:
            closed = self.stack.pop()
            self._closed(closed)
            if closed == tag:
                break

    def _closed(self, tag: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
            return
        if tag == "a" and self.link is not None:
            start, url = self.link
            if self.builder.text.length > start:
                self.builder.links.append(Link(start, self.builder.text.length, url))
            self.link = None
        if tag in BLOCK_KINDS or tag in CONTAINERS:
            self._end_block()
        if tag in ("ul", "ol") and not any(open_tag in ("ul", "ol") for open_tag in self.stack):
            self.builder.end_list()

    def _skipped(self, tag: str) -> bool:
        """Page furniture: scripts, navigation, footers; a <header> only outside <article>/<main>."""
        if tag == "header":
            return not SECTIONING.intersection(self.stack)
        return tag in SKIPPED

    def _close_implied(self, tag: str) -> None:
        implied = IMPLIED_END.get(tag, set())
        while self.stack and self.stack[-1] in implied:
            self._closed(self.stack.pop())

    # -- text -------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skip_depth or self._in_code() or self._outside_content():
            return
        start = self._offset()
        if self.source.text.startswith(data, start):
            self._text(data, start)

    def handle_entityref(self, name: str) -> None:
        self._reference(_ENTITY_REF)

    def handle_charref(self, name: str) -> None:
        self._reference(_CHAR_REF)

    def _reference(self, pattern: re.Pattern[str]) -> None:
        if self.skip_depth or self._in_code() or self._outside_content():
            return
        start = self._offset()
        match = pattern.match(self.source.text, start)
        if match is None:
            return
        raw = match.group(0)
        decoded = html.unescape(raw)
        if decoded == raw:
            self._text(raw, start)
        elif decoded.isspace():
            self._space(start, match.end())
        else:
            self._word(decoded, start, match.end())

    def _outside_content(self) -> bool:
        """Text outside the page's <article>/<main> (and not in its <h1>)."""
        return self.sectioned and "h1" not in self.stack and not SECTIONING.intersection(self.stack)

    def _in_code(self) -> bool:
        return any(tag in CODE for tag in self.stack)

    def _text(self, data: str, start: int) -> None:
        """Copy data verbatim, collapsing each run of whitespace to one space."""
        position = 0
        for match in re.finditer(r"\s+", data):
            if match.start() > position:
                self._copy(data[position : match.start()], start + position)
            self._space(start + match.start(), start + match.end())
            position = match.end()
        if position < len(data):
            self._copy(data[position:], start + position)

    def _space(self, start: int, end: int) -> None:
        if self.pending_space is None:
            self.pending_space = (start, end)
        else:
            self.pending_space = (self.pending_space[0], end)

    def _flush_space(self) -> None:
        if self.pending_space is not None and self.builder.open_length > 0:
            start, end = self.pending_space
            if end - start == 1 and self.source.text[start] == " ":
                self.builder.text.copy(" ", start)
            else:
                self.builder.text.replace(" ", start, end)
        self.pending_space = None

    def _copy(self, text: str, start: int) -> None:
        self._ensure_block(start)
        self._flush_space()
        self.builder.text.copy(text, start)

    def _word(self, text: str, start: int, end: int) -> None:
        self._ensure_block(start)
        self._flush_space()
        self.builder.text.replace(text, start, end)

    def _ensure_block(self, start: int) -> None:
        if self.builder.open_length is not None:
            return
        self.pending_space = None
        kind, level = self._block_kind()
        self.builder.start_block(kind, level=level, quote="blockquote" in self.stack, src_at=start)

    def _block_kind(self) -> tuple[str, int]:
        for tag in reversed(self.stack):
            if tag in BLOCK_KINDS:
                return BLOCK_KINDS[tag], HEADINGS.get(tag, 0)
        return "paragraph", 0

    def _end_block(self) -> None:
        self.pending_space = None
        self.builder.end_block()

    def finish(self) -> None:
        while self.stack:
            self._closed(self.stack.pop())
        self._end_block()
