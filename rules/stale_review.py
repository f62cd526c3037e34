"""Flags a medical review date that is old, unreadable, in the future, missing, or older than a class labeling change.

## What it does
Reads the review date in Markdown front matter (`last_reviewed`, `reviewed` or `date_reviewed`;
see rules/data/review_dates.yaml and the `extra_keys` option) or, in any format without such a key,
in a byline near the start of the article ("Medically reviewed by Ana Cruz, PharmD, on 2 September
2025"), and reports it when it is
- older than `max_age_months` (default 24) before today,
- not a date (`reviewed: last spring`, `reviewed: 2023-13-01`) or in the future,
- absent although `medically_reviewed_by` names a reviewer,
- earlier than a class-wide labeling change for the article's subject drug, such as the FDA's
  2020-09-23 boxed warning for all benzodiazepines or its 2023-12-15 opioid analgesic labeling
  updates (dates and sources in rules/data/review_dates.yaml). The message names the change and
  the finding cites its source.

The subject drug comes from the drug component (`doc._.subjects`) when it is present, and from front
matter `drug:` / `drugs:`; an article about a whole class can say `drug_class: benzodiazepine`.

## Why is this bad?
A "medically reviewed" badge tells readers the advice is current. A review that predates a boxed
warning, or one so old nobody remembers it, promises more than the article delivers; a reviewer
with no date gives no promise at all.

## Example
```markdown
---
title: Lorazepam for anxiety
drug: lorazepam
drug_class: benzodiazepine
last_reviewed: 2019-04-02
---
# Lorazepam for anxiety

Lorazepam works within an hour.
```

## Use instead
```markdown
---
title: Lorazepam for anxiety
drug: lorazepam
drug_class: benzodiazepine
last_reviewed: 2025-11-20
---
# Lorazepam for anxiety

Lorazepam works within an hour.
```

## Not flagged
- Articles with no review date anywhere and no reviewer (other rules require them).
- A date in the body that is not in a review byline ("a 2019 review of trials found...").
- A review after the labeling change, for a drug outside the changed class.
- Dates written as `2025-11-20`, `2025/11/20`, `20 November 2025`, `November 20, 2025` or `November 2025`.

## Options
- `max_age_months` (integer, default `24`): how old a review may be.
- `extra_keys` (list, default `[]`): more front matter keys holding a review date.
- `label_changes` (bool, default `true`): also compare the date with class labeling changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterator, TYPE_CHECKING


from healthlint.finding import Authority, Finding, Severity
from healthlint.parse.frontmatter import split_front_matter
from healthlint.rule import Rule, RuleContext
from healthlint.ruledata import check_keys, load_data

if TYPE_CHECKING:
    from spacy.tokens import Doc

RULE = Rule(
    id="stale-review",
    summary="The medical review date is old, invalid, missing or predates a class labeling change",
    severity=Severity.WARNING,
    tags=("hygiene",),
    options={"max_age_months": 24, "extra_keys": [], "label_changes": True},
)

SUBJECTS_USED = 2


@dataclass(frozen=True)
class LabelChange:
    classes: frozenset[str]
    date: dt.date
    change: str
    source: Authority


def check(doc: Doc, ctx: RuleContext) -> Iterator[Finding]:
    front = ctx.article.front_matter if isinstance(ctx.article.front_matter, dict) else {}
    keys = [*load_data("review_dates")["review_keys"], *ctx.options["extra_keys"]]
    present = [key for key in keys if key in front]
    if not present:
        yield from _reviewer_without_date(ctx, front, keys)
        byline = byline_review_date(ctx.article.text)
        if byline is not None:
            start, end, reviewed = byline
            yield from _date_findings(doc, ctx, "review date", reviewed, lambda message, source=None: ctx.finding(start, end, message, source=source))
        return
    for key in present:
        value = front[key]
        reviewed = parse_date(value)
        if reviewed is None:
            yield _at_key(ctx, key, f"{key} {str(value)!r} is not a date; write it as YYYY-MM-DD")
            continue
        yield from _date_findings(doc, ctx, key, reviewed, lambda message, source=None, key=key: _at_key(ctx, key, message, source))


def _date_findings(doc: Doc, ctx: RuleContext, label: str, reviewed: dt.date, place: Callable[..., Finding]) -> Iterator[Finding]:
    """Findings for a review date; `place(message, source)` makes a finding where the date is written."""
    months = int(ctx.options["max_age_months"])
    if reviewed > ctx.today:
        yield place(f"{label} {reviewed} is in the future (today is {ctx.today})")
        return
    if add_months(reviewed, months) < ctx.today:
        age = _months_between(reviewed, ctx.today)
        yield place(f"{label} {reviewed} is {age} months old, more than {months}; have the article reviewed again")
    if ctx.options["label_changes"]:
        for change, drugs in changes_since(reviewed, ctx.today, subject_classes(doc, ctx)):
            message = f"reviewed {reviewed}, before the {change.date} {change.change} ({', '.join(drugs)}); check the article against the new labeling"
            yield place(message, change.source)


def byline_review_date(text: str) -> tuple[int, int, dt.date] | None:
    """(start, end, date) of a review date stated in a byline near the start of the prose
    ("Medically reviewed by Ana Cruz, PharmD, on 2 September 2026"): the first date written within
    a short distance after "reviewed" in the same paragraph, in one of the accepted formats."""
    data = load_data("review_dates")["byline"]
    head = text[: int(data["within_chars"])]
    for cue in re.finditer(data["cue"], head, re.IGNORECASE):
        paragraph_end = head.find("\n", cue.end())
        window_end = min(cue.end() + int(data["max_gap"]), len(head) if paragraph_end == -1 else paragraph_end)
        for found in re.finditer(data["date"], head[cue.end() : window_end]):
            reviewed = parse_date(found.group(0))
            if reviewed is not None:
                return cue.end() + found.start(), cue.end() + found.end(), reviewed
    return None


def _reviewer_without_date(ctx: RuleContext, front: dict[str, Any], keys: list[str]) -> Iterator[Finding]:
    for key in load_data("review_dates")["reviewer_keys"]:
        if front.get(key):
            yield _at_key(ctx, key, f"{key} names a reviewer but no review date is given ({', '.join(keys)})")


def parse_date(value: Any) -> dt.date | None:
    """A review date from YAML (a date, or a string in one of the accepted formats); None if unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    for fmt in load_data("review_dates")["date_formats"]:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (clamped to the month's last day)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def changes_since(reviewed: dt.date, today: dt.date, classes: dict[str, frozenset[str]]) -> Iterator[tuple[LabelChange, list[str]]]:
    """Label changes after the review (and not after today) touching a subject drug's class, with the drugs concerned."""
    for change in label_changes():
        if not reviewed < change.date <= today:
            continue
        drugs = sorted(name for name, drug_classes in classes.items() if drug_classes & change.classes)
        if drugs:
            yield change, drugs


@lru_cache(maxsize=1)
def label_changes() -> tuple[LabelChange, ...]:
    found = []
    for index, item in enumerate(load_data("review_dates")["label_changes"]):
        where = f"rules/data/review_dates.yaml: label_changes[{index}]"
        item = check_keys(item, {"classes", "date", "change", "source"}, set(), where)
        source = check_keys(item["source"], {"title", "url"}, set(), f"{where}.source")
        if not isinstance(item["date"], dt.date):
            raise ValueError(f"{where}.date must be a YYYY-MM-DD date")
        found.append(LabelChange(frozenset(item["classes"]), item["date"], str(item["change"]), Authority(source["title"], source["url"])))
    return tuple(found)


def subject_classes(doc: Doc, ctx: RuleContext) -> dict[str, frozenset[str]]:
    """Subject drug (or declared class) -> its classes, from front matter and the drug component."""
    front = ctx.article.front_matter if isinstance(ctx.article.front_matter, dict) else {}
    names = _names(front.get("drugs", front.get("drug")))
    if not names and doc.has_extension("subjects"):
        names = list(doc._.subjects or [])[:SUBJECTS_USED]
    result = _classes_from_lexicon(names, ctx)
    for declared in _names(front.get("drug_classes", front.get("drug_class"))):
        result[declared] = frozenset({declared})
    return result


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [str(item).strip().lower() for item in items if str(item).strip()]


def _classes_from_lexicon(names: list[str], ctx: RuleContext) -> dict[str, frozenset[str]]:
    try:
        from healthlint.lexicon import load_lexicon
    except ImportError:
        return {}
    lexicon = load_lexicon(ctx.config.lexicon or None)
    result = {}
    for name in names:
        entry = lexicon.lookup(name)
        if entry is not None:
            result[entry.generic] = lexicon.classes_of(entry.generic)
    return result


def _at_key(ctx: RuleContext, key: str, message: str, source: Authority | None = None) -> Finding:
    """A finding on the front matter line holding `key`."""
    text = ctx.article.source.text
    end = split_front_matter(text).end
    found = re.search(rf"^[ \t]*['\"]?{re.escape(key)}['\"]?[ \t]*:", text[:end], re.MULTILINE)
    if found is None:
        return ctx.line_finding(1, message, source=source)
    start = found.start() + len(found.group(0)) - len(found.group(0).lstrip())
    line = ctx.article.source.lines.position(start)[0]
    return ctx.source_finding(start, ctx.article.source.lines.line_end(line), message, source=source)
