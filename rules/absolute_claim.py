"""Flags absolute or promotional health claims.

## What it does
Finds phrases such as "completely safe", "no side effects", "100% effective", "cures anxiety",
"guaranteed results" and "miracle drug" (patterns in `rules/data/absolute_claims.yaml`). A phrase is
not reported when it is denied ("no drug is completely safe", "it is not a miracle cure"), asked
("Is it completely safe?"), quoted, or reported as someone else's claim or a myth ("sites claiming
it cures anxiety", "some people have no side effects").

## Why is this bad?
No medicine is free of risk, and no treatment works for everyone. Absolute claims are inaccurate,
breach advertising rules for health products, and lead readers to ignore real risks.

## Example
```markdown
Sertraline is completely safe and works for everyone.
```

## Use instead
```markdown
Sertraline is generally well tolerated, but no medicine is completely safe.
```

## Not flagged
Negated, questioned, quoted and reported uses; blockquotes and reader comments.

## Options
- `extra_claims` (list of regular expressions): more claims to flag.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator

from healthlint.finding import Authority, Finding, Severity
from healthlint.rule import Rule, RuleContext
from healthlint.ruledata import check_keys, load_data

RULE = Rule(
    id="absolute-claim",
    summary="An absolute or promotional health claim",
    severity=Severity.WARNING,
    tags=("safety",),
    options={"extra_claims": []},
)

_CLAUSE = re.compile(r"[,;:()]|\s(?:but|and|yet|while|whereas)\s", re.IGNORECASE)


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return check_keys(load_data("absolute_claims"), {"claims", "negations", "reported", "source"}, set(), "rules/data/absolute_claims.yaml")


def _compiled(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    data = _data()
    claims = _compiled(tuple(data["claims"]) + tuple(ctx.options["extra_claims"]))
    negations, reported = _compiled(tuple(data["negations"])), _compiled(tuple(data["reported"]))
    source = Authority(**data["source"])
    for sentence in _own_sentences(doc, ctx):
        text = sentence.text
        if text.rstrip().endswith("?") or any(p.search(text) for p in reported):
            continue
        for pattern in claims:
            for match in pattern.finditer(text):
                if _denied(text, match.start(), negations) or _quoted(text, match.start()):
                    continue
                start = sentence.start_char + match.start()
                yield ctx.finding(start, start + len(match.group(0)), f"absolute claim '{match.group(0)}'", source=source)


def _own_sentences(doc, ctx: RuleContext):
    """Sentences the article itself asserts: not in blockquotes or reader comments."""
    end = doc._.comments_start if doc._.comments_start is not None else len(doc._.text)
    for sentence in doc.sents:
        block = ctx.block_at(sentence.start_char)
        if sentence.start_char >= end or (block is not None and block.quote):
            continue
        yield sentence


def _denied(text: str, start: int, negations: list[re.Pattern[str]]) -> bool:
    before = _CLAUSE.split(text[:start])[-1]
    return any(p.search(before) for p in negations)


def _quoted(text: str, start: int) -> bool:
    before = text[:start]
    opened = before.count("“") > before.count("”")
    return opened or before.count('"') % 2 == 1
