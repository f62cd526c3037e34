"""Flags a misspelled drug or brand name.

## What it does
Reports a word that is neither an English word nor a known drug name but is within a small edit
distance of a drug or brand name ("clonzepam", "sertaline"), and suggests the closest name. A
slightly larger distance is allowed when the name it resembles is a drug the article discusses
("Clonsipam" in an article about clonazepam).

## Why is this bad?
A misspelled name cannot be searched, may be read as a different drug, and hides the mention from
the other drug rules.

## Example
```markdown
Sertaline is usually taken once a day.
```

## Use instead
```markdown
Sertraline is usually taken once a day.
```

## Not flagged
English words (wordfreq), every name in the drug lexicon (a real drug is never "corrected" into
another: that is `drug-swap`'s business), words with digits, short words, words close to two
different drugs at the same distance, and words two or more edits away that end in an INN stem
("-azepam", "-statin": rules/data/drug_stems.yaml), which are more likely drugs missing from the lexicon.

## Options
- `min_length` (default 5): shortest word checked.
- `max_distance` (default 2): edit distance allowed against any common drug name (1 below 8 letters).
- `article_distance` (default 3): edit distance allowed against a drug the article mentions.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator, TYPE_CHECKING

from healthlint.finding import Finding, Severity
from healthlint.lexicon import Lexicon, lexicon_for_key, load_checked
from healthlint.rule import Rule, RuleContext

if TYPE_CHECKING:
    from spacy.tokens import Doc

RULE = Rule(
    id="drug-misspelling",
    summary="A word looks like a misspelled drug name",
    severity=Severity.WARNING,
    tags=("drug",),
    fixable=True,
    options={"min_length": 5, "max_distance": 2, "article_distance": 3},
)
SHORT_NAME = 8  # below this length only one edit is allowed


def check(doc: Doc, ctx: RuleContext) -> Iterator[Finding]:
    if doc._.drugs is None:
        return
    lexicon = lexicon_for_key(ctx.config.lexicon_key)
    from healthlint.components.drugs import match_case  # spaCy-bound: imported with a Doc, not when rules are listed
    from healthlint.components.tokens import token_table

    table = token_table(doc)
    min_length = ctx.options["min_length"]
    unknown = {w for w in set(table.lower) if len(w) >= min_length and w.isalpha() and not lexicon.is_known_word(w)}
    if not unknown:
        return
    article_names = sorted({n for s in doc._.drugs for n in (s.text.lower(), s.generic) if n.isalpha()})
    closest = {word: _closest(word, lexicon, article_names, ctx.options) for word in sorted(unknown)}
    closest = {word: name for word, name in closest.items() if name is not None}
    if not closest:
        return
    taken = {i for mention in doc._.drugs for i in range(mention.start, mention.end)}
    taken |= {t.i for g in doc._.glued_drugs for t in doc.char_span(g.start, g.end, alignment_mode="expand") or []}
    for i in [i for i, word in enumerate(table.lower) if word in closest]:
        if i not in taken:
            text = table.text[i]
            fix = match_case(text, closest[table.lower[i]])
            yield ctx.finding(table.start[i], table.end[i], f"'{text}' looks like a misspelling of '{fix}'", fix=fix)


def _closest(word: str, lexicon: Lexicon, article_names: list[str], options: dict) -> str | None:
    """The one drug name within the allowed distance (same first letter), or None when none or ambiguous."""
    limit = options["max_distance"] if len(word) >= SHORT_NAME else 1
    found = _best(word, lexicon.sorted_misspelling_targets, limit, lexicon)
    if found is None and len(word) >= SHORT_NAME and article_names:
        found = _best(word, tuple(article_names), options["article_distance"], lexicon)
    return found


def _best(word: str, names: tuple[str, ...], limit: int, lexicon: Lexicon) -> str | None:
    from rapidfuzz import process  # imported on the first candidate: most short runs never need it
    from rapidfuzz.distance import Levenshtein

    matches = process.extract(word, names, scorer=Levenshtein.distance, score_cutoff=limit, limit=5)
    matches = [(name, distance) for name, distance, _ in matches if name[0] == word[0]]
    if not matches:
        return None
    best = min(distance for _, distance in matches)
    if best >= 2 and word.endswith(_stems()):
        return None
    generics = {lexicon.lookup(name).generic for name, distance in matches if distance == best}
    closest = sorted(name for name, distance in matches if distance == best)
    return closest[0] if len(generics) == 1 else None


@lru_cache(maxsize=1)
def _stems() -> tuple[str, ...]:
    """INN stems (rules/data/drug_stems.yaml): words ending in one are likely unlisted drugs, not typos."""
    return tuple(load_checked("drug_stems", frozenset({"stems"}))["stems"])
