"""Flags a drug name fused to the word next to it.

## What it does
Reports a token that is a known drug or brand name joined to a common English word (or another
drug name) with the space missing: "Klonopinworks", "diazepamcan", "ofclonazepam". The fix inserts
the space.

## Why is this bad?
Readers and search engines no longer see the drug name, screen readers mispronounce it, and the
other drug rules cannot check it.

## Example
```markdown
Many people find that sertralinecan take four weeks to help.
```

## Use instead
```markdown
Many people find that sertraline can take four weeks to help.
```

## Not flagged
Words that are English words or drug names themselves ("pseudoephedrine", "hypnotic"), chemical
names built on a drug name ("desmethyldiazepam"), compounds with suffixes such as "-like" or
"-free", and names glued to numbers.
"""

from __future__ import annotations

from typing import Iterator, TYPE_CHECKING


from healthlint.finding import Finding, Severity
from healthlint.rule import Rule, RuleContext

if TYPE_CHECKING:
    from spacy.tokens import Doc

RULE = Rule(
    id="glued-drug-name",
    summary="A drug name is fused to a neighbouring word",
    severity=Severity.ERROR,
    tags=("drug",),
    fixable=True,
)


def check(doc: Doc, ctx: RuleContext) -> Iterator[Finding]:
    for glued in doc._.glued_drugs or []:
        yield ctx.finding(glued.start, glued.end, f"'{glued.text}' fuses the drug name to a word; write '{glued.split}'", fix=glued.split)
