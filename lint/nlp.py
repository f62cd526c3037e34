"""The spaCy pipeline, built once per process: blank English + healthlint components (hl_blocks
splits sentences by the rule of spaCy's sentencizer, unless a trained pipeline's parser or senter does)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .article import Article
    from .config import Config

MAX_LENGTH = 50_000_000


@lru_cache(maxsize=4)
def build_pipeline(model: str | None = None, lexicon_key: str = "") -> "Language":
    """Build the pipeline; `model` names an installed trained pipeline to start from instead of blank English."""
    import spacy

    from . import components

    nlp = spacy.load(model, exclude=["ner"]) if model else spacy.blank("en")
    nlp.add_pipe("hl_blocks")
    for name, config in components.pipeline_components(lexicon_key):
        nlp.add_pipe(name, config=config)
    nlp.max_length = MAX_LENGTH
    return nlp


def pipeline_for(config: "Config") -> "Language":
    from .lexicon import remember_extra

    remember_extra(config.lexicon_key, config.lexicon)
    return build_pipeline(config.nlp_model, config.lexicon_key)


def analyse(article: "Article", config: "Config") -> "Doc":
    """Run the pipeline over an article's prose; the Doc carries the Article in doc._.article."""
    from .components import TEXT_KEY

    nlp = pipeline_for(config)
    doc = nlp.make_doc(article.text)
    doc.user_data[TEXT_KEY] = article.text  # the tokenizer keeps the text exactly
    doc._.article = article
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc
