"""Markdown articles: pulldown-cmark events -> prose blocks with exact source offsets.

The parser is pulldown-cmark (CommonMark, with GFM tables and strikethrough), a Rust library,
through its Python binding pyromark. It runs in linear time on any input, with no recursion to
overflow on deep nesting, and it gives each event the byte range it was parsed from, so text is
copied from where it stands rather than searched for. Bare URLs are found by linkify-it, as
markdown-it's linkify option finds them.
"""

from __future__ import annotations

import bisect
import re
import string
from functools import lru_cache
from typing import Any, Iterable

import pyromark
from linkify_it import LinkifyIt

from ..article import Article, ArticleBuilder, Link
from ..source import Source
from .align import align_into
from .frontmatter import split_front_matter
from .html import add_html_prose

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
_INLINE_CONTAINERS = frozenset({"Emphasis", "Strong", "Strikethrough", "Link", "Image"})
_ATX_MARKER = re.compile(r"[ \t]*#{1,6}(?=[ \t\r\n]|$)[ \t]*")
_SPACING_TAG = re.compile(r"<(?:br|sup|sub)\b", re.IGNORECASE)  # a line break, or a reference number set apart
_HTML_LINK_OPEN = re.compile(r"<a[>\s]", re.IGNORECASE)
_HTML_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_NOT_NEWLINE = re.compile(r"[^\n]")
_ASCII_PUNCTUATION = frozenset(string.punctuation)
# Marks that any link linkify-it finds contains: an e-mail's `@`, a scheme's `//`, a dot before a letter
# (a top-level domain) or before 1-3 digits and a dot (an IP address); else a scheme such as `http:`,
# `www.` or `localhost`, looked for in the folded text.
_LINK_DOT = re.compile(r"\.(?:[^\W\d_]|\d{1,3}\.)")
_LINK_WORDS = ("www.", "localhost")

Event = Any  # pyromark's events: a str ("SoftBreak") or a one-entry dict ({"Text": "..."})


class _Linkify(LinkifyIt):
    """linkify-it that first rules out, quickly, text holding no mark of a link.

    linkify-it's own tests are large case-insensitive regexes that cost more than the parse for
    prose; screening them with a necessary condition changes no result (tests/test_phrases.py).
    """

    def __init__(self) -> None:
        super().__init__()
        self._words = (*_LINK_WORDS, *(name for name in self._compiled if name))  # schemes such as `http:`

    def test(self, text: str) -> bool:
        return self.may_link(text) and super().test(text)

    def may_link(self, text: str) -> bool:
        """A necessary condition for any of linkify-it's tests."""
        if "@" in text or "//" in text or _LINK_DOT.search(text):
            return True
        folded = text.lower() if text.isascii() else _fold(text)
        return any(word in folded for word in self._words)


def _fold(text: str) -> str:
    """Lower case that keeps every match of a case-insensitive ASCII regex (`İ` -> `i`, `ı` -> `i`, `ſ` -> `s`)."""
    return text.lower().replace("\u0307", "").replace("ı", "i").replace("ſ", "s")


@lru_cache(maxsize=1)
def linkifier() -> _Linkify:
    return _Linkify()


def parse_markdown(source: Source) -> Article:
    front = split_front_matter(source.text)
    body = _NOT_NEWLINE.sub(" ", source.text[: front.end]) + source.text[front.end :]  # same offsets, no front matter
    builder = ArticleBuilder()
    walker = _Walker(source, builder, _ByteToChar.of(body))
    walker.walk(pyromark.events_with_range(body, options=_OPTIONS))
    return builder.build(source, "markdown", front_matter=front.data, front_matter_error=front.error, code_lines=frozenset(walker.code_lines))


def _escaped(text: str, start: int) -> bool:
    """Whether the character at start is escaped: ASCII punctuation after an odd run of backslashes
    (pulldown-cmark's text event for it starts after the backslash)."""
    if start == 0 or text[start - 1] != "\\" or text[start] not in _ASCII_PUNCTUATION:
        return False
    run_start = start - 1
    while run_start > 0 and text[run_start - 1] == "\\":
        run_start -= 1
    return (start - run_start) % 2 == 1


class _ByteToChar:
    """Character offsets of the UTF-8 byte offsets that pulldown-cmark reports."""

    def __init__(self, ends: list[int], extras: list[int]) -> None:
        self._ends = ends  # the byte offset after each non-ASCII character
        self._extras = extras  # the bytes beyond one per character, up to and including that one

    @classmethod
    def of(cls, text: str) -> "_ByteToChar | None":
        """The conversion for text; None when text is ASCII (byte and character offsets agree)."""
        if text.isascii():
            return None
        ends, extras, extra = [], [], 0
        for run in _NON_ASCII.finditer(text):
            byte = run.start() + extra
            for char in run.group():
                size = len(char.encode("utf-8", "surrogatepass"))
                byte += size
                extra += size - 1
                ends.append(byte)
                extras.append(extra)
        return cls(ends, extras)

    def __call__(self, byte: int) -> int:
        index = bisect.bisect_right(self._ends, byte) - 1
        return byte - self._extras[index] if index >= 0 else byte


class _Walker:
    """Turns the event stream into blocks: one for each heading, paragraph, list item or table cell.

    A tight list item's text comes with no paragraph around it: its block opens at its first inline
    event. Text inside images, code blocks and HTML blocks is skipped (HTML blocks are read by the
    HTML parser). Consecutive text events are buffered so that bare URLs are found in the whole run.
    """

    def __init__(self, source: Source, builder: ArticleBuilder, to_char: _ByteToChar | None) -> None:
        self.text = source.text
        self.source = source
        self.builder = builder
        self.to_char = to_char
        self.quote_depth = 0
        self.list_depth = 0
        self.skip_depth = 0  # images, code blocks and HTML blocks being skipped
        self.block_open = False
        self.row_started = False  # a cell of the current table row has been seen
        self.link: tuple[int, str] | None = None
        self.html_links = 0  # open `<a>` elements written as inline HTML (no linkify inside)
        self.pending: list[tuple[str, int, int]] = []  # text events not yet added: (text, start, end)
        self.code_lines: set[int] = set()  # source lines inside code blocks

    def walk(self, events: Iterable[tuple[Event, dict[str, int]]]) -> None:
        to_char = self.to_char
        for event, span in events:
            start, end = span["start"], span["end"]
            if to_char is not None:
                start, end = to_char(start), to_char(end)
            if type(event) is str:
                self._bare(event, start, end)
                continue
            ((kind, value),) = event.items()
            if kind == "Text":
                if not self.skip_depth:
                    self._ensure_block(start - 1 if _escaped(self.text, start) else start)
                    self.pending.append((value, start, end))
            elif kind == "Start":
                self._start(value, start, end)
            elif kind == "End":
                self._end(value)
            elif not self.skip_depth and kind in ("Code", "InlineHtml"):
                self._ensure_block(start)
                self._flush()
                self._inline_markup(kind, value, start, end)
        self._close_block()

    # -- blocks -----------------------------------------------------------------------------
    def _start(self, value: str | dict[str, Any], start: int, end: int) -> None:
        name, detail = (value, None) if type(value) is str else next(iter(value.items()))
        if name in _INLINE_CONTAINERS:
            self._start_inline(name, detail, start)
            return
        self._close_block()
        if name == "Paragraph":
            self._open_block("list_item" if self.list_depth else "paragraph", start)
        elif name == "Heading":
            marker = _ATX_MARKER.match(self.text, start)
            self._open_block("heading", marker.end() if marker else start, level=int(detail["level"][1:]))
        elif name == "TableCell":
            first_in_row, self.row_started = not self.row_started, True
            self._open_block("table_cell", self.text.rfind("\n", 0, start) + 1 if first_in_row else start)
        elif name in ("TableHead", "TableRow"):
            self.row_started = False
        elif name == "BlockQuote":
            self.quote_depth += 1
        elif name == "List":
            self.list_depth += 1
        elif name == "CodeBlock":
            self.skip_depth += 1
            lines = self.source.lines
            self.code_lines.update(range(lines.position(start)[0], lines.position(max(start, end - 1))[0] + 1))
        elif name == "HtmlBlock":
            self.skip_depth += 1
            if not self.quote_depth:  # inside a blockquote every line carries `>` markers, which are not HTML
                add_html_prose(self.source, self.builder, self.text.rfind("\n", 0, start) + 1, end)

    def _end(self, value: str | dict[str, Any]) -> None:
        name = value if type(value) is str else next(iter(value))
        if name in _INLINE_CONTAINERS:
            self._end_inline(name)
            return
        self._close_block()
        if name == "BlockQuote":
            self.quote_depth -= 1
        elif name == "List":
            self.list_depth -= 1
            if self.list_depth == 0:
                self.builder.end_list()
        elif name in ("CodeBlock", "HtmlBlock"):
            self.skip_depth -= 1

    def _open_block(self, kind: str, start: int, level: int = 0) -> None:
        self.builder.start_block(kind, level=level, quote=self.quote_depth > 0, src_at=start)
        self.block_open = True

    def _ensure_block(self, start: int) -> None:
        """Open the block of inline content that came with no paragraph (a tight list item's text)."""
        if not self.block_open:
            self._open_block("list_item" if self.list_depth else "paragraph", start)

    def _close_block(self) -> None:
        if self.block_open:
            self._flush()
            self.builder.end_block()
            self.block_open = False

    # -- inline content ---------------------------------------------------------------------
    def _start_inline(self, name: str, detail: dict[str, Any] | None, start: int) -> None:
        if name == "Image" or self.skip_depth:
            self.skip_depth += name == "Image"  # an image's alt text is not prose
            return
        self._ensure_block(start)
        self._flush()
        if name == "Link" and detail is not None:
            url = detail["dest_url"]
            self.link = (self.builder.text.length, f"mailto:{url}" if detail["link_type"] == "Email" else url)

    def _end_inline(self, name: str) -> None:
        if name == "Image":
            self.skip_depth -= 1
            return
        if self.skip_depth:
            return
        self._flush()
        if name == "Link" and self.link is not None:
            start, url = self.link
            self.builder.links.append(Link(start, self.builder.text.length, url))
            self.link = None

    def _bare(self, event: str, start: int, end: int) -> None:
        """A line break (as a space on the source newline); a thematic break ends the block."""
        if event not in ("SoftBreak", "HardBreak"):
            self._close_block()
            return
        if self.skip_depth:
            return
        self._ensure_block(start)
        self._flush()
        newline = self.text.find("\n", start, max(end, start + 1))
        newline = start if newline == -1 else newline
        self.builder.text.replace(" ", newline, newline + 1)

    def _inline_markup(self, kind: str, value: str, start: int, end: int) -> None:
        """Inline code stands for a zero-width space at its end; `<br>`-like tags for a space."""
        if kind == "Code":
            self.builder.text.replace(" ", end, end)
            return
        if _SPACING_TAG.match(value):
            self.builder.text.replace(" ", start, end)
        if _HTML_LINK_OPEN.match(value):
            self.html_links += 1
        elif _HTML_LINK_CLOSE.match(value):
            self.html_links = max(0, self.html_links - 1)

    def _flush(self) -> None:
        """Add the buffered text events, then the bare URLs in them (outside links)."""
        pieces = self.pending
        if not pieces:
            return
        self.pending = []
        text = self.builder.text
        run_start = text.length
        for content, start, end in pieces:
            if _escaped(self.text, start):  # the escaped character stands for `\\` and itself
                text.replace(content[0], start - 1, start + 1)
                content, start = content[1:], start + 1
            if end - start == len(content) and self.text.startswith(content, start):
                text.copy(content, start)
            else:  # an entity: the content differs from its source
                align_into(text, content, self.text, start, end)
        if self.link is None and not self.html_links:
            self._linkify("".join(content for content, _, _ in pieces), run_start)

    def _linkify(self, run: str, run_start: int) -> None:
        linkify = linkifier()
        if not linkify.may_link(run):
            return
        for match in linkify.match(run) or []:
            self.builder.links.append(Link(run_start + match.index, run_start + match.last_index, match.url))
