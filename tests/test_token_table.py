"""The token table (doc._.tokens) mirrors spaCy's tokens and sentences exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.components.tokens import TokenTable, token_table
from healthlint.config import parse_config
from healthlint.nlp import analyse, build_pipeline
from healthlint.parse import parse
from healthlint.source import Source

TEXT = "# Dosing\n\nTake Zoloft (sertraline) once a day, e.g. at 8 a.m. Don't stop suddenly!\n\n- Ask first.\n"


def _doc(text: str):
    return analyse(parse(Source("a.md", text), None), parse_config({}))


def _assert_mirrors(doc) -> None:
    table = token_table(doc)
    assert table.text == [t.text for t in doc]
    assert table.lower == [t.lower_ for t in doc]
    assert table.start == [t.idx for t in doc]
    assert table.end == [t.idx + len(t) for t in doc]
    assert table.space_after == [bool(t.whitespace_) for t in doc]
    assert table.sentences == [(s.start, s.end) for s in doc.sents]
    assert table.sentence_of == [next(i for i, s in enumerate(doc.sents) if s.start <= t.i < s.end) for t in doc]


def test_table_mirrors_tokens_and_sentences_of_an_article():
    doc = _doc(TEXT)
    _assert_mirrors(doc)
    table = token_table(doc)
    zoloft = table.text.index("Zoloft")
    assert table.token_at(table.start[zoloft] + 3) == zoloft
    first, last = table.sentence_span(table.sentence_of[zoloft])
    assert doc._.text[first:last].startswith("Take Zoloft")


def test_table_is_built_on_demand_for_a_doc_without_an_article():
    doc = build_pipeline()("Plain text. Two sentences.")
    assert isinstance(doc._.tokens, TokenTable)
    _assert_mirrors(doc)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,!?'’-\n\t()İé")), max_size=60))
def test_table_mirrors_any_text(text):
    _assert_mirrors(build_pipeline()(text))
