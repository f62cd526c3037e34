"""hl_drugs: mentions (case, possessives, multi-word names), subjects, local subjects, context cues,
and user lexicon additions reaching the pipeline through config."""

from __future__ import annotations

from click.testing import CliRunner

from healthlint.cli import main
from healthlint.config import parse_config
from healthlint.nlp import analyse
from healthlint.parse import parse
from healthlint.source import Source

from tests.helpers import lint_text


def _doc(text: str, name: str = "article.md", config: dict | None = None):
    cfg = parse_config(config or {})
    return analyse(parse(Source(name, text), None), cfg)


def _cues(doc, surface: str) -> set[str]:
    return next(set(s.cues) for s in doc._.drugs if s.text == surface)


def test_mentions_case_possessive_and_multiword():
    doc = _doc("# Notes\n\nXANAX's effect fades fast; insulin glargine lasts a day and Klonopin is a brand.\n")
    assert [(s.text, s.generic, s.is_brand) for s in doc._.drugs] == [
        ("XANAX", "alprazolam", True), ("insulin glargine", "insulin glargine", False), ("Klonopin", "clonazepam", True)]
    assert "benzodiazepine" in doc._.drugs[0].classes


def test_multiword_names_across_hyphens_punctuation_and_soft_breaks():
    text = "# Notes\n\nCo-trimoxazole and co - trimoxazole, then acetaminophen and codeine.\nInsulin\nglargine (a soft break).\n"
    doc = _doc(text)
    assert [s.text for s in doc._.drugs] == ["Co-trimoxazole", "co - trimoxazole", "acetaminophen and codeine", "Insulin glargine"]


def test_user_names_with_a_dotted_word_match_whole():
    config = {"lexicon": {"drugs": {"vita b. plex": {"generic": "vitamin b complex"}}}}
    doc = _doc("# Notes\n\nTake Vita B. Plex daily, not vita b alone.\n", config=config)
    assert [(s.text, s.generic) for s in doc._.drugs] == [("Vita B. Plex", "vitamin b complex")]


def test_subjects_from_front_matter_title_and_question_headings():
    text = (
        "---\ndrug: Zoloft\n---\n\n# Living with depression\n\nIntro.\n\n"
        "## What is the usual dose of fluoxetine?\n\nText.\n\n### Children\n\nMore text.\n\n## Sleep\n\nEnd.\n"
    )
    doc = _doc(text)
    assert doc._.subjects[:2] == ["sertraline", "fluoxetine"]
    article = doc._.article
    by_text = {article.block_text(b): doc._.block_subjects[i] for i, b in enumerate(article.blocks)}
    assert by_text["Text."] == "fluoxetine" and by_text["More text."] == "fluoxetine"  # inherited through ### Children
    assert by_text["End."] is None and by_text["Intro."] is None


def test_dominant_drug_by_count_when_no_title_names_one():
    doc = _doc("Plain notes\n\nMetformin helps. Metformin is cheap. Insulin is injected.\n", name="notes.txt")
    assert doc._.subjects == ["metformin"]


def test_context_cues():
    doc = _doc(
        "# Lorazepam\n\nUnlike diazepam it is short-acting. Take it as prescribed (not with alprazolam).\n\n"
        "It can be switched to clonazepam later. Avoid combining it together with temazepam.\n\n"
        "> I preferred Valium.\n\nOptions include oxazepam, chlordiazepoxide and Restoril.\n"
    )
    assert "comparison" in _cues(doc, "diazepam")
    assert "parenthetical" in _cues(doc, "alprazolam")
    assert "switching" in _cues(doc, "clonazepam")
    assert "interaction" in _cues(doc, "temazepam")
    assert "quoted" in _cues(doc, "Valium")
    assert {"list"} <= _cues(doc, "oxazepam") and "list" in _cues(doc, "Restoril")


def test_comment_section_and_pairings():
    doc = _doc("# Klonopin (clonazepam)\n\nValium, the brand name for diazepam, is older.\n\n## 3 comments\n\nI took Xanax.\n")
    assert [(b.text, g.text) for b, g in doc._.drug_pairs] == [("Klonopin", "clonazepam"), ("Valium", "diazepam")]
    assert "comment" in _cues(doc, "Xanax")


def test_glued_mentions_carry_the_split():
    doc = _doc("# Sertraline\n\nMost people find sertralinecan help within weeks, unlike ofparoxetine.\n")
    assert [(g.text, g.split, g.generic) for g in doc._.glued_drugs] == [
        ("sertralinecan", "sertraline can", "sertraline"), ("ofparoxetine", "of paroxetine", "paroxetine")]


def test_user_lexicon_reaches_the_rules():
    text = "# Calmazin guide\n\n## Dose of calmazin\n\nTake diazepam twice a day.\n"
    config = {"lexicon": {"drugs": {"calmazin": {"generic": "calmazin", "classes": ["benzodiazepine"]}}}}
    assert [f.line for f in lint_text(text, select=["drug-swap"], config=config)] == [5]
    assert lint_text(text, select=["drug-swap"]) == []


def test_explain_prints_docs_with_example():
    for rule in ("drug-swap", "adjacent-drug-names", "glued-drug-name", "drug-misspelling", "brand-generic-mismatch"):
        output = CliRunner().invoke(main, ["explain", rule]).output
        assert output.startswith(f"# {rule} (") and "## Example" in output and "```markdown" in output
