"""Offset mapping, tested hard: generated Markdown, HTML and text articles whose every prose word is
recorded with its source range while the document is built; after parsing, each word must map back to
exactly that range and line/column, whatever markup, entities, escapes, front matter or CRLF surround it."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.article import Article
from healthlint.parse import parse
from healthlint.source import LineIndex, Source, decode

WORDS = ["sertraline", "dose", "nausea", "tablet", "liver", "sleep", "Zoloft", "daily", "risk", "mg"]
PROPERTY = settings(max_examples=120, deadline=None)


class Doc:
    """Builds a source text and records where each expected prose piece stands in it."""

    def __init__(self, newline: str = "\n") -> None:
        self.parts: list[str] = []
        self.length = 0
        self.newline = newline
        self.expected: list[tuple[str, int, int]] = []
        self.hidden: list[str] = []
        self.counter = 0

    def raw(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def nl(self, count: int = 1) -> None:
        self.raw(self.newline * count)

    def prose(self, shown: str, raw: str | None = None) -> None:
        raw = shown if raw is None else raw
        self.expected.append((shown, self.length, self.length + len(raw)))
        self.raw(raw)

    def word(self, draw) -> None:
        self.counter += 1
        self.prose(f"{draw(st.sampled_from(WORDS))}{self.counter}")

    def secret(self, draw) -> str:
        """A word that must NOT reach the analysed text."""
        self.counter += 1
        word = f"hidden{self.counter}x"
        self.hidden.append(word)
        return word

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def __repr__(self) -> str:
        return f"Doc({self.text!r})"


def naive_position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def assert_maps(article: Article, doc: Doc) -> None:
    """Each expected piece appears in order, maps to its source range, and has the naive line/column."""
    text, cursor = article.text, 0
    for shown, src_start, src_end in doc.expected:
        index = text.find(shown, cursor)
        assert index != -1, f"{shown!r} missing after {cursor} in {text!r}"
        assert not text[cursor:index].strip(), f"unexpected text {text[cursor:index]!r} before {shown!r}"
        assert article.offsets.span_to_source(index, index + len(shown)) == (src_start, src_end), shown
        assert article.position(index) == naive_position(article.source.text, src_start)
        cursor = index + len(shown)
    assert not text[cursor:].strip(), f"unexpected trailing text {text[cursor:]!r}"
    for word in doc.hidden:
        assert word not in text
    assert_segments_honest(article)


def assert_segments_honest(article: Article) -> None:
    """Copied segments equal their source; replacements are whitespace, entities or escapes."""
    source = article.source.text
    previous = 0
    for segment in article.offsets.segments:
        shown = article.text[segment.doc_start : segment.doc_start + segment.doc_len]
        raw = source[segment.src_start : segment.src_start + segment.src_len]
        assert segment.src_start >= previous or not shown.strip(), "source offsets go backwards"
        previous = max(previous, segment.src_start)
        if segment.copied:
            assert shown == raw
        elif shown.strip():
            assert html.unescape(raw) == shown or raw == "\\" + shown, (shown, raw)


# -- Markdown ---------------------------------------------------------------------------------

def md_inline(draw, doc: Doc, words: int) -> None:
    for index in range(words):
        if index:
            doc.raw(" ")
        choice = draw(st.sampled_from(["word", "em", "strong", "link", "code", "entity", "escape", "comment", "autolink", "image"]))
        if choice == "word" or (choice == "comment" and not index):  # a line opening with <!-- is an HTML block
            doc.word(draw)
        elif choice in ("em", "strong"):
            mark = "*" if choice == "em" else "**"
            doc.raw(mark)
            doc.word(draw)
            doc.raw(mark)
        elif choice == "link":
            doc.raw("[")
            doc.word(draw)
            doc.raw(draw(st.sampled_from(["](https://ex.org/a_(b))", '](https://ex.org "a title")', "](<https://ex.org/x y>)"])))
        elif choice == "code":
            doc.raw(f"`{doc.secret(draw)}`")
        elif choice == "entity":
            name, char = draw(st.sampled_from([("&amp;", "&"), ("&mdash;", "—"), ("&#945;", "α"), ("&#x3B2;", "β")]))
            doc.prose(char, name)
        elif choice == "escape":
            char = draw(st.sampled_from("*_[]#"))
            doc.prose(char, "\\" + char)
        elif choice == "comment":
            doc.raw(f"<!-- {doc.secret(draw)} -->")
        elif choice == "autolink":
            url = "https://nih.gov/" + doc.secret(draw).replace("hidden", "p") + draw(st.sampled_from(["", "%20a", "/%7Ex"]))
            if draw(st.booleans()):
                doc.raw("<")
                doc.prose(url)
                doc.raw(">")
            else:
                doc.prose(url.replace("https://", "www."))  # linkified
        else:
            doc.raw(f"![{doc.secret(draw)}](img.png)")


def md_block(draw, doc: Doc) -> None:
    kind = draw(st.sampled_from(["atx", "setext", "paragraph", "list", "quote", "table", "fence", "html"]))
    if kind == "html":
        doc.raw("<div class='box'>")
        doc.nl()
        doc.raw("<p>")
        html_inline(draw, doc, draw(st.integers(1, 3)))
        doc.raw("</p>")
        doc.nl()
        doc.raw("</div>")
    elif kind == "atx":
        doc.raw("#" * draw(st.integers(1, 6)) + " ")
        md_inline(draw, doc, draw(st.integers(1, 3)))
    elif kind == "setext":
        md_inline(draw, doc, draw(st.integers(1, 3)))
        doc.nl()
        doc.raw(draw(st.sampled_from(["===", "-----"])))
    elif kind == "paragraph":
        for line in range(draw(st.integers(1, 3))):
            if line:
                doc.raw(draw(st.sampled_from(["", "  ", "\\"])))
                doc.nl()
            md_inline(draw, doc, draw(st.integers(1, 4)))
    elif kind == "list":
        for item in range(draw(st.integers(1, 3))):
            if item:
                doc.nl()
            doc.raw(draw(st.sampled_from(["- ", "* ", "  - "])) if item else "- ")
            md_inline(draw, doc, draw(st.integers(1, 3)))
    elif kind == "quote":
        for line in range(draw(st.integers(1, 2))):
            if line:
                doc.nl()
            doc.raw("> ")
            md_inline(draw, doc, draw(st.integers(1, 3)))
    elif kind == "table":
        columns = draw(st.integers(1, 3))
        for row in range(draw(st.integers(1, 3)) + 1):
            if row:
                doc.nl()
            if row == 1:
                doc.raw("|" + "---|" * columns)
                continue
            doc.raw("|")
            for _ in range(columns):
                doc.raw(" ")
                md_inline(draw, doc, 1)
                doc.raw(" |")
    else:
        doc.raw("```")
        doc.nl()
        doc.raw(doc.secret(draw))
        doc.nl()
        doc.raw("```")


@st.composite
def markdown_docs(draw) -> Doc:
    doc = Doc(draw(st.sampled_from(["\n", "\r\n"])))
    if draw(st.booleans()):
        doc.raw("---")
        doc.nl()
        doc.raw(f"title: {doc.secret(draw)}")
        doc.nl()
        doc.raw("---")
        doc.nl()
    for index in range(draw(st.integers(1, 5))):
        if index:
            doc.nl(2)
        md_block(draw, doc)
    doc.nl()
    return doc


@PROPERTY
@given(markdown_docs())
def test_markdown_words_map_to_their_source(doc: Doc) -> None:
    assert_maps(parse(Source("a.md", doc.text)), doc)


# -- HTML -------------------------------------------------------------------------------------

def html_inline(draw, doc: Doc, words: int) -> None:
    for index in range(words):
        if index:
            doc.raw(draw(st.sampled_from([" ", "\n   ", "  ", "&nbsp;"])))
        choice = draw(st.sampled_from(["word", "em", "link", "code", "entity", "comment", "span"]))
        if choice == "word":
            doc.word(draw)
        elif choice in ("em", "span"):
            doc.raw(f"<{choice} class='x'>")
            doc.word(draw)
            doc.raw(f"</{choice}>")
        elif choice == "link":
            doc.raw('<a href="https://ex.org/?a=1&amp;b=2">')
            doc.word(draw)
            doc.raw("</a>")
        elif choice == "code":
            doc.raw(f"<code>{doc.secret(draw)}</code>")
        elif choice == "entity":
            name, char = draw(st.sampled_from([("&amp;", "&"), ("&mdash;", "—"), ("&#8212;", "—"), ("&#x3B1;", "α"), ("&reg;", "®"), ("&lt;", "<")]))
            doc.prose(char, name)
        else:
            doc.raw(f"<!-- {doc.secret(draw)} -->")


def html_block(draw, doc: Doc) -> None:
    kind = draw(st.sampled_from(["h", "p", "ul", "table", "quote", "script", "nav", "footer", "div"]))
    if kind == "h":
        level = draw(st.integers(1, 6))
        doc.raw(f"<h{level}>")
        html_inline(draw, doc, draw(st.integers(1, 3)))
        doc.raw(f"</h{level}>")
    elif kind in ("p", "div"):
        doc.raw(f"<{kind}>")
        html_inline(draw, doc, draw(st.integers(1, 4)))
        doc.raw(draw(st.sampled_from([f"</{kind}>", ""])) if kind == "p" else "</div>")
    elif kind == "ul":
        doc.raw("<ul>")
        for _ in range(draw(st.integers(1, 3))):
            doc.nl()
            doc.raw("  <li>")
            html_inline(draw, doc, draw(st.integers(1, 2)))
            doc.raw(draw(st.sampled_from(["</li>", ""])))
        doc.nl()
        doc.raw("</ul>")
    elif kind == "table":
        doc.raw("<table><tr>")
        for _ in range(draw(st.integers(1, 3))):
            doc.raw(draw(st.sampled_from(["<td>", "<th>"])))
            html_inline(draw, doc, 1)
        doc.raw("</tr></table>")
    elif kind == "quote":
        doc.raw("<blockquote><p>")
        html_inline(draw, doc, draw(st.integers(1, 3)))
        doc.raw("</p></blockquote>")
    elif kind == "script":
        doc.raw(f"<script>var s = '<p>{doc.secret(draw)}</p>';</script>")
    else:
        doc.raw(f"<{kind}><p>{doc.secret(draw)}</p><a href='/'>{doc.secret(draw)}</a></{kind}>")


@st.composite
def html_docs(draw) -> Doc:
    doc = Doc(draw(st.sampled_from(["\n", "\r\n"])))
    doc.raw(f"<!DOCTYPE html><html><head><title>{doc.secret(draw)}</title></head>")
    doc.nl()
    doc.raw("<body>")
    for _ in range(draw(st.integers(1, 5))):
        doc.nl()
        html_block(draw, doc)
    doc.nl()
    doc.raw("</body></html>")
    return doc


@PROPERTY
@given(html_docs())
def test_html_words_map_to_their_source(doc: Doc) -> None:
    assert_maps(parse(Source("a.html", doc.text)), doc)


# -- plain text -------------------------------------------------------------------------------

@st.composite
def text_docs(draw) -> Doc:
    doc = Doc(draw(st.sampled_from(["\n", "\r\n"])))
    for index in range(draw(st.integers(1, 6))):
        if index:
            doc.nl(draw(st.integers(1, 2)))
        doc.raw(draw(st.sampled_from(["", "  ", "• ", "- ", "1. ", "\t"])))
        for word in range(draw(st.integers(1, 8))):
            if word:
                doc.raw(" ")
            doc.word(draw)
        if draw(st.booleans()):
            doc.prose(".")
        if draw(st.integers(0, 4)) == 0:
            doc.nl()
            doc.raw(f"healthlint-disable-next-line {doc.secret(draw)}")
    doc.raw(draw(st.sampled_from(["", "\n", "  \n"])))
    return doc


@PROPERTY
@given(text_docs())
def test_text_words_map_to_their_source(doc: Doc) -> None:
    assert_maps(parse(Source("a.txt", doc.text)), doc)


# -- line index and decoding ------------------------------------------------------------------

@PROPERTY
@given(st.text(alphabet="ab\n\r\t é", max_size=80), st.data())
def test_line_index_agrees_with_naive_count(text: str, data) -> None:
    offset = data.draw(st.integers(0, len(text)))
    index = LineIndex(text)
    line, column = index.position(offset)
    assert (line, column) == naive_position(text, offset)
    assert index.offset(line, column) == offset


def test_bom_is_not_counted_in_columns() -> None:
    source = decode("\ufeff# Title\n\nSertraline helps.\n".encode("utf-8"), "a.md")
    article = parse(source)
    index = article.text.index("Sertraline")
    assert source.bom and article.position(index) == (3, 1)


def test_crlf_front_matter_positions() -> None:
    text = "---\r\ntitle: Dose guide\r\ntags: [a]\r\n---\r\n# Heading\r\n\r\nTake one tablet &amp; water.\r\n"
    article = parse(Source("a.md", text))
    assert article.front_matter == {"title": "Dose guide", "tags": ["a"]}
    assert article.position(article.text.index("Heading")) == (5, 3)
    amp = article.text.index("&")
    assert article.offsets.span_to_source(amp, amp + 1) == (text.index("&amp;"), text.index("&amp;") + 5)
    assert article.position(article.text.index("water")) == (7, 23)


def test_span_across_an_entity_covers_it_whole() -> None:
    text = "<p>AT&amp;T and Smith &amp; Nephew</p>"
    article = parse(Source("a.html", text))
    start = article.text.index("Smith")
    end = article.text.index("Nephew") + len("Nephew")
    assert article.offsets.span_to_source(start, end) == (text.index("Smith"), text.index("Nephew") + 6)


# -- arbitrary input never breaks the parsers or the map ------------------------------------------

JUNK = st.lists(
    st.sampled_from(["<p>", "</p>", "<li>", "<!--", "-->", "<script>", "</script>", "&amp;", "&", "&#", "#", "*", "_", "`",
                     "[", "](", ")", "|", "- ", "> ", "\n", "\r\n", "\n\n", " ", "word", "Dose", "é", "\\", "---", "<br>", "<sup>"]),
    max_size=40,
).map("".join)


@PROPERTY
@given(JUNK, st.sampled_from(["a.md", "a.html", "a.txt"]))
def test_any_input_parses_to_an_honest_map(text: str, name: str) -> None:
    article = parse(Source(name, text))
    assert_segments_honest(article)
    for block in article.blocks:
        start, end = article.offsets.span_to_source(block.start, block.end)
        assert 0 <= start <= end <= len(text)
