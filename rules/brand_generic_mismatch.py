"""Flags a brand name paired with the wrong generic name.

## What it does
Reports a stated brand-generic pairing that contradicts the drug lexicon: "Klonopin (diazepam)",
"Valium, the brand name for clonazepam", "diazepam, sold as Xanax". When one side is the subject
of the section, the other side is reported and the fix names the subject's matching name.

## Why is this bad?
Readers look up the brand on their prescription label. Pairing it with another drug's generic name
tells them they take a different drug, with different doses and interactions.

## Example
```markdown
Ativan (diazepam) is prescribed for short-term anxiety.
```

## Use instead
```markdown
Ativan (lorazepam) is prescribed for short-term anxiety.
```

## Not flagged
Correct pairings; two generic names or two brands in parentheses ("desmethyldiazepam (nordazepam)");
lists of drugs; the pairing phrases are data (rules/data/drug_context.yaml, `pairings`).
"""

from __future__ import annotations

from typing import Iterator, TYPE_CHECKING


from healthlint.finding import Finding, Severity
from healthlint.rule import Rule, RuleContext

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

RULE = Rule(
    id="brand-generic-mismatch",
    summary="A brand name is paired with another drug's generic name",
    severity=Severity.ERROR,
    tags=("drug",),
    fixable=True,
)


def check(doc: Doc, ctx: RuleContext) -> Iterator[Finding]:
    from healthlint.components.drugs import match_case, preferred_name, subject_at  # spaCy-bound: imported with a Doc, not when rules are listed

    for brand, generic in doc._.drug_pairs or []:
        if brand.label_ == generic.label_:
            continue
        message = f"'{brand.text}' is a brand of {brand.label_}, not of {generic.label_}"
        subject = subject_at(doc, brand.start_char)
        if subject == brand.label_:
            yield _replace(ctx, generic, brand.label_, message)
        elif subject == generic.label_:
            better = preferred_name(doc, generic.label_, brand=True)
            fix = match_case(brand.text, better) if better != generic.label_ else None
            yield ctx.finding(brand, message=message, fix=fix, unsafe_fix=True)
        else:
            start, end = sorted((brand, generic), key=lambda s: s.start_char)
            yield ctx.finding(start.start_char, end.end_char, message)


def _replace(ctx: RuleContext, span: Span, name: str, message: str) -> Finding:
    from healthlint.components.drugs import match_case

    return ctx.finding(span, message=message, fix=match_case(span.text, name), unsafe_fix=True)
