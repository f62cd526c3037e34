"""Plain-text parsing (scraped articles): heading heuristics, bullets, directive lines, offsets."""

from __future__ import annotations

import re
from pathlib import Path

from healthlint.article import Article
from healthlint.parse import parse
from healthlint.source import Source, read_source

from tests.helpers import lint_text, rule_lines

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


WRAPPED = """Sertraline: A Guide for Patients

Sertraline is an antidepressant of the SSRI group. It is used for depression,
panic disorder and obsessive-compulsive disorder, and most people take one
tablet a day. It can take four to six weeks to work fully, so keep taking it;
sleep, appetite and energy are often the first to improve
within a week or two.

Common side effects:

- Nausea, loose stools and a dry mouth in the first weeks, which usually fade
  as the body gets used to the medicine
- Trouble sleeping
1. Take it at the same time each day, with or without food, and do not stop
it suddenly.

What if I miss a dose?

Take it as soon as you remember, unless it is nearly time for the next one
– then skip the missed dose. Never take two doses at once to make up for a
forgotten one, because that raises the chance of side effects like electric-
shock feelings, dizziness and an upset stomach for a day or two afterwards.
Stopping sertraline
Talk to your doctor first: the dose is usually lowered over a few weeks.
"""


def test_hard_wrapped_paragraphs_become_one_block_each() -> None:
    assert kinds(txt(WRAPPED)) == [
        ("heading", "Sertraline: A Guide for Patients"),
        (
            "paragraph",
            "Sertraline is an antidepressant of the SSRI group. It is used for depression, panic disorder and"
            " obsessive-compulsive disorder, and most people take one tablet a day. It can take four to six weeks"
            " to work fully, so keep taking it; sleep, appetite and energy are often the first to improve within a"
            " week or two.",
        ),
        ("heading", "Common side effects:"),
        (
            "list_item",
            "Nausea, loose stools and a dry mouth in the first weeks, which usually fade as the body gets used to"
            " the medicine",
        ),
        ("list_item", "Trouble sleeping"),
        ("list_item", "Take it at the same time each day, with or without food, and do not stop it suddenly."),
        ("heading", "What if I miss a dose?"),
        (
            "paragraph",
            "Take it as soon as you remember, unless it is nearly time for the next one – then skip the missed"
            " dose. Never take two doses at once to make up for a forgotten one, because that raises the chance"
            " of side effects like electric-shock feelings, dizziness and an upset stomach for a day or two afterwards.",
        ),
        ("heading", "Stopping sertraline"),
        ("paragraph", "Talk to your doctor first: the dose is usually lowered over a few weeks."),
    ]


def _assert_every_word_maps_to_its_source(article: Article, lines: list[str]) -> None:
    for block in article.blocks:
        text = article.block_text(block)
        for word in re.finditer(r"\S+", text):
            parts = word.group().split("-") if word.group() == "electric-shock" else [word.group()]
            offset = block.start + word.start()
            for part in parts:
                line, column = article.position(offset)
                assert lines[line - 1][column - 1 :].startswith(part), (word.group(), line, column)
                offset += len(part) + 1


def test_wrapped_blocks_map_every_word_to_its_line_and_column() -> None:
    _assert_every_word_maps_to_its_source(txt(WRAPPED), WRAPPED.split("\n"))


def test_wrapped_line_break_stands_for_a_space_on_the_newline() -> None:
    article = txt(WRAPPED)
    space = article.text.index("depression, panic") + len("depression,")
    assert article.text[space] == " "
    assert article.offsets.span_to_source(space, space + 1) == (WRAPPED.index(",\npanic") + 1, WRAPPED.index("\npanic") + 1)
    hyphen = article.text.index("electric-shock")
    start, end = article.offsets.span_to_source(hyphen, hyphen + len("electric-shock"))
    assert WRAPPED[start:end] == "electric-\nshock"


def test_crlf_wrapped_text_joins_lines_the_same_way() -> None:
    text = WRAPPED.replace("\n", "\r\n")
    article = txt(text)
    assert kinds(article) == kinds(txt(WRAPPED))
    _assert_every_word_maps_to_its_source(article, text.split("\r\n"))
    space = article.text.index("depression, panic") + len("depression,")
    assert article.offsets.span_to_source(space, space + 1) == (text.index("\r\npanic"), text.index("\r\npanic") + 2)


WRAPPED_AT_FULL_STOPS = """Escitalopram and the heart

Escitalopram can lengthen the QT interval on an ECG, which matters most for
people who already have a heart rhythm problem. The effect grows with dose.
Your doctor may check an ECG first if you have heart disease or low levels
of potassium or magnesium in your blood. Tell them about every medicine.
Some antibiotics and antipsychotics lengthen the QT interval too, and the
effects add up when they are taken together with escitalopram.

Key point
keep a list of your medicines and show it to every doctor you see.
"""


def test_wrapped_lines_that_end_with_a_full_stop_still_join_but_a_short_label_does_not() -> None:
    article = txt(WRAPPED_AT_FULL_STOPS)
    assert [block.kind for block in article.blocks] == ["heading", "paragraph", "heading", "paragraph"]
    assert article.block_text(article.blocks[2]) == "Key point"
    assert article.block_text(article.blocks[1]).endswith(
        "grows with dose. Your doctor may check an ECG first if you have heart disease or low levels of potassium"
        " or magnesium in your blood. Tell them about every medicine. Some antibiotics and antipsychotics lengthen"
        " the QT interval too, and the effects add up when they are taken together with escitalopram."
    )


def test_a_title_case_heading_that_fills_the_width_is_not_joined() -> None:
    text = WRAPPED_AT_FULL_STOPS.replace(
        "Escitalopram and the heart\n\n",
        "Escitalopram and the Heart: What Every Patient Should Know About the QT\nby the editors\n\n",
    )
    article = txt(text)
    assert article.blocks[0].kind == "heading"
    assert article.block_text(article.blocks[0]).endswith("About the QT")
    assert article.block_text(article.blocks[1]) == "by the editors"


def test_scraped_lines_of_similar_length_are_not_joined() -> None:
    """One sentence per line, no blank lines, all close to one width: a paragraph per line, not wrapping."""
    text = (
        "Omeprazole reduces the amount of acid the stomach makes and eases heartburn.\n"
        "It is usually taken once a day before breakfast, swallowed whole with water.\n"
        "Most people notice their symptoms getting better within two or three days.\n"
        "Long-term use can lower magnesium levels, so your doctor may test your blood.\n"
        "Speak to a pharmacist before combining it with clopidogrel or methotrexate.\n"
    )
    assert [article_text for _, article_text in kinds(txt(text))] == text.splitlines()


def test_seed_blocks_never_span_two_source_lines(seeds: Path) -> None:
    """The scraped seeds hold a paragraph per line: none is read as hard-wrapped."""
    for path in sorted(seeds.glob("*.txt")):
        article = parse(read_source(path))
        for block in article.blocks:
            first, last = article.position(block.start)[0], article.position(max(block.start, block.end - 1))[0]
            assert first == last, (path.name, article.block_text(block)[:60])


def test_cited_dose_on_one_wrapped_line_with_its_citation_on_the_next_is_not_flagged() -> None:
    text = (
        "Bisoprolol for a Fast Heart Rate\n\n"
        "Bisoprolol is a beta blocker that slows the heart and lowers blood pressure. Adults\n"
        "with heart failure usually start on 1.25 mg once a day and build up slowly over\n"
        "several weeks to a target of 10 mg once a day, according to the NICE guideline on\n"
        "chronic heart failure. Tell your doctor if you feel dizzy or faint when you stand.\n"
    )
    assert rule_lines(lint_text(text, "a.txt", select=["unsourced-dosage"])) == []
    uncited = text.replace(", according to the NICE guideline on\nchronic heart failure.", ".\nCheck in regularly.")
    assert rule_lines(lint_text(uncited, "a.txt", select=["unsourced-dosage"])) == [4, 5]
