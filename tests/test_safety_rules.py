"""Options, data checks and authorities of the safety rules (fixtures cover the detection itself)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from healthlint.cli import main
from healthlint.rules import dose_out_of_range, missing_safety_warning

from tests.helpers import lint_text, rule_lines

SAFETY = ["missing-disclaimer", "unsourced-dosage", "dose-out-of-range", "inconsistent-claim", "missing-safety-warning", "absolute-claim"]
DISCLAIMED = "# Ibuprofen\n\nIbuprofen eases pain.\n\nThis article is for informational purposes only.\n"


def test_house_disclaimer_text_is_required_when_configured() -> None:
    config = {"rules": {"missing-disclaimer": {"options": {"house_text": "Reviewed by the Example Health medical board; not medical advice."}}}}
    assert rule_lines(lint_text(DISCLAIMED, select=["missing-disclaimer"], config=config)) == [1]
    text = DISCLAIMED + "\nReviewed by the Example Health   medical board; not medical advice.\n"
    assert lint_text(text, select=["missing-disclaimer"], config=config) == []


@pytest.mark.parametrize(
    "paragraphs, flagged",
    [
        (["This article is for informational", "purposes only."], True),  # a phrase split by paragraphs
        (["Talk to your doctor before stopping.", "This article explains the dose."], True),  # weak and context apart
        (["Talk to your doctor before stopping; this article is no guide.", "Plain text."], False),
        (["Plain text.", "It is for general information  only, and\nnot a substitute for professional medical advice."], False),
        (["Plain text.", "It is NOT medical advice, but ask your doctor."], False),
    ],
)
def test_disclaimer_phrases_count_within_one_paragraph(paragraphs: list[str], flagged: bool) -> None:
    text = "# Ibuprofen\n\nIbuprofen eases pain.\n\n" + "\n\n".join(paragraphs) + "\n"
    assert rule_lines(lint_text(text, select=["missing-disclaimer"])) == ([1] if flagged else [])


def test_extra_disclaimer_phrases() -> None:
    text = "# Ibuprofen\n\nIbuprofen eases pain.\n\nAsk a clinician; we are journalists, not clinicians.\n"
    assert rule_lines(lint_text(text, select=["missing-disclaimer"])) == [1]
    config = {"rules": {"missing-disclaimer": {"options": {"extra_phrases": ["we are journalists, not clinicians"]}}}}
    assert lint_text(text, select=["missing-disclaimer"], config=config) == []


def test_team_adds_a_drug_fact_through_options() -> None:
    text = "# Hydroxyzine\n\nHydroxyzine is taken at 500 mg at night.\n"
    assert lint_text(text, select=["dose-out-of-range"]) == []
    facts = {"hydroxyzine": {"unit": "mg", "min_dose": 10, "max_single": 100, "max_daily": 400,
                             "source": {"text": "Hydroxyzine label", "url": "https://example.org/hydroxyzine"}}}
    found = lint_text(text, select=["dose-out-of-range"], config={"rules": {"dose-out-of-range": {"options": {"facts": facts}}}})
    assert [(f.line, f.source.text) for f in found] == [(3, "Hydroxyzine label")]


def test_bad_fact_in_options_names_the_key() -> None:
    with pytest.raises(Exception, match="max_daily"):
        dose_out_of_range.facts_for({"facts": {"x": {"unit": "mg", "min_dose": 1, "max_single": 2, "source": {"text": "t"}}}})


def test_tolerance_accepts_a_little_over() -> None:
    text = "# Sertraline\n\nSertraline is taken at 210 mg a day.\n"
    assert rule_lines(lint_text(text, select=["dose-out-of-range"])) == [3]
    config = {"rules": {"dose-out-of-range": {"options": {"tolerance": 0.1}}}}
    assert lint_text(text, select=["dose-out-of-range"], config=config) == []


def test_every_shipped_fact_names_its_source() -> None:
    facts = dose_out_of_range.shipped_facts()
    assert len(facts) >= 25
    for name, fact in facts.items():
        assert fact["source"]["text"] and fact["source"]["url"].startswith("https://"), name
        limits = [v for v in (fact["max_single"], fact["max_daily"]) if v is not None]
        assert limits and all(fact["min_dose"] <= v for v in limits), name


def test_required_classes_and_topics() -> None:
    classes = missing_safety_warning.shipped_classes()
    for name in ("benzodiazepine", "opioid", "antidepressant", "nsaid", "acetaminophen"):
        assert classes[name]["topics"], name
        for topic in classes[name]["topics"]:
            assert len(topic["phrases"]) >= 2 or name == "antidepressant", topic["id"]
            assert topic["source"]["url"].startswith("https://www.fda.gov/"), topic["id"]


def test_extra_topics_option() -> None:
    text = "# Atorvastatin\n\nAtorvastatin is a statin that lowers cholesterol.\n"
    assert lint_text(text, select=["missing-safety-warning"]) == []
    topic = {"id": "myopathy", "name": "muscle damage", "phrases": ["muscle (pain|damage)", "rhabdomyolysis"],
             "source": {"text": "Statin labels, Warnings", "url": "https://example.org/statins"}}
    config = {"rules": {"missing-safety-warning": {"options": {"extra_topics": {"statin": [topic]}}}}}
    found = lint_text(text, select=["missing-safety-warning"], config=config)
    assert [(f.line, "muscle damage" in f.message) for f in found] == [(1, True)]


@pytest.mark.parametrize(
    "sentences, missing",
    [
        ("Stopping it abruptly is risky. Misuse can lead to addiction. Never mix it with opioids.", False),
        ("Stopping it abruptly is risky. Misuse can lead to addiction. Pain killers are another matter. Never mix drinks.", True),
        ("Stopping it abruptly is risky. Misuse can lead to addiction. Never take pain killers together with it.", False),
        ("Stopping it abruptly is risky – café staff know. Misuse can lead to addiction. Opıoids are a danger.", False),
        ("Stopping it abruptly is risky – café staff know. Misuse can lead to addiction. Pain killers are another matter. Mix nothing.", True),
    ],
)
def test_compound_topic_phrase_counts_within_one_sentence(sentences: str, missing: bool) -> None:
    text = f"# Alprazolam\n\nAlprazolam is a benzodiazepine for panic disorder. {sentences}\n"
    found = lint_text(text, select=["missing-safety-warning"])
    assert [("opioids" in f.message) for f in found] == ([True] if missing else [])


def test_unsourced_kinds_option() -> None:
    text = "# Clonazepam\n\nClonazepam has a half-life of 30 to 40 hours.\n"
    assert rule_lines(lint_text(text, select=["unsourced-dosage"])) == [3]
    config = {"rules": {"unsourced-dosage": {"options": {"kinds": ["dose"]}}}}
    assert lint_text(text, select=["unsourced-dosage"], config=config) == []


def test_every_safety_finding_carries_an_authority() -> None:
    text = (
        "# Citalopram\n\nCitalopram is completely safe. Citalopram is taken at 20 mg a day.\n\n"
        "The maximum is 80 mg a day for citalopram.\n\nIts half-life is 35 hours. Citalopram's half-life is 5 hours.\n"
    )
    found = [f for f in lint_text(text, select=SAFETY) if f.rule in SAFETY]
    assert {f.rule for f in found} == set(SAFETY)
    assert all(f.source is not None and f.source.text for f in found)


def test_source_in_json_and_text_output(tmp_path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Levothyroxine\n\nLevothyroxine is started at 50 mg once daily.\n", encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(main, ["check", "--select", "dose-out-of-range", "--show-source", str(path)])
    assert "    source: Synthroid (levothyroxine) prescribing information" in shown.output
    assert "<https://dailymed.nlm.nih.gov/" in shown.output
    hidden = runner.invoke(main, ["check", "--select", "dose-out-of-range", str(path)])
    assert "source:" not in hidden.output
    data = json.loads(runner.invoke(main, ["check", "--select", "dose-out-of-range", "--format", "json", str(path)]).output)
    assert any(f.get("source", {}).get("url", "").startswith("https://dailymed") for f in _flatten(data))


def _flatten(data):
    if isinstance(data, dict):
        if "rule" in data:
            yield data
        for value in data.values():
            yield from _flatten(value)
    elif isinstance(data, list):
        for item in data:
            yield from _flatten(item)


def test_dose_linked_only_through_the_article_subject_is_not_range_checked() -> None:
    text = "---\ndrug: sertraline\n---\n# Supplements people take with antidepressants\n\nOmega-3 capsules of 1,000mg are popular.\n"
    assert lint_text(text, select=["dose-out-of-range"]) == []
    config = {"rules": {"dose-out-of-range": {"options": {"linked_by": ["article"]}}}}
    assert rule_lines(lint_text(text, select=["dose-out-of-range"], config=config)) == [6]


def test_unknown_claim_kind_in_options_is_an_error_entry() -> None:
    from healthlint.config import parse_config
    from healthlint.engine import lint_article_source
    from healthlint.registry import all_rules
    from healthlint.source import Source

    config = parse_config({"rules": {"unsourced-dosage": {"options": {"kinds": ["dosage"]}}}})
    result = lint_article_source(Source("a.md", "# X\n\nTake 5 mg.\n"), config, all_rules(config), select=["unsourced-dosage"])
    assert any("unknown ['dosage']" in error.message for error in result.errors)


def test_absolute_claim_screens_the_sentences_spans_to_search_keeps() -> None:
    """The sentences absolute-claim searches are those LowerCasePatterns.spans_to_search keeps from
    every sentence before the reader comments (found here without listing them)."""
    from pathlib import Path

    from healthlint.components.tokens import token_table
    from healthlint.config import parse_config
    from healthlint.nlp import analyse
    from healthlint.parse import parse
    from healthlint.phrases import lower_in_place
    from healthlint.rules import absolute_claim
    from healthlint.source import Source

    claims = absolute_claim._patterns(()).any_claim
    root = Path(__file__).resolve().parent.parent
    texts = [path.read_text(encoding="utf-8") for path in sorted((root / "corpus").rglob("*.md"))]
    texts += ["It is safe.Safe?\n\nA cure-all: risk-free, harmless and safe safe.\n\n## Comments\n\nIt is completely safe.", "Sıafe safe", ""]
    screened = 0
    for text in texts:
        doc = analyse(parse(Source("a.md", text), None), parse_config({}))
        table, lowered = token_table(doc), lower_in_place(doc._.text)
        end = doc._.comments_start if doc._.comments_start is not None else len(doc._.text)
        spans = [table.sentence_span(index) for index, (first, _) in enumerate(table.sentences) if table.start[first] < end]
        if lowered is None or absolute_claim._literals(claims.compiled(lowered)) is None:
            continue
        expected = sorted(claims.spans_to_search(lowered, spans))
        assert sorted(table.sentence_span(index) for index in absolute_claim._holding(table, lowered, absolute_claim._literals(claims.compiled(lowered)), end)) == expected
        screened += len(expected)
    assert screened > 20
