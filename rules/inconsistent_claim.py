"""Flags the same fact about the same drug given with different values in one article.

## What it does
Groups the article's half-life and maximum-dose claims (from `hl_doses`) by drug and kind, and
reports a later claim whose value range does not overlap the first one's (for example a half-life
of "20 to 50 hours" and later "6 to 8 hours"). The finding points at the later value and names the
line of the first. Claims about special cases (metabolites, children or older adults, other
formulations, overdoses, or a different named indication) are not compared with general ones.

## Why is this bad?
At least one of the two values is wrong, and the reader cannot tell which. Contradictions usually
come from pasting passages about different drugs into one article.

## Example
```markdown
# Clonazepam

Clonazepam has a half-life of 30 to 40 hours.

Because clonazepam has a half-life of 6 to 8 hours, it wears off quickly.
```

## Use instead
```markdown
# Clonazepam

Clonazepam has a half-life of 30 to 40 hours.

Because its half-life is about 30 to 40 hours, clonazepam builds up over several days.
```

## Not flagged
Values for different drugs (comparison articles), overlapping ranges ("20 to 50 hours" and "about
30 hours"), a special population or formulation, reader comments.

## Options
- `kinds` (list): claim kinds compared; default half-life and max-dose.
- `slack` (number, default 0.1): relative gap two ranges may have and still agree.
"""

from __future__ import annotations

import math
from typing import Any, Iterator

from healthlint.claims import KINDS
from healthlint.finding import Authority, Finding, Severity
from healthlint.rule import Rule, RuleContext

from .dose_out_of_range import shipped_facts

RULE = Rule(
    id="inconsistent-claim",
    summary="The same fact about a drug is given different values in one article",
    severity=Severity.ERROR,
    tags=("safety",),
    options={"kinds": ["half-life", "max-dose"], "slack": 0.1},
)

OPEN_HIGH = {"over", "more than", "at least", "above"}
OPEN_LOW = {"up to", "under", "less than", "below"}
SOURCE = Authority("One article states one value per fact; check the value against the drug's label (DailyMed)", "https://dailymed.nlm.nih.gov/dailymed/")


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    kinds = set(ctx.options["kinds"])
    if not kinds <= set(KINDS):
        raise ValueError(f"option kinds: unknown {sorted(kinds - set(KINDS))}; use {', '.join(KINDS)}")
    slack = float(ctx.options["slack"])
    groups: dict[tuple, list[Any]] = {}
    for claim in doc._.claims or []:
        if claim.kind not in kinds or claim.aside or not claim.drug:
            continue
        key = _key(claim)
        earlier = groups.setdefault(key, [])
        first = next((other for other in earlier if _comparable(other, claim) and _disjoint(other, claim, slack)), None)
        if first is not None:
            yield _finding(ctx, claim, first)
        earlier.append(claim)


def _key(claim) -> tuple:
    base = claim.base()[2]
    per = "day" if claim.kind == "max-dose" and claim.per is None else claim.per
    special = frozenset(tag for tag in claim.tags if not tag.startswith("indication:"))
    return claim.drug, claim.kind, base, per if claim.kind != "half-life" else None, special


def _comparable(first, second) -> bool:
    """Claims naming different indications are about different facts."""
    a = {t for t in first.tags if t.startswith("indication:")}
    b = {t for t in second.tags if t.startswith("indication:")}
    return not a or not b or bool(a & b)


def _interval(claim) -> tuple[float, float]:
    low, high, _ = claim.base()
    if claim.qualifier in OPEN_HIGH:
        return low, math.inf
    if claim.qualifier in OPEN_LOW:
        return 0.0, high
    return low, high


def _disjoint(first, second, slack: float) -> bool:
    a_low, a_high = _interval(first)
    b_low, b_high = _interval(second)
    return a_high * (1 + slack) < b_low or b_high * (1 + slack) < a_low


def _finding(ctx: RuleContext, claim, first) -> Finding:
    line = ctx.article.position(first.span.start_char)[0]
    message = f"{claim.kind} of {claim.drug} given as '{claim.text}' here but as '{first.text}' on line {line}"
    fact = shipped_facts().get(claim.drug)
    source = Authority(**fact["source"]) if fact and claim.kind != "half-life" else SOURCE
    return ctx.finding(claim.span, message=message, source=source)
