"""Plain-text parsing (scraped articles): heading heuristics, bullets, directive lines, offsets."""

from __future__ import annotations

from pathlib import Path

from healthlint.article import Article
from healthlint.parse import parse
from healthlint.source import Source, read_source

SCRAPED = """Amoxicillin for Ear Infections

Amoxicillin is a penicillin antibiotic often used for middle ear infections in children.

How Amoxicillin Works
It stops bacteria from building their cell walls, so they burst and die.

Common side effects:
• Diarrhoea
• Nausea or vomiting
  - usually mild
1. Call your doctor if a rash appears.
2) Finish the course.

Can I give it with milk?
Yes, you can give it with milk, food or on an empty stomach.

healthlint-disable-next-line drug-swap
Dosing depends on weight, so check the label, not a friend's advice.
Short line without a full stop
"""


def txt(text: str) -> Article:
    return parse(Source("a.txt", text))


def kinds(article: Article) -> list[tuple[str, str]]:
    return [(block.kind, article.block_text(block)) for block in article.blocks]


def test_headings_bullets_and_paragraphs() -> None:
    assert kinds(txt(SCRAPED)) == [
        ("heading", "Amoxicillin for Ear Infections"),
        ("paragraph", "Amoxicillin is a penicillin antibiotic often used for middle ear infections in children."),
        ("heading", "How Amoxicillin Works"),
        ("paragraph", "It stops bacteria from building their cell walls, so they burst and die."),
        ("heading", "Common side effects:"),
        ("list_item", "Diarrhoea"),
        ("list_item", "Nausea or vomiting"),
        ("list_item", "usually mild"),
        ("list_item", "Call your doctor if a rash appears."),
        ("list_item", "Finish the course."),
        ("heading", "Can I give it with milk?"),
        ("paragraph", "Yes, you can give it with milk, food or on an empty stomach."),
        ("paragraph", "Dosing depends on weight, so check the label, not a friend's advice."),
        ("paragraph", "Short line without a full stop"),
    ]


def test_heading_levels_sections_and_list_groups() -> None:
    article = txt(SCRAPED)
    by_text = {article.block_text(block): block for block in article.blocks}
    assert by_text["Amoxicillin for Ear Infections"].level == 1
    assert by_text["How Amoxicillin Works"].level == 2
    assert by_text["Common side effects:"].level == 3
    assert article.heading_of(by_text["Diarrhoea"]) is by_text["Common side effects:"]
    groups = {by_text[name].list_group for name in ("Diarrhoea", "usually mild", "Finish the course.")}
    assert len(groups) == 1 and None not in groups
    assert article.title == "Amoxicillin for Ear Infections"


def test_directive_lines_are_not_prose_but_are_directives() -> None:
    article = txt(SCRAPED)
    assert "healthlint" not in article.text
    [directive] = article.directives
    assert directive.action == "disable-next-line" and directive.rules == ("drug-swap",)
    assert directive.line == SCRAPED.splitlines().index("healthlint-disable-next-line drug-swap") + 1


def test_sentence_ending_lines_and_long_lines_are_not_headings() -> None:
    article = txt("This short line ends here.\nA following paragraph with several more words in it.\n")
    assert [block.kind for block in article.blocks] == ["paragraph", "paragraph"]
    long_line = " ".join(["word"] * 20)
    assert txt(f"{long_line}\nNext paragraph here.\n").blocks[0].kind == "paragraph"


def test_last_line_is_never_a_heading() -> None:
    assert txt("Intro paragraph.\nClosing Words").blocks[-1].kind == "paragraph"


def test_crlf_text_offsets() -> None:
    text = SCRAPED.replace("\n", "\r\n")
    article = txt(text)
    assert "\r" not in article.text
    index = article.text.index("Nausea")
    line, column = article.position(index)
    assert text.split("\r\n")[line - 1][column - 1 :].startswith("Nausea")


def test_seed_articles_parse_with_exact_offsets(seeds: Path) -> None:
    """Every block of each scraped seed is copied verbatim from its source, bullets stripped."""
    for path in sorted(seeds.glob("*.txt")):
        article = parse(read_source(path))
        assert any(block.is_heading for block in article.blocks), path.name
        assert any(block.kind == "paragraph" for block in article.blocks), path.name
        source = article.source.text
        for block in article.blocks:
            start, end = article.offsets.span_to_source(block.start, block.end)
            assert source[start:end] == article.block_text(block), path.name
            assert not article.block_text(block).startswith(("• ", "- ", "* ")), path.name
        bullets = sum(1 for line in source.splitlines() if line.strip().startswith("•"))
        assert sum(1 for block in article.blocks if block.kind == "list_item") >= bullets, path.name


def test_term_dash_description_runs_are_list_items_not_headings() -> None:
    article = txt(
        "Related medicines:\n\nCelecoxib – sold as Celebrex\n\nMeloxicam – sold as Mobic\n\n"
        "Both are taken once a day with food.\n"
    )
    kinds = [(block.kind, article.block_text(block)[:9]) for block in article.blocks]
    assert kinds[1:3] == [("list_item", "Celecoxib"), ("list_item", "Meloxicam")]
    assert article.blocks[1].list_group == article.blocks[2].list_group


def test_a_single_term_dash_line_can_still_be_a_heading() -> None:
    article = txt("Intro paragraph here.\n\nNaproxen – what to know\n\nNaproxen relieves pain and swelling in joints.\n")
    assert article.blocks[1].kind == "heading"
