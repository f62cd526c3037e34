"""Flags two different drug names side by side with nothing between them.

## What it does
Reports two names of different drugs separated only by a space ("diazepam clonazepam helps"), with no
comma, conjunction, slash or parenthesis. When one of them is the subject of the section, the fix
deletes the other.

## Why is this bad?
It is an editing accident: a name was replaced without deleting the old one, or two drafts were
merged. The sentence no longer says which drug it is about.

## Example
```markdown
# Clonazepam

## How does clonazepam work?

By boosting GABA, lorazepam clonazepam calms overactive nerve signals.
```

## Use instead
```markdown
# Clonazepam

## How does clonazepam work?

By boosting GABA, clonazepam calms overactive nerve signals.
```

## Not flagged
Names joined by "and", "or", commas, slashes or parentheses; two names of the same drug (brand and
generic); known combination products from the lexicon ("amoxicillin clavulanate").
"""

from __future__ import annotations

from typing import Iterator, TYPE_CHECKING


from healthlint.finding import Finding, Severity
from healthlint.lexicon import lexicon_for_key
from healthlint.rule import Rule, RuleContext

if TYPE_CHECKING:
    from spacy.tokens import Doc

RULE = Rule(
    id="adjacent-drug-names",
    summary="Two different drug names side by side with no separator",
    severity=Severity.ERROR,
    tags=("drug",),
    fixable=True,
)


def check(doc: Doc, ctx: RuleContext) -> Iterator[Finding]:
    from healthlint.components.drugs import subject_at  # spaCy-bound: imported with a Doc, not when rules are listed

    drugs = doc._.drugs or []
    lexicon = lexicon_for_key(ctx.config.lexicon_key)
    adjacent = ["adjacent" in mention.cues for mention in drugs]
    for index, (first, second) in enumerate(zip(drugs, drugs[1:])):
        if not (adjacent[index] and adjacent[index + 1]):
            continue
        gap = doc._.text[first.end_char : second.start_char]
        if gap.strip() or first.generic == second.generic or _combination(lexicon, first.generic, second.generic):
            continue
        message = f"'{first.text} {second.text}': two drug names side by side"
        subject = subject_at(doc, first.start_char)
        if subject == second.generic:
            yield ctx.finding(first.start_char, second.start_char, f"{message}; delete '{first.text}'", fix="")
        elif subject == first.generic:
            yield ctx.finding(first.end_char, second.end_char, f"{message}; delete '{second.text}'", fix="")
        else:
            yield ctx.finding(first.start_char, second.end_char, f"{message}; keep the one meant")


def _combination(lexicon, first: str, second: str) -> bool:
    pair = {first, second}
    return any(pair <= parts for parts in lexicon.combinations)
