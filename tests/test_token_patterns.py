"""TokenPatterns (lint/components/windows.py) finds exactly what spaCy's Matcher finds with the same
patterns and greedy="LONGEST", and the components' anchor screens lose no match: checked on the
annotated corpus, the fixtures and many generated token sequences full of numbers, units and names."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from healthlint.components.doses import _View
from healthlint.components.tokens import TokenTable
from healthlint.components.windows import TokenPatterns
from healthlint.config import parse_config
from healthlint.nlp import pipeline_for
from tests.helpers import matcher_for

ROOT = Path(__file__).resolve().parent.parent
VOCABULARIES = [
    (
        "1 2 8 10 12 20 0.5 .25 1,000 10,00 2019 3000 10mg 40MG 5ml 250mcg 2.5g 10% 5-10 2–4 10-20mg 1:2 ½ ¼ ¾ - – — "
        "to To between and , ; ( ) / % mg Mg mgs mg. mcg µg g gram ml iu units percent per cent hours hour hrs hr h "
        "days day weeks week months minutes a per each every Every once twice thrice times daily nightly night weekly "
        "qd bid b.i.d. tid QID at before bedtime one two Six twelve sixty ſix fıve SİX of the dose take tablets"
    ).split(),
    "( ) ( ) Smith Jones McDonald O'Brien Émile FDA the who et al al. . and & , ; 2019 1998 2020a 20 1899 in".split(),
]
BLANK = spacy.blank("en")


def doc_of(text: str) -> Doc:
    doc = BLANK.make_doc(text)
    doc._.tokens = TokenTable.of(doc, [(0, len(doc))] if len(doc) else [])
    return doc


def spacy_matches(matcher: Matcher, doc: Doc) -> list[tuple[str, int, int]]:
    """The Matcher's matches in the order hl_doses reads them: (start, longest first), Matcher order on ties."""
    found = [(BLANK.vocab.strings[key], start, end) for key, start, end in matcher(doc)]
    return sorted(found, key=lambda match: (match[1], -match[2]))


def ordered(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    return sorted(found, key=lambda match: (match[1], -match[2]))


def citation_like(rng: random.Random) -> str:
    """An author-year citation, mutated: a word dropped, added or replaced now and then."""
    words = VOCABULARIES[1]
    parts = ["("] if rng.random() < 0.7 else []
    parts += [rng.choice(["Smith", "Jones", "McDonald", "O'Brien", "FDA", "the"])]
    parts += rng.choice([[], ["et", "al."], ["et", "al", "."], ["et", "al"], ["al."]])
    parts += rng.choice([[], ["and", "Jones"], ["&", "Lee"], ["Lee"], ["and"]])
    parts += rng.choice([[], [","]]) + (["("] if not parts[0] == "(" else []) + [rng.choice(["2019", "2020a", "1899", "20"])]
    parts += [rng.choice([")", ";", ",", "."])]
    for _ in range(rng.randint(0, 2)):
        at = rng.randrange(len(parts))
        parts[at : at + rng.randint(0, 1)] = rng.choice([[], [rng.choice(words)]])
    return "".join(part + rng.choice(("", " ", " ")) for part in parts)


def texts() -> list[str]:
    files = sorted((ROOT / "corpus").rglob("*.md")) + sorted((ROOT / "tests" / "fixtures").rglob("*.*"))
    real = [path.read_text(encoding="utf-8", errors="replace") for path in files if path.suffix in (".md", ".txt", ".html")]
    rng = random.Random(6)
    made = [
        "".join(rng.choice(words) + rng.choice(("", " ", " ")) for _ in range(rng.randint(1, 30)))
        for words in VOCABULARIES
        for _ in range(2000)
    ]
    made += [" ".join(citation_like(rng) for _ in range(rng.randint(1, 4))) for _ in range(2000)]
    return real + made


TEXTS = texts()


@pytest.fixture(scope="module")
def finders():
    pipeline = pipeline_for(parse_config({}))
    return pipeline.get_pipe("hl_doses"), pipeline.get_pipe("hl_citations")


def test_the_reference_texts_hold_matches(finders) -> None:
    doses, citations = finders
    dose_matcher, citation_matcher = matcher_for(doses.patterns, BLANK.vocab), matcher_for(citations.patterns, BLANK.vocab)
    docs = [doc_of(text) for text in TEXTS]
    assert sum(len(dose_matcher(doc)) for doc in docs) > 2000
    assert sum(len(citation_matcher(doc)) for doc in docs) > 100


def test_dose_patterns_match_as_the_matcher_does(finders) -> None:
    doses = finders[0]
    matcher = matcher_for(doses.patterns, BLANK.vocab)
    for text in TEXTS:
        doc = doc_of(text)
        expected = spacy_matches(matcher, doc)
        assert ordered(doses.patterns.matches(doc._.tokens, range(len(doc)))) == expected, text
        assert ordered(doses.matches(_View.of(doc))) == expected, text


def test_author_year_patterns_match_as_the_matcher_does(finders) -> None:
    citations = finders[1]
    matcher = matcher_for(citations.patterns, BLANK.vocab)
    for text in TEXTS:
        doc = doc_of(text)
        expected = spacy_matches(matcher, doc)
        assert ordered(citations.patterns.matches(doc._.tokens, range(len(doc)))) == expected, text
        assert sorted((span.start, span.end) for span in citations._author_years(doc)) == sorted((s, e) for _, s, e in expected), text


@pytest.mark.parametrize(
    "pattern, error",
    [
        ([{"LOWER": "a", "OP": "+"}], "operator"),
        ([{"POS": "NOUN"}], "attribute"),
        ([{"LOWER": {"FUZZY": "a"}}], "condition"),
        ([{"LOWER": "a", "OP": "?"}], "no token"),
    ],
)
def test_unsupported_patterns_are_refused(pattern, error) -> None:
    with pytest.raises(ValueError, match=error):
        TokenPatterns().add("KEY", [pattern])


def test_masks_are_remembered_within_their_bound_and_renewed_when_patterns_are_added(monkeypatch) -> None:
    from healthlint.components import windows

    monkeypatch.setattr(windows, "MASK_MEMO_SIZE", 3)
    patterns = TokenPatterns()
    patterns.add("A", [[{"LOWER": "a"}, {"TEXT": {"REGEX": r"^\d+$"}, "OP": "?"}]])
    doc = doc_of("a 1 b c d e A 22 a")
    for _ in range(2):  # the second time from remembered masks, when the bound left them
        assert patterns.matches(doc._.tokens, range(len(doc))) == [("A", 0, 2), ("A", 6, 8), ("A", 8, 9)]
        assert len(patterns._masks) <= 3
    patterns.add("B", [[{"LOWER": "b"}]])
    assert ("B", 2, 3) in patterns.matches(doc._.tokens, range(len(doc)))
