"""Flags an article with no medical disclaimer.

## What it does
Reports, at line 1, an article that never says it is not a substitute for professional medical
advice. A disclaimer is a sentence such as "for informational purposes only" or "not a substitute
for professional medical advice" (phrase lists in `rules/data/disclaimers.yaml`, matched with some
freedom in wording). "Consult your doctor" counts only in a disclaimer-like sentence or paragraph
(one that speaks of "this article", "the information here", or sits under a "Disclaimer" heading).

## Why is this bad?
Readers act on health articles. Publishers are expected to say plainly that the article informs and
does not replace a clinician's advice; an article without that statement misleads about its role.

## Example
```markdown
# Clonazepam at a glance

Clonazepam is a benzodiazepine used for seizures and panic disorder. Talk to your doctor
before changing your dose.
```

## Use instead
```markdown
# Clonazepam at a glance

Clonazepam is a benzodiazepine used for seizures and panic disorder.

This article is for informational purposes only and is not a substitute for professional medical advice.
```

## Not flagged
"Always talk to your doctor before stopping" inside advice is not a disclaimer and does not satisfy
the rule, but neither does it trigger anything by itself. Reader comments are not searched.

## Options
- `house_text` (string, default empty): when set, the article must contain this exact house
  disclaimer (case and whitespace ignored); the phrase lists are then not enough.
- `extra_phrases` (list of regular expressions): more sentences that count as a disclaimer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from healthlint.article import Article, Block
from healthlint.finding import Authority, Finding, Severity
from healthlint.phrases import LowerCasePatterns
from healthlint.rule import Rule, RuleContext
from healthlint.ruledata import check_keys, load_data

RULE = Rule(
    id="missing-disclaimer",
    summary="The article has no medical disclaimer",
    severity=Severity.WARNING,
    tags=("safety",),
    file_level=True,
    options={"house_text": "", "extra_phrases": []},
)

_QUOTES = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'))
_WHERE = "rules/data/disclaimers.yaml"


@dataclass(frozen=True)
class _Phrases:
    """The data file's phrase lists, compiled for lower-cased text."""

    strong: LowerCasePatterns
    weak: LowerCasePatterns
    context: LowerCasePatterns
    headings: frozenset[str]


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return check_keys(load_data("disclaimers"), {"strong", "weak", "context", "headings", "source"}, set(), _WHERE)


@lru_cache(maxsize=1)
def _phrases() -> _Phrases:
    data = _data()
    return _Phrases(*(LowerCasePatterns(data[key]) for key in ("strong", "weak", "context")), frozenset(data["headings"]))


def normalise(text: str) -> str:
    """Lowercase, straight quotes, single spaces."""
    for curly, straight in _QUOTES:  # str.replace finds a character faster than str.translate maps each
        text = text.replace(curly, straight)
    return " ".join(text.split()).lower()


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    source = Authority(**_data()["source"])
    house = normalise(ctx.options["house_text"] or "")
    if house:
        if house not in normalise(_article_text(doc, ctx)):
            yield ctx.line_finding(1, "the house disclaimer text is missing", source=source)
        return
    extra = tuple(re.compile(p, re.IGNORECASE) for p in ctx.options["extra_phrases"])
    if not has_disclaimer(doc, ctx, extra):
        yield ctx.line_finding(1, "no medical disclaimer (e.g. \"not a substitute for professional medical advice\")", source=source)


def _article_text(doc, ctx: RuleContext) -> str:
    end = doc._.comments_start if doc.has_extension("comments_start") and doc._.comments_start is not None else len(doc._.text)
    return doc._.text[:end]


def has_disclaimer(doc, ctx: RuleContext, extra: tuple[re.Pattern[str], ...] = ()) -> bool:
    """A strong phrase (or an extra one) in any paragraph, or a weak one in a disclaimer-like paragraph.

    The paragraphs are normalised and joined, so that each phrase list's required literals are looked
    for once in the whole (LowerCasePatterns.spans_to_search): a list is searched only in the
    paragraphs holding one of its literals, and most hold none.
    """
    phrases = _phrases()
    article = ctx.article
    end = len(_article_text(doc, ctx))
    blocks = [block for block in article.blocks if block.start < end and not block.is_heading]
    texts = [normalise(article.block_text(block)) for block in blocks]
    if extra and any(pattern.search(text) for text in texts for pattern in extra):
        return True
    joined, spans = _joined(texts)
    if any(phrases.strong.search(texts[index]) for index in _holding(phrases.strong, joined, spans)):
        return True
    return any(
        phrases.weak.search(texts[index])
        and (_under_disclaimer_heading(article, blocks[index], phrases.headings) or phrases.context.search(texts[index]))
        for index in _holding(phrases.weak, joined, spans)
    )


def _joined(texts: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The normalised texts joined by newlines (which none holds), and each one's [start, end) in the join."""
    spans = []
    at = 0
    for text in texts:
        spans.append((at, at + len(text)))
        at += len(text) + 1
    return "\n".join(texts), spans


def _holding(patterns: LowerCasePatterns, joined: str, spans: list[tuple[int, int]]) -> list[int]:
    """Indexes of the texts (spans of `joined`) in which one of `patterns` may match."""
    index_of = {start: index for index, (start, _) in enumerate(spans)}
    return [index_of[start] for start, _ in patterns.spans_to_search(joined, spans)]


def _under_disclaimer_heading(article: Article, block: Block, headings: frozenset[str]) -> bool:
    """The block sits under a heading such as 'Disclaimer' or 'Important'."""
    heading = article.heading_of(block)
    return heading is not None and normalise(article.block_text(heading)).strip(" :") in headings
