"""Markdown parsing: which text is prose, what kind of block holds it, and where it came from."""

from __future__ import annotations

import pytest

from healthlint.article import Article
from healthlint.parse import parse
from healthlint.source import Source, decode


def md(text: str) -> Article:
    return parse(Source("a.md", text))


def blocks(article: Article) -> list[tuple[str, str]]:
    return [(block.kind, article.block_text(block)) for block in article.blocks]


ARTICLE = """\
---
title: "Lisinopril: what to know"
reviewed: 2025-01-10
---
# Lisinopril and potassium

Lisinopril is an *ACE inhibitor* used for **high blood pressure**.
It can raise potassium.

Taking it with food
-------------------

- Take it once a day
  - with or without food
- Keep taking it

1. Check your blood pressure
2. Note the reading

> Reader comment: I felt dizzy at first.

| Dose | Use |
|------|-----|
| 10 mg | start |

```python
print("no prose here")
```
"""


def test_front_matter_and_block_kinds() -> None:
    article = md(ARTICLE)
    assert article.front_matter["title"] == "Lisinopril: what to know"
    assert article.title == "Lisinopril: what to know"
    assert blocks(article) == [
        ("heading", "Lisinopril and potassium"),
        ("paragraph", "Lisinopril is an ACE inhibitor used for high blood pressure. It can raise potassium."),
        ("heading", "Taking it with food"),
        ("list_item", "Take it once a day"),
        ("list_item", "with or without food"),
        ("list_item", "Keep taking it"),
        ("list_item", "Check your blood pressure"),
        ("list_item", "Note the reading"),
        ("paragraph", "Reader comment: I felt dizzy at first."),
        ("table_cell", "Dose"),
        ("table_cell", "Use"),
        ("table_cell", "10 mg"),
        ("table_cell", "start"),
    ]
    assert "print" not in article.text


def test_levels_sections_quotes_and_list_groups() -> None:
    article = md(ARTICLE)
    by_text = {article.block_text(block): block for block in article.blocks}
    assert by_text["Lisinopril and potassium"].level == 1
    assert by_text["Taking it with food"].level == 2
    assert by_text["Reader comment: I felt dizzy at first."].quote
    assert not by_text["Keep taking it"].quote
    assert all(block.level == 0 for block in article.blocks if not block.is_heading)
    assert article.heading_of(by_text["Keep taking it"]) is by_text["Taking it with food"]
    assert by_text["Take it once a day"].list_group == by_text["Keep taking it"].list_group
    assert by_text["Check your blood pressure"].list_group != by_text["Keep taking it"].list_group
    assert by_text["Check your blood pressure"].list_group == by_text["Note the reading"].list_group


def test_block_positions_point_at_their_source_lines() -> None:
    article = md(ARTICLE)
    lines = ARTICLE.splitlines()
    for block in article.blocks:
        line, column = article.position(block.start)
        first_word = article.block_text(block).split()[0]
        assert lines[line - 1][column - 1 :].startswith(first_word)


def test_code_urls_images_and_comments_are_not_prose() -> None:
    text = (
        "Take `metformin --xr` with meals ![pill photo](pill.png) and see "
        "[the label](https://dailymed.nlm.nih.gov/x_(y)) or <https://fda.gov> <!-- note to editor -->.\n"
    )
    article = md(text)
    assert "metformin" not in article.text
    assert "pill photo" not in article.text
    assert "dailymed" not in article.text and "note to editor" not in article.text
    assert [(article.text[link.start : link.end], link.url) for link in article.links] == [
        ("the label", "https://dailymed.nlm.nih.gov/x_(y)"),
        ("https://fda.gov", "https://fda.gov"),
    ]
    assert article.offsets.to_source(article.text.index(" or ") + 1) == text.index(" or ") + 1


def test_reference_and_shortcut_links_keep_following_text_aligned() -> None:
    text = "See [the label][fda] and [dosing] then [more][] here.\n\n[fda]: https://fda.gov\n[dosing]: https://a.org\n[more]: https://b.org\n"
    article = md(text)
    assert article.block_text(article.blocks[0]) == "See the label and dosing then more here."
    here = article.text.index("here")
    assert article.offsets.to_source(here) == text.index("here")
    assert [link.url for link in article.links] == ["https://fda.gov", "https://a.org", "https://b.org"]


def test_entities_escapes_and_breaks() -> None:
    text = "Dose &ge; 5 mg \\*daily\\* &mdash; or less  \nnext line\\\nthird\n"
    article = md(text)
    assert article.block_text(article.blocks[0]) == "Dose ≥ 5 mg *daily* — or less next line third"
    ge = article.text.index("≥")
    assert article.offsets.span_to_source(ge, ge + 1) == (text.index("&ge;"), text.index("&ge;") + 4)
    star = article.text.index("*")
    assert article.offsets.span_to_source(star, star + 1) == (text.index("\\*"), text.index("\\*") + 2)
    assert article.position(article.text.index("third")) == (3, 1)


def test_list_markers_equal_to_the_first_character_are_skipped() -> None:
    text = "1. 1 tablet at night\n2. 2 tablets if needed\n\n## # of doses\n"
    article = md(text)
    one = article.text.index("1 tablet")
    assert article.offsets.to_source(one) == text.index("1 tablet")
    hash_heading = article.blocks[-1]
    assert article.block_text(hash_heading) == "# of doses"
    assert article.position(hash_heading.start) == (4, 4)


def test_crlf_and_bom_files() -> None:
    data = "\ufeff---\r\ntitle: Dose\r\n---\r\n# Warfarin\r\n\r\nAvoid extra\r\nvitamin K.\r\n".encode()
    article = parse(decode(data, "a.md"))
    assert article.front_matter == {"title": "Dose"}
    assert article.block_text(article.blocks[1]) == "Avoid extra vitamin K."
    assert "\r" not in article.text
    assert article.position(article.text.index("vitamin")) == (7, 1)


def test_html_blocks_are_read_as_html_and_empty_cells_are_dropped() -> None:
    text = "<div class='note'>\n  <p>Ask your <b>pharmacist</b> &amp; doctor</p>\n  <script>x()</script>\n</div>\n\n| a | `x` |\n|---|---|\n| b | |\n"
    article = md(text)
    assert [(block.kind, article.block_text(block)) for block in article.blocks] == [
        ("paragraph", "Ask your pharmacist & doctor"),
        ("table_cell", "a"),
        ("table_cell", "b"),
    ]
    assert article.position(article.text.index("pharmacist")) == (2, 18)
    amp = article.text.index("&")
    assert article.offsets.span_to_source(amp, amp + 1) == (text.index("&amp;"), text.index("&amp;") + 5)


def test_broken_front_matter_keeps_the_body() -> None:
    text = "---\ntitle: Sertraline: what to know\n---\n# Body heading\n\nBody text.\n"
    article = md(text)
    assert article.front_matter == {}
    message, line = article.front_matter_error
    assert "not valid YAML" in message and line == 2
    assert article.block_text(article.blocks[0]) == "Body heading"
    assert article.position(article.blocks[0].start) == (4, 3)


def test_unclosed_front_matter_is_reported_at_line_one() -> None:
    article = md("---\ntitle: x\n\nSome text.\n")
    assert article.front_matter_error == ("front matter opened with '---' on line 1 is never closed", 1)


def test_empty_file() -> None:
    article = md("")
    assert article.text == "" and article.blocks == [] and article.title is None


def test_inline_breaks_and_reference_superscripts_separate_words() -> None:
    text = "Take naproxen<sup>4</sup> with food.<br>Then rest.\n"
    article = md(text)
    assert article.block_text(article.blocks[0]) == "Take naproxen 4 with food. Then rest."
    assert article.offsets.to_source(article.text.index("4")) == text.index("4")


def test_bare_urls_are_kept_as_written_so_later_text_stays_aligned() -> None:
    text = "Read <https://example.org/a%20b> or www.example.org/%7Eguide today.\n"
    article = md(text)
    assert article.block_text(article.blocks[0]) == "Read https://example.org/a%20b or www.example.org/%7Eguide today."
    assert article.offsets.to_source(article.text.index("today")) == text.index("today")
    assert [link.url for link in article.links] == ["https://example.org/a%20b", "http://www.example.org/%7Eguide"]


def test_offsets_after_multibyte_characters() -> None:
    """The parser reports UTF-8 byte ranges; every word still maps to its character offset."""
    text = "# Café 😀 guide\n\n| Naïve | 中文 dose |\n|---|---|\n| 5 µg | take 😀😀 sertraline |\n\n- Über **Zoloft** &amp; more\n"
    article = md(text)
    for word in ("guide", "dose", "µg", "sertraline", "Zoloft", "more"):
        index = article.text.index(word)
        assert article.offsets.span_to_source(index, index + len(word)) == (text.index(word), text.index(word) + len(word)), word
    amp = article.text.index("&")
    assert article.offsets.span_to_source(amp, amp + 1) == (text.index("&amp;"), text.index("&amp;") + 5)


@pytest.mark.parametrize(
    "text",
    [">" * 100_000 + " deep", "- " * 20_000 + "deep", "_a " * 50_000 + "deep" + " a_" * 50_000, "[" * 100_000 + "deep", "~~a " * 30_000 + "deep"],
    ids=["blockquotes", "lists", "emphasis", "brackets", "strikethrough"],
)
def test_pathological_nesting_is_parsed(text: str) -> None:
    """Deep nesting neither overflows a stack nor loses the text (pulldown-cmark is iterative and linear)."""
    article = md(text)
    index = article.text.index("deep")
    assert article.offsets.to_source(index) == text.index("deep")
