"""Flags a dose outside the known adult range for its drug, or written in an implausible unit.

## What it does
Compares each dose, maximum-dose and strength claim (from `hl_doses`) with the adult oral range in
`rules/data/dose_facts.yaml` (from the drug's label or a standard reference, named in every
finding). A claim is reported when it exceeds the largest single dose (for a dose with a
frequency), the largest daily dose (for a per-day figure, or a dose times its frequency), or, for a
bare figure, the largest amount the label allows at all. A figure that is 1000 times too large or
too small while the same number in the neighbouring unit fits is reported as a unit slip
("100 mg levothyroxine": mg written for mcg).

## Why is this bad?
A reader may take a wrong figure literally. Doses above the label maximum and mg/mcg slips are the
classic errors behind medication harm.

## Example
```markdown
# Levothyroxine basics

Levothyroxine is usually started at 50 mg once daily.
```

## Use instead
```markdown
# Levothyroxine basics

Levothyroxine is usually started at 50 mcg once daily.
```

## Not flagged
Doses below the usual range (low starting doses are common); doses per kg; overdose and toxicity
statements ("more than 10 g can be fatal", "an overdose of 15 g"), though a limit whose harm is given
in another clause ("never more than 6 g a day, because an overdose can cause liver failure") is
checked; drugs with no facts; figures linked to a drug only
through the article's subject; reader comments and quotes.

## Options
- `facts` (mapping): extra or replacement drugs, each `{unit, min_dose, max_single, max_daily,
  source: {text, url}}` as in the shipped file.
- `tolerance` (number, default 0): fraction above a maximum that is still accepted.
- `linked_by` (list): how sure the drug link must be: `sentence` (named in the sentence, or
  "20 mg of X"), `table-row`, `previous` (named in the sentence before, in the same paragraph),
  `block` (the section heading's drug), `article` (only the article's subject). Default: all but
  `article`, so "Omega-3 1,000 mg" in a sertraline article is not checked against sertraline.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

from healthlint.finding import Authority, Finding, Severity
from healthlint.rule import Rule, RuleContext
from healthlint.ruledata import check_keys, load_data

RULE = Rule(
    id="dose-out-of-range",
    summary="A dose is outside the drug's known adult range or uses an implausible unit",
    severity=Severity.ERROR,
    tags=("safety",),
    options={"facts": {}, "tolerance": 0.0, "linked_by": ["sentence", "table-row", "previous", "block"]},
)

FACT_KEYS = {"unit", "min_dose", "max_single", "max_daily", "source"}
TO_MG = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}
KINDS = {"dose", "max-dose", "strength"}


@lru_cache(maxsize=1)
def shipped_facts() -> dict[str, dict[str, Any]]:
    data = check_keys(load_data("dose_facts"), {"drugs"}, set(), "rules/data/dose_facts.yaml")
    return {name: _checked(entry, f"rules/data/dose_facts.yaml: drugs.{name}") for name, entry in data["drugs"].items()}


def _checked(entry: Any, where: str) -> dict[str, Any]:
    check_keys(entry, FACT_KEYS, set(), where)
    check_keys(entry["source"], {"text"}, {"url"}, f"{where}.source")
    if entry["unit"] not in TO_MG:
        raise ValueError(f"{where}: unit must be one of {sorted(TO_MG)}")
    return entry


def facts_for(options: dict[str, Any]) -> dict[str, dict[str, Any]]:
    extra = {name.lower(): _checked(entry, f"option facts.{name}") for name, entry in (options.get("facts") or {}).items()}
    return {**shipped_facts(), **extra}


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    facts = facts_for(ctx.options)
    tolerance = 1 + float(ctx.options["tolerance"])
    linked_by = set(ctx.options["linked_by"])
    for claim in doc._.claims or []:
        fact = facts.get(claim.drug or "")
        if fact is None or claim.drug_from not in linked_by or not _checkable(claim):
            continue
        problem = assess(claim, fact, tolerance)
        if problem:
            yield ctx.finding(claim.span, message=f"{claim.drug}: {problem}", source=Authority(**fact["source"]))


def _checkable(claim) -> bool:
    return (
        claim.kind in KINDS
        and not claim.aside
        and claim.unit in TO_MG
        and claim.per in (None, "day", "dose")
        and "overdose" not in claim.tags
    )


def assess(claim, fact: dict[str, Any], tolerance: float) -> str | None:
    """Why the claim is out of range (None when it is not)."""
    scale = TO_MG[fact["unit"]]
    value = claim.high * TO_MG[claim.unit]
    low = float(fact["min_dose"]) * scale
    written = f"'{claim.text}'"
    for limit, what, times in _limits(claim, fact):
        limit *= scale
        if value * times > limit * tolerance:
            slip = _slip(claim, value / 1000, low, limit, down=True)
            if slip:
                return f"{written} is 1000 times the usual dose; {slip}"
            taken = f" taken {times:g} times a day" if times > 1 else ""
            return f"{written}{taken} is above the {what} maximum of {_show(limit / scale)} {fact['unit']}"
    highest = max((limit for limit, _, _ in _limits(claim, fact)), default=None)
    if highest is not None and value < low / 100:
        slip = _slip(claim, value * 1000, low, highest * scale, down=False)
        if slip:
            return f"{written} is 1000 times below the usual dose; {slip}"
    return None


def _limits(claim, fact: dict[str, Any]) -> list[tuple[float, str, float]]:
    """(maximum, its name, multiplier for the claim's value) that apply to the claim."""
    single = float(fact["max_single"]) if fact["max_single"] is not None else None
    daily = float(fact["max_daily"]) if fact["max_daily"] is not None else None
    if claim.per == "day":
        return [(daily, "daily", 1.0)] if daily is not None else []
    times = claim.times_per_day or 0
    if claim.per is None and times > 1:
        limits = [(single, "single-dose", 1.0)] if single is not None else []
        return limits + ([(daily, "daily", times)] if daily is not None else [])
    known = [(v, name, 1.0) for v, name in ((daily, "daily"), (single, "single-dose")) if v is not None]
    return [max(known, key=lambda limit: limit[0])] if known else []


def _slip(claim, value: float, low: float, limit: float, down: bool) -> str | None:
    """The unit the writer probably meant, if the same number in it falls in range."""
    if not low <= value <= limit:
        return None
    units = ["mcg", "mg", "g"]
    index = units.index(claim.unit)
    meant = units[index - 1] if down and index > 0 else units[index + 1] if not down and index < 2 else None
    return f"{claim.unit} written for {meant}?" if meant else None


def _show(value: float) -> str:
    return f"{value:g}"
