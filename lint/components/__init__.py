"""spaCy components that mark what rules read. Importing this package registers the factories
and the Doc/Span extensions (once)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from . import blocks, tokens  # noqa: F401  (register hl_blocks and doc._.tokens)
from . import citations, doses  # noqa: F401  (register hl_citations, hl_doses)
from . import drugs  # noqa: F401  (registers hl_drugs)


TEXT_KEY = "hl_text"


def _text_once(doc: Doc) -> str:
    """doc.text, built once per Doc (spaCy rebuilds it from the tokens on every access); nlp.analyse
    stores the text it tokenised under TEXT_KEY, so it is never rebuilt there."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


if not Doc.has_extension("article"):
    Doc.set_extension("article", default=None)
if not Doc.has_extension("text"):
    Doc.set_extension("text", getter=_text_once)


def pipeline_components(lexicon_key: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Our components in pipeline order, after hl_blocks, with their config."""
    return [("hl_drugs", {"lexicon_key": lexicon_key}), ("hl_citations", {}), ("hl_doses", {})]
