"""The token table (doc._.tokens) mirrors spaCy's tokens and sentences exactly."""

from __future__ import annotations

from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

import spacy

from healthlint.components.blocks import block_edges, sentencizer_starts
from healthlint.components.tokens import TokenTable, token_table
from healthlint.config import parse_config
from healthlint.nlp import analyse, build_pipeline
from healthlint.parse import parse
from healthlint.source import Source

TEXT = "# Dosing\n\nTake Zoloft (sertraline) once a day, e.g. at 8 a.m. Don't stop suddenly!\n\n- Ask first.\n"


def _doc(text: str):
    return analyse(parse(Source("a.md", text), None), parse_config({}))


def _spacy_sentences(doc) -> list[tuple[int, int]]:
    """spaCy's own sentence iteration, without the hooks hl_blocks installs."""
    hook = doc.user_hooks.pop("sents", None)
    try:
        return [(s.start, s.end) for s in doc.sents]
    finally:
        if hook is not None:
            doc.user_hooks["sents"] = hook


def _assert_mirrors(doc) -> None:
    table = token_table(doc)
    assert table.text == [t.text for t in doc]
    assert table.lower == [t.lower_ for t in doc]
    assert table.start == [t.idx for t in doc]
    assert table.end == [t.idx + len(t) for t in doc]
    assert table.space_after == [bool(t.whitespace_) for t in doc]
    sentences = _spacy_sentences(doc)
    assert table.sentences == sentences
    assert table.sentence_of == [next(i for i, (start, end) in enumerate(sentences) if start <= t.i < end) for t in doc]
    assert [(s.start, s.end) for s in doc.sents] == sentences
    assert all((t.sent.start, t.sent.end) == sentences[table.sentence_of[t.i]] for t in doc)


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


def test_every_block_starts_a_sentence_and_the_next_token_too():
    doc = _doc("# Dosing twice\nThen a soft break\n\n- one item without a stop\n- two\n\n| a | b |\n|---|---|\n| c d | e |\n")
    starts = {start for start, _ in token_table(doc).sentences}
    for block in doc._.article.blocks:
        span = doc.char_span(block.start, block.end, alignment_mode="expand")
        assert span.start in starts and (span.end == len(doc) or span.end in starts)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,-\n")), max_size=40), st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=6))
def test_block_edges_are_the_tokens_char_span_expands_to(text, ranges):
    doc = build_pipeline().make_doc(text)
    blocks = [(min(a, b), max(a, b)) for a, b in ranges if min(a, b) < max(a, b) <= len(text)]
    expected = []
    for start, end in blocks:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            expected += [span.start, span.end]
    assert block_edges(TokenTable.of(doc, []), blocks) == expected


@lru_cache(maxsize=1)
def _spacy_sentencizer():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _spacy_sentencizer_starts(text: str) -> list[int]:
    return [token.i for token in _spacy_sentencizer()(text) if token.is_sent_start]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("ab .!?,;:()\"'\n-…。؟।‼") + ["Dr.", "e.g.", "10.5", "U.S."]), max_size=60).map("".join))
def test_sentence_starts_follow_spacys_sentencizer(text):
    doc = build_pipeline().make_doc(text)
    assert sentencizer_starts(doc, TokenTable.of(doc, [])) == _spacy_sentencizer_starts(text)


def test_sentence_starts_follow_spacys_sentencizer_on_the_corpus():
    from pathlib import Path

    for path in sorted((Path(__file__).parent.parent / "corpus").rglob("*.md"))[:20]:
        text = path.read_text(encoding="utf-8")
        doc = build_pipeline().make_doc(text)
        assert sentencizer_starts(doc, TokenTable.of(doc, [])) == _spacy_sentencizer_starts(text), path
