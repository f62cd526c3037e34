"""HTML parsing: prose blocks from a realistic page, furniture skipped, entities mapped exactly."""

from __future__ import annotations

from healthlint.article import Article
from healthlint.parse import parse
from healthlint.source import Source

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><title>Site title</title><meta charset="utf-8"><style>p { color: red }</style></head>
<body>
<header class="site"><p>Subscribe to our newsletter</p></header>
<nav><ul><li><a href="/">Home</a></li><li>Drugs A-Z</li></ul></nav>
<main><article>
  <header><h1>Metformin &amp; Kidney Health</h1></header>
  <p>Metformin (Glucophage&reg;) is a first-line
     medicine for <em>type&nbsp;2 diabetes</em>. See the
     <a href="https://dailymed.nlm.nih.gov/?a=1&amp;b=2">label</a>.</p>
  <h2>Side effects</h2>
  <ul>
    <li>Upset stomach
    <li>Diarrhoea <ul><li>usually mild</li></ul> and short-lived</li>
  </ul>
  <table><tr><th>Dose</th><th>When</th></tr><tr><td>500&#160;mg<td>with dinner</tr></table>
  <blockquote><p>Reader: it upset my stomach&#8212;at first.</p></blockquote>
  <p>Use <code>eGFR &lt; 30</code> as the cut-off.<br>Ask your doctor.</p>
  <aside>Related: Ozempic</aside>
  <form><label>Email</label><button>Go</button></form>
  <script>document.write("<p>tracking</p>")</script>
</article></main>
<footer><p>Copyright 2026</p></footer>
</body></html>
"""


def page() -> Article:
    return parse(Source("page.html", PAGE))


def test_prose_blocks_and_kinds() -> None:
    article = page()
    assert [(block.kind, article.block_text(block)) for block in article.blocks] == [
        ("heading", "Metformin & Kidney Health"),
        ("paragraph", "Metformin (Glucophage®) is a first-line medicine for type 2 diabetes. See the label."),
        ("heading", "Side effects"),
        ("list_item", "Upset stomach"),
        ("list_item", "Diarrhoea"),
        ("list_item", "usually mild"),
        ("list_item", "and short-lived"),
        ("table_cell", "Dose"),
        ("table_cell", "When"),
        ("table_cell", "500 mg"),
        ("table_cell", "with dinner"),
        ("paragraph", "Reader: it upset my stomach—at first."),
        ("paragraph", "Use as the cut-off. Ask your doctor."),
    ]


def test_furniture_is_skipped() -> None:
    text = page().text
    for skipped in ("Site title", "newsletter", "Home", "Drugs A-Z", "Ozempic", "Email", "tracking", "Copyright", "eGFR"):
        assert skipped not in text


def test_levels_quotes_sections_links_title() -> None:
    article = page()
    by_text = {article.block_text(block): block for block in article.blocks}
    assert by_text["Metformin & Kidney Health"].level == 1 and by_text["Side effects"].level == 2
    assert by_text["Reader: it upset my stomach—at first."].quote
    assert article.heading_of(by_text["Upset stomach"]) is by_text["Side effects"]
    assert by_text["Upset stomach"].list_group == by_text["and short-lived"].list_group is not None
    assert article.title == "Metformin & Kidney Health"
    [link] = article.links
    assert article.text[link.start : link.end] == "label"
    assert link.url == "https://dailymed.nlm.nih.gov/?a=1&b=2"


def test_entities_map_to_their_source_range() -> None:
    article = page()
    for char, entity in [("&", "&amp;"), ("®", "&reg;"), ("—", "&#8212;")]:
        index = article.text.index(char)
        start = PAGE.index(entity)
        assert article.offsets.span_to_source(index, index + 1) == (start, start + len(entity))
    space = article.text.index("type 2") + 4
    assert article.offsets.span_to_source(space, space + 1) == (PAGE.index("&nbsp;"), PAGE.index("&nbsp;") + 6)


def test_collapsed_whitespace_maps_to_the_next_line() -> None:
    article = page()
    index = article.text.index("medicine")
    line, column = article.position(index)
    assert PAGE.splitlines()[line - 1][column - 1 :].startswith("medicine for")


def test_fragment_without_html_or_body_and_unclosed_tags() -> None:
    article = parse(Source("f.htm", "Loose intro text<p>First<p>Second <b>bold"))
    assert [(b.kind, article.block_text(b)) for b in article.blocks] == [
        ("paragraph", "Loose intro text"),
        ("paragraph", "First"),
        ("paragraph", "Second bold"),
    ]


def test_header_inside_article_is_kept_but_page_header_is_not() -> None:
    article = parse(Source("a.html", "<header><h1>Brand</h1></header><article><header><h1>Topic</h1></header></article>"))
    assert [article.block_text(block) for block in article.blocks] == ["Topic"]


def test_unknown_entities_and_bare_ampersands_stay_as_written() -> None:
    text = "<p>AT&T and &zzfake; and 5 &lt 6</p>"
    article = parse(Source("a.html", text))
    assert article.block_text(article.blocks[0]) == "AT&T and &zzfake; and 5 < 6"


def test_directives_in_html_comments() -> None:
    article = parse(Source("a.html", "<p>One</p>\n<!-- healthlint-disable-next-line drug-swap -->\n<p>Two</p>\n"))
    [directive] = article.directives
    assert (directive.action, directive.rules, directive.line) == ("disable-next-line", ("drug-swap",), 2)


def test_reference_superscripts_are_set_apart() -> None:
    text = "<p>Take naproxen<sup><a href='#r4'>4</a></sup> with food.</p>"
    article = parse(Source("a.html", text))
    assert article.block_text(article.blocks[0]) == "Take naproxen 4 with food."
    assert article.offsets.to_source(article.text.index("4")) == text.index(">4<") + 1


def test_text_outside_article_or_main_is_page_furniture() -> None:
    text = (
        "<html><body><h1>Sumatriptan or rizatriptan?</h1>\n"
        "<div class='cookie'>We use cookies to improve your experience. Accept all</div>\n"
        "<main><p>Both triptans ease migraine pain within two hours.</p></main>\n"
        "<div class='sidebar'>Trending: ten foods for better sleep</div>\n"
        "</body></html>\n"
    )
    article = parse(Source("page.html", text))
    assert [article.block_text(block) for block in article.blocks] == [
        "Sumatriptan or rizatriptan?",
        "Both triptans ease migraine pain within two hours.",
    ]
    index = article.text.index("Both")
    assert article.offsets.to_source(index) == text.index("Both")


def test_pages_without_article_or_main_keep_all_their_prose() -> None:
    article = parse(Source("page.html", "<div><p>First paragraph.</p></div>\n<div>Second part.</div>\n"))
    assert "Second part." in article.text and "First paragraph." in article.text
