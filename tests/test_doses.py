"""The hl_doses component: which numbers are pharmacological claims, their kind, values and drug."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

import healthlint.components  # noqa: F401  (registers the extensions before HAS_DRUGS is read)
from healthlint.config import parse_config
from healthlint.nlp import analyse
from healthlint.parse import parse
from healthlint.source import Source
from tests.helpers import matcher_for

HAS_DRUGS = Doc.has_extension("drugs")


def claims_of(text: str, name: str = "a.md"):
    article = parse(Source(name, text), None)
    return analyse(article, parse_config({}))._.claims


def one(text: str):
    found = [c for c in claims_of(text) if c.kind != "frequency"]
    assert len(found) == 1, [(c.kind, c.text) for c in found]
    return found[0]


@pytest.mark.parametrize(
    "text, kind, low, high, unit, per",
    [
        ("Adults start on 0.25 to 0.5 mg taken orally twice daily.", "dose", 0.25, 0.5, "mg", None),
        ("Most people take 10mg at night.", "dose", 10, 10, "mg", None),
        ("Keep the total below 3 mg/day.", "dose", 3, 3, "mg", "day"),
        ("Children may be given 0.01 mg/kg per dose.", "dose", 0.01, 0.01, "mg", "kg/dose"),
        ("The usual range is between 10 and 20 mg.", "dose", 10, 20, "mg", None),
        ("It is sold as 25 mcg tablets.", "strength", 25, 25, "mcg", None),
        ("Clonazepam has a half-life of 20-50 hours.", "half-life", 20, 50, "hours", None),
        ("Its elimination half-life is 5–10 days.", "half-life", 5, 10, "days", None),
        ("A cautious guide is 2 ½ % of the dose per week.", "taper-rate", 2.5, 2.5, "%", None),
        ("Reduce the dose by 10% every two weeks.", "taper-rate", 10, 10, "%", None),
        ("Never take more than 4,000 mg in a day.", "max-dose", 4000, 4000, "mg", None),
        ("The dose can be raised up to 20 mg daily.", "max-dose", 20, 20, "mg", "day"),
        ("It can take up to eight weeks for the drug to be eliminated.", "duration", 8, 8, "weeks", None),
        ("Vitamin D is dosed at 1,000 IU of it daily.", "dose", 1000, 1000, "iu", None),
        ("It takes about five half-lives, roughly 2 to 3 days, to leave the body.", "duration", 2, 3, "days", None),
        ("The total is capped at 300 mg a day.", "max-dose", 300, 300, "mg", "day"),
        ("Adults may take 1,000mg at a time.", "dose", 1000, 1000, "mg", "dose"),
        ("Its half-life in someone with normal thyroid function is about 6 to 7 days.", "half-life", 6, 7, "days", None),
        ("The combined half-life of diazepam and its metabolites is over 200 hours.", "half-life", 200, 200, "hours", None),
        ("Its half-life is short, about two to three hours.", "half-life", 2, 3, "hours", None),
        ("The half-life: 36 hours.", "half-life", 36, 36, "hours", None),
        ("Fluoxetine has a half-life around 4 to 6 days.", "half-life", 4, 6, "days", None),
        ("Diazepam has a 36-hour half-life.", "half-life", 36, 36, "hours", None),
        ("Norfluoxetine has a 4–16-day half-life.", "half-life", 4, 16, "days", None),
        ("It has a 12 hour half life.", "half-life", 12, 12, "hours", None),
    ],
)
def test_claim_kind_and_values(text, kind, low, high, unit, per) -> None:
    claim = one(text)
    assert (claim.kind, claim.low, claim.high, claim.unit) == (kind, low, high, unit)
    if per is not None:
        assert claim.per == per


@pytest.mark.parametrize(
    "text",
    [
        "My mother is 83 now and has taken it since 1998.",
        "5 thoughts on this article",
        "About 10% of people stop within a year.",
        "In a 2019 survey, 40% of patients said they felt better.",
        "Here are 7 tips for sleeping better.",
        "This is a 12 min read.",
        "Aim for 30 g of fibre a day.",
        "One in 5 adults has tried it.",
    ],
)
def test_not_a_claim(text: str) -> None:
    assert [c for c in claims_of(text) if c.kind != "frequency"] == []


@pytest.mark.parametrize(
    "text",
    [
        "This long half-life explains why it takes about six weeks for a dose change to show up.",
        "Because of its long half-life, it takes 4-6 weeks to reach steady state.",
        "Due to the long half-life, steady state is reached after 4 to 6 weeks.",
        "The long half-life means it takes about 5 days to reach steady state.",
        "The half-life of fluoxetine is so long that it takes 5 weeks to clear.",
        "It has a short half-life, so the dose comes down over two to four weeks.",
    ],
)
def test_a_duration_after_an_untied_half_life_is_a_duration(text: str) -> None:
    """A figure is a half-life only when tied to the cue, not when another clause stands between."""
    assert one(text).kind == "duration"


def test_a_half_life_and_the_time_to_steady_state_in_one_sentence() -> None:
    found = claims_of("The half-life is 5 hours, so it takes 5 days to reach steady state.")
    assert [(c.kind, c.low) for c in found] == [("half-life", 5), ("duration", 5)]


def test_a_glued_time_figure_without_the_cue_is_not_a_half_life() -> None:
    assert [c for c in claims_of("It works over a 12-hour day, and a 2-week course is usual.") if c.kind == "half-life"] == []


def test_frequency_attaches_to_dose() -> None:
    found = claims_of("Take 500 mg three times a day with food.")
    dose = next(c for c in found if c.kind == "dose")
    assert dose.times_per_day == 3
    assert any(c.kind == "frequency" and c.low == 3 for c in found)


def test_every_n_hours_is_a_frequency() -> None:
    found = claims_of("Adults take 1 g every 6 hours.")
    assert [c.kind for c in found] == ["dose", "frequency"]
    assert found[0].times_per_day == 4


def test_list_of_strengths() -> None:
    found = claims_of("It comes in 2 mg, 5 mg and 10 mg tablets.")
    assert [(c.kind, c.low) for c in found] == [("strength", 2), ("strength", 5), ("strength", 10)]


def test_base_units() -> None:
    assert one("Adults take 1 g at a time.").base() == (1000, 1000, "mg")
    assert one("The half-life is 2 days.").base() == (48, 48, "hours")


def test_comment_section_is_aside() -> None:
    text = "The usual dose is 5 mg.\n\n3 thoughts on this post\n\nI take 2 mg a day and feel fine.\n"
    found = claims_of(text, "a.txt")
    assert [(c.low, c.aside) for c in found] == [(5, False), (2, True)]


def test_first_person_account_is_aside_but_not_a_first_person_heading() -> None:
    found = claims_of("## How much can I take?\n\nAdults take 5 mg.\n\nQ: I take 100 mg a day. Is that a lot?\n")
    assert [(c.low, c.aside) for c in found] == [(5, False), (100, True)]


def test_blockquote_is_aside() -> None:
    found = claims_of("> A reader wrote: I took 40 mg daily.\n\nThe label dose is 10 mg.\n")
    assert [(c.low, c.aside) for c in found] == [(40, True), (10, False)]


@pytest.mark.skipif(not HAS_DRUGS, reason="hl_drugs not built yet")
def test_drug_is_nearest_in_sentence() -> None:
    found = claims_of("Diazepam 10 mg is roughly equivalent to clonazepam 0.5 mg.")
    assert [(c.low, c.drug) for c in found] == [(10, "diazepam"), (0.5, "clonazepam")]


@pytest.mark.skipif(not HAS_DRUGS, reason="hl_drugs not built yet")
def test_drug_from_previous_sentence_then_heading() -> None:
    text = "# Sertraline\n\n## What is the usual dose of sertraline?\n\nMost adults start on 50 mg.\n\nIbuprofen is different. It is taken as 400 mg.\n"
    found = claims_of(text)
    assert [(c.low, c.drug, c.drug_from) for c in found] == [(50, "sertraline", "block"), (400, "ibuprofen", "previous")]


MATCHER_TEXTS = [
    "Take one tablet twice a day; between 2 ½ and 5 mg every 8-12 hours, up to 40mg-80mg daily, tid or at bedtime.",
    "Two of the nurses said one day that 3 times a week is fine; 1,000 mcg to 1.5 g; 2 ½ mg to 3 ½ mg; 10 % of the dose.",
    "Every 6 to 8 hrs, seven times per day, 2019 (page 12), 5 - 10 ml, one mg, a 20 percent cut each week.",
    "No numbers here at all, only words about a day and a week.",
    "A 36-hour half-life, a 4–6-day half life, 2-3-day half-lives and a twelve hour half-life; a 12-hour day.",
]


@pytest.mark.parametrize("text", MATCHER_TEXTS)
def test_windowed_matcher_finds_what_the_whole_doc_matcher_finds(text: str) -> None:
    from healthlint.components.doses import _View
    from healthlint.nlp import pipeline_for

    config = parse_config({})
    doc = analyse(parse(Source("a.md", text), None), config)
    finder = pipeline_for(config).get_pipe("hl_doses")
    matcher = matcher_for(finder.patterns, doc.vocab)
    assert sorted(finder.matches(_View.of(doc))) == sorted((doc.vocab.strings[key], start, end) for key, start, end in matcher(doc))


def test_a_sentence_part_holds_only_lists_whose_cores_the_sentence_holds() -> None:
    """_tags seeks the indication and metabolite lists in a clause or in the words before a claim only
    when the sentence holds one of the list's cores: check that no part holds a list the screen drops."""
    from healthlint.components.doses import _View, _held, _phrase_lists, _sentence_text

    names = tuple(_phrase_lists())
    text = (
        "The active metabolite of it lasts long ; while for panic ,I take 2 mg. PAIN relief: 5 mg\nfor "
        "alcohol withdrawal whereas İnsomnia needs 1 mg, and I'm fine; ΣΑΣ seizure 3 mg but i think depression 4 mg.\n\n"
        "Combined half-life with its 2 metabolites: sleep; sleep 10 mg."
    )
    doc = analyse(parse(Source("a.md", text), None), parse_config({}))
    view = _View.of(doc)
    checked = 0
    for first, last in view.table.sentences:
        screened = _held(view, _sentence_text(view, first), names, cores=True)
        for start in range(first, last):
            for end in range(start + 1, last + 1):
                part = " " + view.lower_text(start, end) + " "
                assert _held(view, part, names) <= screened, part
                checked += 1
    assert checked > 200


def test_first_token_is_the_start_of_spacys_expanded_char_span() -> None:
    import random

    from healthlint.components.doses import _View, _first_token

    rng = random.Random(3)
    for text in ["One two  three.\n\n  Four, five (six).\n\n\n\nSeven eight", "x", "  lead and trail  "]:
        doc = analyse(parse(Source("a.md", text), None), parse_config({}))
        view, size = _View.of(doc), len(doc._.text)
        pairs = [(block.start, block.end) for block in doc._.article.blocks]
        pairs += [(start, start + rng.randint(0, 6)) for start in range(-1, size + 2)]
        for start, end in pairs:
            span = doc.char_span(start, end, alignment_mode="expand")
            assert _first_token(view, start, end) == (span.start if span is not None else 0), (text, start, end)


def kinds_of(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.kind) for c in claims_of(text) if c.kind != "frequency"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a titration ladder after a verb of movement gives steps, not maximums
        ("Start at 25 mg a day, then move up to 50 mg, 100 mg and then 150 mg.", [("25 mg a day", "dose"), ("50 mg", "dose"), ("100 mg", "dose"), ("150 mg", "dose")]),
        ("Increase up to 0.5 mg, 1 mg and 1.7 mg over four months.", [("0.5 mg", "dose"), ("1 mg", "dose"), ("1.7 mg", "dose")]),
        # "up to" binds only the quantity right after it
        ("The RDA is 600 IU for adults up to age 70 and 800 IU after that.", [("600 IU", "dose"), ("800 IU", "dose")]),
        ("Take up to 40 mg, or 20 mg in older adults.", [("40 mg", "max-dose"), ("20 mg", "dose")]),
        # a single destination after a verb of movement is the ceiling
        ("Doctors can go up to 60 mg a day.", [("60 mg a day", "max-dose")]),
        # linking words, drug names and a short narrowing phrase stay tied
        ("The maximum weekly dose of semaglutide is 2.4 mg.", [("2.4 mg", "max-dose")]),
        ("The maximum daily dose for schizophrenia is 750 mg.", [("750 mg", "max-dose")]),
        ("Take no more than three doses (15 mg) at once.", [("15 mg", "max-dose")]),
    ],
)
def test_a_max_cue_binds_the_quantity_right_after_it(text: str, expected) -> None:
    assert kinds_of(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Take 1,000 mg every 6 hours for acute pain.", [("1,000 mg", "dose")]),
        ("It is a subcutaneous injection of 2.4 mg every week.", [("2.4 mg every week", "dose")]),
        ("Wegovy reduced hospital stays by 11% each year.", []),
        ("Your doctor will lower the dose slowly, often by 37.5 mg every two weeks.", [("37.5 mg", "taper-rate")]),
        ("Cut by about 5 to 10% every 2 to 4 weeks, and not more than 25% in any two-week period.", [("5 to 10%", "taper-rate"), ("25%", "taper-rate")]),
    ],
)
def test_taper_cues_are_whole_words_acting_on_the_dose(text: str, expected) -> None:
    assert [(t, k) for t, k in kinds_of(text) if k != "duration"] == expected


@pytest.mark.skipif(not HAS_DRUGS, reason="hl_drugs not built yet")
@pytest.mark.parametrize(
    "text, drug",
    [
        # a drug named in passing in the sentence before is no antecedent: the paragraph's subject is
        ("# Pain relief\n\nAcetaminophen relieves pain. In some pills it is combined with codeine. The usual dose is 650 mg.\n", "acetaminophen"),
        ("# Colds\n\nPseudoephedrine is a decongestant. It can be used to make methamphetamine. The usual dose is 60 mg.\n", "pseudoephedrine"),
        # a subject drug in the sentence before stays the antecedent
        ("# Pain relief\n\nAcetaminophen relieves pain. Unlike aspirin, ibuprofen is an NSAID. It is taken as 400 mg.\n", "ibuprofen"),
        ("# Vitamins\n\nVitamin D3 (cholecalciferol) is the usual form. The daily allowance is 600 IU.\n", "cholecalciferol"),
    ],
)
def test_a_drug_named_in_passing_is_no_antecedent(text: str, drug: str) -> None:
    assert [(c.drug, c.drug_from) for c in claims_of(text) if c.kind == "dose"] == [(drug, "previous")]


@pytest.mark.skipif(not HAS_DRUGS, reason="hl_drugs not built yet")
def test_a_passing_drug_yields_to_the_article_subject() -> None:
    text = "# Sertraline guide\n\nSertraline is an SSRI.\n\nDoctors sometimes add bupropion. The usual dose is 50 mg.\n"
    assert [(c.drug, c.drug_from) for c in claims_of(text) if c.kind == "dose"] == [("sertraline", "block")]


@pytest.mark.parametrize(
    "text, overdose",
    [
        ("Adults can take up to 8,000 mg a day, but more can cause liver damage.", False),
        ("Never take more than 6,000 mg in a day, because an overdose can cause liver failure.", False),
        ("Taking more than 10 g at once can cause liver failure.", True),
        ("An overdose of 15 g can be fatal.", True),
        ("Never take more than 4,000 mg a day; 8,000 mg a day can cause liver failure.", None),
    ],
)
def test_the_overdose_tag_is_scoped_to_the_quantitys_phrase(text: str, overdose) -> None:
    tagged = ["overdose" in c.tags for c in claims_of(text) if c.kind != "frequency"]
    assert tagged == ([False, True] if overdose is None else [overdose])
