"""hl_blocks: sentence boundaries (spaCy's sentencizer rule, plus one at every block start and after
every block end), then the token table.

Boundaries are final once this component has run. It applies the rule of spaCy's Sentencizer itself
(with the Sentencizer's own punctuation list) in one pass over the token table, where the Sentencizer
would build a Token object per token; a pipeline with a parser or senter keeps their sentences. spaCy's
Doc.sents, Span.sent and Token.sent walk the Doc on every call (which made components that ask for a
mention's sentence quadratic), so they are replaced by hooks that read the token table's sentence index.
"""

from __future__ import annotations

import bisect

import numpy
from spacy.attrs import IS_PUNCT, SENT_START
from spacy.language import Language
from spacy.pipeline.sentencizer import Sentencizer
from spacy.tokens import Doc, Span

from .tokens import TokenTable

SENTENCE_PUNCTUATION = frozenset(Sentencizer.default_punct_chars)
LONGEST_SENTENCE_PUNCTUATION = max(map(len, SENTENCE_PUNCTUATION))


@Language.component("hl_blocks")
def mark_blocks(doc: Doc) -> Doc:
    article = doc._.article
    if doc.has_annotation("DEP"):  # a parser's sentences are kept
        doc._.tokens = table = TokenTable.of(doc)
    else:
        table = TokenTable.of(doc, [])
        blocks = [(block.start, block.end) for block in article.blocks] if article is not None else []
        doc._.tokens = table = table.with_sentences(_mark_sentences(doc, table, blocks))
    _install_sentence_hooks(doc, table)
    return doc


def sentencizer_starts(doc: Doc, table: TokenTable) -> list[int]:
    """The tokens spaCy's Sentencizer (default punctuation) starts a sentence at: the first token, and
    after each sentence punctuation token the next token that is neither punctuation nor sentence
    punctuation (a run of several marks, as in '?!"', starts one sentence)."""
    if len(doc) == 0:
        return []
    words = table.text
    enders = [i for i, word in enumerate(words) if len(word) <= LONGEST_SENTENCE_PUNCTUATION and word in SENTENCE_PUNCTUATION]
    ends_sentence = numpy.zeros(len(doc), dtype=bool)
    ends_sentence[enders] = True
    plain = numpy.flatnonzero(~(doc.to_array(IS_PUNCT).astype(bool) | ends_sentence))
    following = numpy.searchsorted(plain, enders, side="right")
    return sorted({0, *plain[following[following < len(plain)]].tolist()})


def block_edges(table: TokenTable, blocks: list[tuple[int, int]]) -> list[int]:
    """Token positions where a block's tokens start, and the position after its last token, for each
    block of character range [start, end) that covers a token (tokens partly inside count as inside)."""
    edges = []
    for start, end in blocks:
        first = bisect.bisect_right(table.end, start)
        after = bisect.bisect_left(table.start, end, first)
        if first < after:
            edges += [first, after]
    return edges


def _mark_sentences(doc: Doc, table: TokenTable, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Write the sentence starts (a senter's, else the sentencizer rule's, plus the block edges) in one
    array write and return the [start, end) token range of every sentence. (Setting token.is_sent_start
    one token at a time rescans the whole Doc on every write: a 1M-character article took minutes.)"""
    if len(doc) == 0:
        return []
    if doc.has_annotation("SENT_START"):
        starts = doc.to_array(SENT_START).astype(numpy.int64)
    else:
        starts = numpy.full(len(doc), -1, dtype=numpy.int64)
        starts[sentencizer_starts(doc, table)] = 1
    starts[[edge for edge in block_edges(table, blocks) if edge < len(doc)]] = 1
    starts[0] = 1
    doc.from_array([SENT_START], starts.astype(numpy.uint64).reshape(-1, 1))
    boundaries = [*numpy.flatnonzero(starts == 1).tolist(), len(doc)]
    return list(zip(boundaries, boundaries[1:]))


def _install_sentence_hooks(doc: Doc, table: TokenTable) -> None:
    """doc.sents, span.sent and token.sent from the table (Spans are made only when asked for)."""
    sentences, owner = table.sentences, table.sentence_of
    doc.user_hooks["sents"] = lambda _doc: (Span(doc, start, end) for start, end in sentences)
    doc.user_span_hooks["sent"] = lambda span: Span(doc, *sentences[owner[span.start]])
    doc.user_token_hooks["sent"] = lambda token: Span(doc, *sentences[owner[token.i]])
