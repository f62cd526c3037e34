"""hl_blocks: a sentence boundary at every block start and after every block end, then the token table.

Sentence boundaries are final once this component has run. spaCy's own Doc.sents, Span.sent and
Token.sent walk the Doc on every call (which made components that ask for a mention's sentence
quadratic), so they are replaced by hooks that read the token table's sentence index.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from .tokens import TokenTable


@Language.component("hl_blocks")
def mark_blocks(doc: Doc) -> Doc:
    article = doc._.article
    if article is None:
        doc._.tokens = TokenTable.of(doc)
        return doc
    if doc.has_annotation("DEP"):
        sentences = [(sentence.start, sentence.end) for sentence in doc.sents]  # a parser's sentences are kept
    else:
        sentences = _sentences_with_block_edges(doc, [(block.start, block.end) for block in article.blocks])
    doc._.tokens = table = TokenTable.of(doc, sentences)
    _install_sentence_hooks(doc, table)
    return doc


def block_edges(doc: Doc, blocks: list[tuple[int, int]]) -> list[int]:
    """Token positions where a block's tokens start, and the position after its last token, for each
    block of character range [start, end) that covers a token (tokens partly inside count as inside)."""
    if len(doc) == 0:
        return []
    columns = doc.to_array([IDX, LENGTH]).astype(numpy.int64)
    starts = columns[:, 0]
    ranges = numpy.array(blocks, dtype=numpy.int64).reshape(-1, 2)
    firsts = numpy.searchsorted(starts + columns[:, 1], ranges[:, 0], side="right").tolist()
    afters = numpy.searchsorted(starts, ranges[:, 1], side="left").tolist()
    return [edge for first, after in zip(firsts, afters) if first < after for edge in (first, after)]


def _sentences_with_block_edges(doc: Doc, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Add the block edges to the sentence starts in one array write and return the [start, end) token
    range of every sentence. (Setting token.is_sent_start one token at a time rescans the whole Doc
    on every write, which made a 1M-character article take minutes.)"""
    if len(doc) == 0:
        return []
    starts = doc.to_array([SENT_START])
    edges = [edge for edge in block_edges(doc, blocks) if edge < len(doc)]
    starts[edges] = 1
    doc.from_array([SENT_START], starts.reshape(-1, 1))
    boundaries = [0, *(int(i) for i in numpy.flatnonzero(starts[1:] == 1) + 1), len(doc)]
    return list(zip(boundaries, boundaries[1:]))


def _install_sentence_hooks(doc: Doc, table: TokenTable) -> None:
    """doc.sents, span.sent and token.sent from the table (Spans are made only when asked for)."""
    sentences, owner = table.sentences, table.sentence_of
    doc.user_hooks["sents"] = lambda _doc: (Span(doc, start, end) for start, end in sentences)
    doc.user_span_hooks["sent"] = lambda span: Span(doc, *sentences[owner[span.start]])
    doc.user_token_hooks["sent"] = lambda token: Span(doc, *sentences[owner[token.i]])
