"""The hl_citations component: what counts as a citation, and which blocks are cited."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from healthlint.components.citations import _holding, _screened, attribution_patterns, first_characters, is_cited, vocabulary
from healthlint.config import parse_config
from healthlint.nlp import analyse
from healthlint.parse import parse
from healthlint.source import Source
from tests.helpers import matcher_for

ROOT = Path(__file__).resolve().parent.parent
REFS = "\n\n## References\n\n1. Ashton CH. Benzodiazepines: how they work. 2002.\n2. Klonopin prescribing information.\n"


def doc_of(text: str, name: str = "a.md"):
    return analyse(parse(Source(name, text), None), parse_config({}))


def kinds(text: str, name: str = "a.md") -> list[str]:
    return [span.label_ for span in doc_of(text, name)._.citations]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("The half-life is 30 to 40 hours [1]." + REFS, "numbered"),
        ("The half-life is 30 to 40 hours [1, 2]." + REFS, "numbered"),
        ("The half-life is 30 to 40 hours.[^label]\n\n[^label]: Klonopin label, section 12.3.\n", "footnote"),
        ("The half-life is [30 to 40 hours](https://dailymed.nlm.nih.gov/).", "link"),
        ("The half-life is 30 to 40 hours (Ashton, 2002).", "author-year"),
        ("The half-life is 30 to 40 hours (Smith et al., 2019).", "author-year"),
        ("Ashton (2002) gives a half-life of 30 to 40 hours.", "author-year"),
        ("The half-life is 30 to 40 hours (FDA label).", "authority"),
        ("According to the prescribing information, the half-life is 30 to 40 hours.", "authority"),
        ("According to NICE, treatment should last no longer than four weeks.", "authority"),
        ("A 2019 study in JAMA found a half-life of 30 hours.", "authority"),
        ("The Klonopin label states that the half-life is 30 to 40 hours.", "authority"),
        ("Per the FDA, the total should not go over 4,000 mg a day.", "authority"),
        ("Figures from each medicine's prescribing information.", "authority"),
        ("Source: CDC opioid guideline, 2022.", "authority"),
        ("Doses and half-lives in the table are taken from the Prilosec and Protonix prescribing information.", "authority"),
        ("Doses in the table come from the FDA labels.", "authority"),
        ("The figures shown above were drawn from each product's Drug Facts label.", "authority"),
        ("Rizatriptan 10 mg worked faster (Ferrari et al., Lancet, 2001).", "author-year"),
        ("Rizatriptan 10 mg worked faster (Ferrari et al., Cephalalgia, 2001).", "author-year"),
        ("Rizatriptan 10 mg worked faster (Ferrari et al., N Engl J Med 2001).", "author-year"),
        ("Rizatriptan 10 mg worked faster (Ferrari et al, JAMA, 2001; Lee, 2003).", "author-year"),
        ("The HOPE-3 trial found that 10 mg a day lowered events.", "authority"),
        ("In the REDUCE-IT trial, 4 g a day of icosapent ethyl lowered events.", "authority"),
        ("The VITAL study, which followed 25,000 adults, tested 2,000 IU a day.", "authority"),
        ("According to the STEP 1 investigators, 2.4 mg a week was well tolerated.", "authority"),
        ("A single dose of 0.6 mg/kg is used (Ortiz-Alvarez O, et al. Paediatr Child Health. 2017).", "authority"),
        ("Children given 1 mg/kg returned more often (Parker CM, Cooper MN. Ann Emerg Med. 2019).", "authority"),
        ("The NHLBI guidelines give prednisone 1 to 2 mg/kg/day.", "authority"),
    ],
)
def test_citation_kinds(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "The half-life is 30 to 40 hours [3]." + REFS,
        "According to my neighbour, the half-life is short.",
        "According to people who take it, it works fast.",
        "It is sometimes used off-label (off-label use) for sleep.",
        "Studies show it works.",
        "Clonazepam (Klonopin) is a benzodiazepine.",
        "Diazepam was first sold in 1963.",
        "Doses different from the label are sometimes used by specialists.",
        "Doses in the table come from a survey of our readers.",
        "Take 10 mg (Tylenol, Advil, 2001 prices).",
        "The MRI study showed no change at 10 mg.",
        "In the ADHD trial we ran at our clinic, 20 mg was used.",
        "The vital trial of patience is the first week at 10 mg.",
        "Ask about the VITAL score before you take 10 mg.",
        "Give 0.15 mg/kg (Take with food. Not before 2019).",
        "Give 10 mg (Smith, then 2017).",
    ],
)
def test_not_citations(text: str) -> None:
    found = doc_of(text)._.citations
    assert found == [], [(s.text, s.label_) for s in found]


def test_cited_is_per_paragraph() -> None:
    doc = doc_of("First claim 5 mg. Second claim 10 mg [1].\n\nThird claim 20 mg.\n" + REFS)
    claims = [c for c in doc._.claims if c.kind == "dose"]
    assert [is_cited(doc, c.span) for c in claims] == [True, True, False]


def test_a_source_line_after_a_table_cites_its_cells() -> None:
    table = "| | Omeprazole | Pantoprazole |\n|---|---|---|\n| Adult dose | 20 mg once daily | 40 mg once daily |\n\n"
    cited = doc_of(table + "Doses in the table come from the Prilosec and Protonix labels.\n")
    uncited = doc_of(table + "Doses in the table are the usual ones for adults.\n")
    assert [is_cited(cited, c.span) for c in cited._.claims if c.kind == "dose"] == [True, True]
    assert [is_cited(uncited, c.span) for c in uncited._.claims if c.kind == "dose"] == [False, False]


def test_reference_list_blocks_and_entries() -> None:
    doc = doc_of("Text [2]." + REFS)
    article = doc._.article
    listed = sorted(doc._.reference_blocks)
    assert [article.block_text(article.blocks[i])[:10] for i in listed] == ["References", "Ashton CH.", "Klonopin p"]
    assert [s.label_ for s in doc._.citations] == ["numbered"]


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_every_footnote_definition_of_a_paragraph_is_defined(gap: str) -> None:
    notes = gap.join(f"[^{n}]: Source number {n}, 2020." for n in (1, 2, 3))
    doc = doc_of(f"# Diazepam\n\nCut by 10% every 2 weeks.[^2] Then 5 mg a day.[^3]\n\n{notes}\n")
    assert [s.label_ for s in doc._.citations] == ["footnote", "footnote"]


def test_a_footnote_marker_inside_a_definition_line_defines_nothing() -> None:
    text = "# Diazepam\n\nCut by 10% every 2 weeks.[^2]\n\n[^1]: Ashton manual, see also [^2]: the label.\n"
    assert doc_of(text)._.citations == []


@pytest.mark.parametrize(
    "text",
    [
        "Doses were lower (Ashton et al., 2002) and later (Smith and Jones, 2019; Lee, 2020). Brown et al. (2015) agreed.",
        "In 2019 and 2020 nothing was cited, but Ashton (2002) was.",
        "A sentence ends with al. (2002) and (Jones, 2003a) follows.",
    ],
)
def test_author_years_found_around_years_match_the_whole_doc_matcher(text: str) -> None:
    from healthlint.nlp import pipeline_for

    config = parse_config({})
    doc = analyse(parse(Source("a.md", text), None), config)
    finder = pipeline_for(config).get_pipe("hl_citations")
    matcher = matcher_for(finder.patterns, doc.vocab)
    whole = sorted((start, end) for _, start, end in matcher(doc))
    assert whole and [(span.start, span.end) for span in sorted(finder._author_years(doc))] == whole


@pytest.mark.parametrize("letter", ["I", "İ"])
def test_attributions_found_in_text_that_lower_casing_lengthens(letter: str) -> None:
    """"İ" lower-cases to two characters, so such a text's sentences are searched one by one."""
    text = f"{letter}STANBUL clinics agree. Later, according to the FDA label, it lasts 30 hours. The label states it too."
    doc = doc_of(text)
    assert [(span.label_, span.text) for span in doc._.citations] == [
        ("authority", "according to the FDA"),
        ("authority", "The label states"),
    ]


def test_first_characters_of_patterns() -> None:
    assert first_characters(r"\b(the |a )?(?<!off-)label") == {"t", "a", "l"}
    assert first_characters(r"(?-i:FDA)|dailymed|(x )*journal") == {"F", "d", "x", "j"}
    assert first_characters(r"[a-z]+ guide") is None  # a class
    assert first_characters(r"(drug )?") is None  # can match empty
    assert first_characters(r".label") is None


def test_screen_class_takes_every_letter_a_case_insensitive_literal_takes() -> None:
    """The lookahead before the authorities is a class of both cases with (?i): it must accept every
    character that IGNORECASE lets the pattern's first letter match ("ſ" for "s", "K" for "k", ...)."""
    everything = "".join(map(chr, range(0x10000))).replace("\n", "")
    for letter in map(chr, range(32, 127)):
        screen = re.compile(f"(?i:[{re.escape(letter.lower() + letter.upper())}])")
        for text in re.findall(re.escape(letter), everything, re.IGNORECASE):
            assert screen.fullmatch(text), (letter, text)


def authority_texts() -> list[str]:
    """Sentences from the corpus, the fixtures and the seeds, plus generated ones naming authorities in
    mixed case, with letters IGNORECASE folds ("ſ", "ı", "K", "İ")."""
    texts = [path.read_text(errors="replace") for folder in ("corpus", "tests/fixtures") for path in sorted((ROOT / folder).rglob("*.md"))]
    rng = random.Random(7)
    words = "the|The|FDA|fda|Fda|label|drug label|NICE|nice|guideline|clinical guidelines|journal of medicine|JAMA|says|ſays|states|STATES|lıſts|notes|off-label|per|Per the|according to|ACCORDİNG to the|data from|(|)|,|.|-|2019|a study in|Cochrane review|WHO|who|British National Formulary|Kelvin|İt|(FDA|(see the|label)|guidelines, 2019)|Doses in the table|figures shown|come from|are taken from".split("|")
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(3, 14))) for _ in range(3000)]
    return texts


def test_screened_attribution_patterns_match_as_unscreened() -> None:
    vocab = vocabulary()
    plain = "|".join(f"(?:{a})" for a in vocab["authorities"])
    texts = authority_texts()
    screened = [a for a in attribution_patterns() if _screened(plain) in a.regex.pattern]
    assert len(screened) == sum("{authority}" in item["pattern"] for item in vocab["attribution_patterns"]) > 0
    for attribution in screened:
        unscreened = re.compile(attribution.regex.pattern.replace(_screened(plain), f"(?:{plain})"), re.IGNORECASE)
        matches = 0
        for text in texts:
            spans = [m.span() for m in attribution.regex.finditer(text)]
            assert spans == [m.span() for m in unscreened.finditer(text)]
            matches += len(spans)
        assert matches > 50, attribution.regex.pattern[:40]


def test_cue_scans_find_the_sentences_each_cue_finds() -> None:
    """The cues found in the whole text by groups (see Attribution.scans) choose the sentences that hold
    a cue, with sentence ranges cut anywhere (a cue may straddle two)."""
    rng = random.Random(3)
    for attribution in attribution_patterns():
        for text in authority_texts()[::7]:
            lowered = text.lower()
            starts = sorted({0, *(rng.randrange(len(lowered) + 1) for _ in range(len(lowered) // 20))})
            ends = [max(start, following - rng.randint(0, 1)) for start, following in zip(starts, [*starts[1:], len(lowered)])]
            holding = {i for i, (start, end) in enumerate(zip(starts, ends)) if any(cue in lowered[start:end] for cue in attribution.cues)}
            assert _holding(lowered, starts, ends, attribution.scans) == holding
