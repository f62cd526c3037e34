"""Options and behaviour of the hygiene rules beyond their fixtures: duplicate-content scaling,
option effects, the boilerplate detection shared with truncated-text, and stale-review dates."""

from __future__ import annotations

import datetime as dt
import random
import time

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint import boilerplate
from healthlint.config import ConfigError, parse_config
from healthlint.finding import Severity
from healthlint.parse import parse
from healthlint.rule import RuleContext
from healthlint.ruledata import check_keys
from healthlint.rules import duplicate_content, stale_review
from healthlint.source import Source

from tests.helpers import lint_text, rule_lines

TODAY = dt.date(2026, 6, 1)

PARAGRAPH = ("Stopping propranolol suddenly can cause a fast heartbeat, tremor and, in people with heart disease, "
             "chest pain. The dose is usually lowered over a week or two instead.")
REWORDED = ("Stopping propranolol abruptly can cause a racing heartbeat, shaking and, in people with heart disease, "
            "chest pain. The dose is normally reduced over a week or two instead.")


def _article(*paragraphs: str) -> str:
    return "# Propranolol\n\n" + "\n\n".join(paragraphs) + "\n"


def _long_article(words: int) -> str:
    rng = random.Random(7)
    vocab = ("dose tablet nausea sleep doctor morning evening week taper anxiety mood heart blood pressure "
             "kidney liver pharmacist label risk rare common serious start stop lower food water alcohol").split()
    parts, count, index = ["# A long guide to one medicine"], 0, 0
    while count < words:
        index += 1
        if index % 5 == 0:
            parts.append(f"## Part {index}: {rng.choice(vocab)} and {rng.choice(vocab)}")
        parts.append(" ".join(rng.choice(vocab) for _ in range(60)).capitalize() + ".")
        count += 60
    parts.append(parts[2])  # one planted verbatim repeat at the very end
    return "\n\n".join(parts) + "\n"


def test_duplicate_content_scales_to_a_20000_word_article() -> None:
    text = _long_article(20_000)
    article = parse(Source("long.md", text))
    doc = spacy.blank("en").make_doc(article.text)
    config = parse_config({})
    ctx = RuleContext(article, duplicate_content.RULE, Severity.WARNING, dict(duplicate_content.RULE.options), config, TODAY)
    started = time.perf_counter()
    findings = list(duplicate_content.check(doc, ctx))
    elapsed = time.perf_counter() - started
    assert len(text.split()) >= 20_000
    assert [f.line for f in findings] == [text.count("\n", 0, text.rindex(article.block_text(article.blocks[2]))) + 1]
    assert elapsed < 3.0, f"duplicate-content took {elapsed:.2f}s on 20,000 words"


def test_similarity_option_decides_how_near_a_rewording_must_be() -> None:
    text = _article(PARAGRAPH, "Propranolol is also used to prevent migraine and to calm the physical symptoms of stage fright.", REWORDED)
    assert rule_lines(lint_text(text, select=["duplicate-content"]), "duplicate-content") == []
    loose = {"rules": {"duplicate-content": {"options": {"similarity": 0.3}}}}
    assert rule_lines(lint_text(text, select=["duplicate-content"], config=loose), "duplicate-content") == [7]


def test_min_words_keeps_short_stock_phrases_out() -> None:
    text = _article("Ask your pharmacist about this.", PARAGRAPH, "Ask your pharmacist about this.")
    assert rule_lines(lint_text(text, select=["duplicate-content"]), "duplicate-content") == []
    short = {"rules": {"duplicate-content": {"options": {"min_words": 3}}}}
    assert rule_lines(lint_text(text, select=["duplicate-content"], config=short), "duplicate-content") == [7]


def test_repeated_heading_reported_once_for_the_whole_section_and_can_be_turned_off() -> None:
    text = "# Propranolol\n\n## Stopping\n\n" + PARAGRAPH + "\n\n## Migraine\n\nIt prevents attacks in some people.\n\n## Stopping\n\n" + PARAGRAPH + "\n"
    findings = [f for f in lint_text(text, select=["duplicate-content"]) if f.rule == "duplicate-content"]
    assert [f.line for f in findings] == [11] and "line 3" in findings[0].message
    off = {"rules": {"duplicate-content": {"options": {"headings": False}}}}
    assert rule_lines(lint_text(text, select=["duplicate-content"], config=off), "duplicate-content") == [13]


def test_near_duplicates_picks_the_best_earlier_match() -> None:
    tokens = duplicate_content.words(PARAGRAPH)
    first = duplicate_content.Unit("paragraph", (0,), duplicate_content.shingles(tokens[:20], 3))
    second = duplicate_content.Unit("paragraph", (1,), duplicate_content.shingles(tokens, 3))
    third = duplicate_content.Unit("paragraph", (2,), duplicate_content.shingles(tokens, 3))
    listed = duplicate_content.Unit("list", (3,), duplicate_content.shingles(tokens, 3))
    found = [(later.blocks, earlier.blocks) for later, earlier, _ in duplicate_content.near_duplicates([first, second, third, listed], 0.85)]
    assert found == [((2,), (1,))]


def _best_match_by_brute_force(units, threshold):
    """The reference: compare each unit with every earlier unit of its kind."""
    for position, unit in enumerate(units):
        shares = [(len(unit.shingles & other.shingles) / max(len(unit.shingles), len(other.shingles)), -i)
                  for i, other in enumerate(units[:position]) if other.kind == unit.kind and unit.shingles & other.shingles]
        if shares and max(shares)[0] >= threshold:
            share, i = max(shares)
            yield unit.blocks, units[-i].blocks, share


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["paragraph", "list"]), st.frozensets(st.integers(0, 30), min_size=1, max_size=12)), max_size=14),
       st.sampled_from([0.3, 0.5, 0.85, 1.0]))
def test_near_duplicates_finds_what_comparing_every_pair_finds(specs, threshold) -> None:
    units = [duplicate_content.Unit(kind, (i,), shingles) for i, (kind, shingles) in enumerate(specs)]
    found = [(later.blocks, earlier.blocks, share) for later, earlier, share in duplicate_content.near_duplicates(units, threshold)]
    assert found == list(_best_match_by_brute_force(units, threshold))


def test_truncated_text_uses_the_boilerplate_rules_configured_chrome() -> None:
    text = _article(PARAGRAPH, "Your doctor may suggest a slower taper if you", "Print this leaflet")
    assert rule_lines(lint_text(text, select=["truncated-text"]), "truncated-text") == [7]
    config = {"rules": {"boilerplate": {"options": {"extra_patterns": ["print this leaflet"]}}}}
    assert rule_lines(lint_text(text, select=["truncated-text"], config=config), "truncated-text") == [5]


def test_truncated_text_extra_endings() -> None:
    text = _article(PARAGRAPH, "Pharmacy team at Northside Clinic")
    assert rule_lines(lint_text(text, select=["truncated-text"]), "truncated-text") == [5]
    config = {"rules": {"truncated-text": {"options": {"extra_endings": ["pharmacy team at .+"]}}}}
    assert rule_lines(lint_text(text, select=["truncated-text"], config=config), "truncated-text") == []


def test_boilerplate_extra_link_headers_take_the_following_titles() -> None:
    text = _article(PARAGRAPH, "Readers also viewed", "Propranolol and asthma", "Beta-blockers in pregnancy", "A last paragraph that is real prose.")
    config = {"rules": {"boilerplate": {"options": {"extra_link_headers": ["readers also viewed"]}}}}
    findings = [f for f in lint_text(text, select=["boilerplate"], config=config) if f.rule == "boilerplate"]
    assert [f.line for f in findings] == [5] and "(5 lines)" in findings[0].message
    article = parse(Source("a.md", text))
    region = boilerplate.regions(article, boilerplate.compile_patterns((), ("readers also viewed",)))
    assert [(r.first, r.last) for r in region] == [(2, 4)]


def _front(body: str) -> str:
    return f"---\n{body}---\n# Article\n\nText about the medicine.\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024-06-01", dt.date(2024, 6, 1)), ("'2024/06/01'", dt.date(2024, 6, 1)), ("June 1, 2024", dt.date(2024, 6, 1)),
     ("1 June 2024", dt.date(2024, 6, 1)), ("June 2024", dt.date(2024, 6, 1)), ("'2024-13-01'", None), ("soon", None), ("2024", None)],
)
def test_review_date_formats(value: str, expected: dt.date | None) -> None:
    import yaml

    assert stale_review.parse_date(yaml.safe_load(f"d: {value}")["d"]) == expected


def test_max_age_is_counted_in_calendar_months() -> None:
    assert stale_review.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    text = _front("last_reviewed: 2024-06-02\n")
    assert rule_lines(lint_text(text, select=["stale-review"], today=TODAY), "stale-review") == []
    text = _front("last_reviewed: 2024-05-31\n")
    assert rule_lines(lint_text(text, select=["stale-review"], today=TODAY), "stale-review") == [2]
    config = {"rules": {"stale-review": {"options": {"max_age_months": 36}}}}
    assert rule_lines(lint_text(text, select=["stale-review"], config=config, today=TODAY), "stale-review") == []


def test_label_change_alone_makes_a_recent_review_stale_and_names_the_change() -> None:
    text = _front("drug: hydrocodone\nreviewed: 2025-01-15\n")
    findings = [f for f in lint_text(text, select=["stale-review"], today=TODAY) if f.rule == "stale-review"]
    assert [f.line for f in findings] == [3]
    assert "2025-07-31" in findings[0].message and "hydrocodone" in findings[0].message and findings[0].source is not None
    config = {"rules": {"stale-review": {"options": {"label_changes": False}}}}
    assert rule_lines(lint_text(text, select=["stale-review"], config=config, today=TODAY), "stale-review") == []


def test_label_change_via_the_drug_component_when_front_matter_names_no_drug() -> None:
    text = "---\nreviewed: 2025-01-15\n---\n# Oxycodone after surgery\n\nOxycodone is an opioid. Oxycodone doses are kept short.\n"
    assert rule_lines(lint_text(text, select=["stale-review"], today=TODAY), "stale-review") == [2]


def test_extra_keys_and_today_injection() -> None:
    text = _front("reviewed_on: 2025-12-01\n")
    assert rule_lines(lint_text(text, select=["stale-review"], today=TODAY), "stale-review") == []
    config = {"rules": {"stale-review": {"options": {"extra_keys": ["reviewed_on"]}}}}
    assert rule_lines(lint_text(text, select=["stale-review"], config=config, today=TODAY), "stale-review") == []
    assert rule_lines(lint_text(text, select=["stale-review"], config=config, today=dt.date(2025, 11, 1)), "stale-review") == [2]


def test_data_entries_are_key_checked() -> None:
    with pytest.raises(ConfigError):
        check_keys({"name": "x", "kind": "line", "patern": "x"}, {"name", "kind", "pattern"}, set(), "test")


@pytest.mark.parametrize(
    ("last", "chrome"),
    [
        ("You might also like: 7 asthma triggers to avoid this spring", True),
        ("Related: How cold weather affects your asthma", True),
        ("Read more: Inhaler technique in five steps", True),
        ("Related: the dose is lower in people with kidney disease.", False),
        ("Recommended: one tablet at bedtime", False),
        ("Further reading: how to use a spacer", False),
        ("See also: how to use a spacer", False),
        ("For children, see also the section on spacers", False),
    ],
)
def test_an_inline_teaser_is_chrome_but_a_line_that_only_opens_like_one_is_not(last: str, chrome: bool) -> None:
    article = parse(Source("a.md", _article(PARAGRAPH, last)))
    assert (2 in boilerplate.chrome_blocks(article, boilerplate.compile_patterns())) is chrome


@pytest.mark.parametrize(
    ("last", "lines"),
    [
        ("You might also like: 7 asthma triggers to avoid this spring", []),
        ("Further reading: how to use a spacer", []),
        ("Related reading: how to use a spacer", []),
        ("For children, see also the section on", [5]),
        ("Further reading shows that the dose in children is", [5]),
    ],
)
def test_truncated_text_looks_past_an_inline_teaser_and_an_inline_reading_list(last: str, lines: list[int]) -> None:
    assert rule_lines(lint_text(_article(PARAGRAPH, last), select=["truncated-text"]), "truncated-text") == lines


def _chrome_texts(path: str, text: str) -> list[str]:
    article = parse(Source(path, text))
    chrome = boilerplate.chrome_blocks(article, boilerplate.compile_patterns())
    return [article.block_text(article.blocks[i]) for i in sorted(chrome)]


def test_a_link_list_stops_at_a_reply_form_which_takes_the_comments_to_the_end() -> None:
    text = ("Hydroxyzine\n\nHydroxyzine can cause drowsiness.\n\nRelated\n\nAntihistamines and alcohol\n\n"
            "Leave a Reply\n\nJo says:\n\nThanks, this helped.\n\nReply\n")
    article = parse(Source("a.md", text))
    found = boilerplate.regions(article, boilerplate.compile_patterns())
    assert [(r.first, r.last) for r in found] == [(2, 7)]
    marks = boilerplate._mark_blocks(article, boilerplate.compile_patterns())
    assert marks[4] == "reply form" and marks[3] == "related articles"


@pytest.mark.parametrize(
    ("row", "chrome"),
    [
        ("| Share this article | Facebook · Twitter · Email |", True),
        ("| Loratadine | Recommended |", False),
        ("| Cetirizine | Related to drowsiness in some infants |", False),
        ("| Recommended | |", True),
    ],
)
def test_a_table_cell_is_chrome_only_when_its_whole_row_is(row: str, chrome: bool) -> None:
    text = f"# Allergy medicines\n\nMost pass into milk in small amounts.\n\n| Medicine | Verdict |\n|---|---|\n{row}\n| Fexofenadine | Fine |\n"
    texts = _chrome_texts("a.md", text)
    assert bool(texts) is chrome
    assert "Fexofenadine" not in texts and "Medicine" not in texts


@pytest.mark.parametrize(
    ("row", "chrome"),
    [
        ("<tr>\n<td>Share this article</td>\n<td>Facebook · Twitter · Email</td>\n</tr>", True),
        ("<tr>\n<td>Loratadine</td>\n<td>Recommended</td>\n</tr>", False),
    ],
)
def test_an_html_table_row_is_bounded_by_its_tr(row: str, chrome: bool) -> None:
    text = ("<article><h1>Allergy medicines</h1><p>Most pass into milk in small amounts.</p><table>"
            f"<tr><th>Medicine</th><th>Verdict</th></tr>{row}<tr><td>Fexofenadine</td><td>Fine</td></tr></table></article>")
    texts = _chrome_texts("a.html", text)
    assert bool(texts) is chrome
    assert "Fexofenadine" not in texts


@pytest.mark.parametrize(
    ("title", "taken"),
    [
        ("Ozempic face: is it real?", True),
        ("Can you drink coffee on a taper?", True),
        ("Is it safe? We asked three pharmacists.", False),
        ("Why? Because the dose was too high?", False),
    ],
)
def test_a_question_headline_is_a_link_title_but_two_sentences_are_not(title: str, taken: bool) -> None:
    texts = _chrome_texts("a.md", f"# Sleep\n\nMelatonin helps some people sleep.\n\nRelated posts\n\n{title}\n")
    assert (title in texts) is taken
