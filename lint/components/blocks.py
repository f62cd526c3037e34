"""hl_blocks: sentence boundaries at every block start, and block spans in doc.spans["hl_blocks"]."""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from .tokens import TokenTable


@Language.component("hl_blocks")
def mark_blocks(doc: Doc) -> Doc:
    article = doc._.article
    if article is None:
        doc._.tokens = TokenTable.of(doc)
        return doc
    spans = []
    for index, block in enumerate(article.blocks):
        span = doc.char_span(block.start, block.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        spans.append(Span(doc, span.start, span.end, label=block.kind, kb_id=str(index)))
    _start_sentences(doc, spans)
    _index_sentences(doc)
    doc.spans["hl_blocks"] = spans
    return doc


def _index_sentences(doc: Doc) -> None:
    """Install sentence hooks backed by one precomputed index, and build the token table.

    Boundaries are final once this component has run, and spaCy's own Span.sent / Token.sent walk
    the Doc on every call, which made components that ask for a mention's sentence quadratic.
    """
    sentences = list(doc.sents)
    doc._.tokens = table = TokenTable.of(doc, [(s.start, s.end) for s in sentences])
    owner = table.sentence_of
    doc.user_hooks["sents"] = lambda _doc: iter(sentences)
    doc.user_span_hooks["sent"] = lambda span: sentences[owner[span.start]]
    doc.user_token_hooks["sent"] = lambda token: sentences[owner[token.i]]


def _start_sentences(doc: Doc, spans: list[Span]) -> None:
    """Begin a sentence at each block start and after each block end, in one array write.

    (Setting token.is_sent_start one token at a time rescans the whole Doc on every write, which
    made a 1M-character article take minutes.) A parsed Doc keeps the parser's sentences.
    """
    if not spans or doc.has_annotation("DEP"):
        return
    starts = doc.to_array([SENT_START])
    for span in spans:
        starts[span.start] = 1
        if span.end < len(doc):
            starts[span.end] = 1
    doc.from_array([SENT_START], starts.reshape(-1, 1))
