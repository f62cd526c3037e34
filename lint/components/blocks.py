"""hl_blocks: sentence boundaries at every block start, and block spans in doc.spans["hl_blocks"]."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span


@Language.component("hl_blocks")
def mark_blocks(doc: Doc) -> Doc:
    article = doc._.article
    if article is None:
        return doc
    spans = []
    for index, block in enumerate(article.blocks):
        span = doc.char_span(block.start, block.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        span[0].is_sent_start = True
        if span.end < len(doc):
            doc[span.end].is_sent_start = True
        spans.append(Span(doc, span.start, span.end, label=block.kind, kb_id=str(index)))
    doc.spans["hl_blocks"] = spans
    return doc
