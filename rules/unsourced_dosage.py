"""Flags a dose, strength, half-life, taper rate or maximum dose with no citation near it.

## What it does
Finds quantitative pharmacological claims (from the `hl_doses` component) whose sentence and
paragraph hold no citation (from `hl_citations`: a numbered reference or footnote that points into
the reference list, a link, "(Author, 2002)", "(FDA label)", "according to the prescribing
information", "a 2019 study in ..."). One finding per sentence, at its first uncited claim.

## Why is this bad?
Numbers are what readers act on. A dose or half-life without a source cannot be checked by an
editor or a reader, and errors in such figures are the most harmful kind an article can carry.

## Example
```markdown
# Clonazepam dosing

Adults usually start on 0.25 mg twice a day.
```

## Use instead
```markdown
# Clonazepam dosing

Adults usually start on 0.25 mg twice a day, according to the Klonopin prescribing information.
```

## Not flagged
Ages, years, counts and percentages of patients (they are not claims); frequencies and durations on
their own; claims in reader comments, quoted blocks and the reference list.

## Options
- `kinds` (list): the claim kinds that need a source; default dose, strength, half-life,
  taper-rate, max-dose.
"""

from __future__ import annotations

from typing import Iterator

from healthlint.claims import KINDS
from healthlint.finding import Authority, Finding, Severity
from healthlint.rule import Rule, RuleContext

RULE = Rule(
    id="unsourced-dosage",
    summary="A dosing figure has no citation in its sentence or paragraph",
    severity=Severity.WARNING,
    tags=("safety",),
    options={"kinds": ["dose", "strength", "half-life", "taper-rate", "max-dose"]},
)

SOURCE = Authority(
    "Dosing figures must be traceable to the prescribing information (DailyMed) or a named standard reference",
    "https://dailymed.nlm.nih.gov/dailymed/",
)


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    from healthlint.components.citations import is_cited  # spaCy-bound: imported with a Doc, not when rules are listed
    from healthlint.components.tokens import token_table

    kinds = set(ctx.options["kinds"])
    if not kinds <= set(KINDS):
        raise ValueError(f"option kinds: unknown {sorted(kinds - set(KINDS))}; use {', '.join(KINDS)}")
    reported: set[int] = set()
    sentence_of = token_table(doc).sentence_of
    for claim in doc._.claims or []:
        if claim.kind not in kinds or claim.aside or _in_heading(ctx, claim):
            continue
        sentence = sentence_of[claim.span.start]
        if sentence in reported or is_cited(doc, claim.span):
            continue
        reported.add(sentence)
        about = f" for {claim.drug}" if claim.drug else ""
        message = f"{claim.kind} claim '{claim.text}'{about} has no citation in its sentence or paragraph"
        yield ctx.finding(claim.span, message=message, source=SOURCE)


def _in_heading(ctx: RuleContext, claim) -> bool:
    block = ctx.block_at(claim.span.start_char)
    return block is not None and block.is_heading
