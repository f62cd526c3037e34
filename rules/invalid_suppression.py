"""Flags suppression comments that name a rule that does not exist.

## What it does
Checks every `healthlint-disable`, `healthlint-disable-next-line` and `healthlint-disable-line`
comment, and the front matter key `healthlint: {disable: [...]}`, for rule ids healthlint does not know.

## Why is this bad?
A misspelt rule id suppresses nothing, so the finding the editor meant to silence keeps coming
back, or worse, the editor believes a rule is off when it is not.

## Example
```markdown
<!-- healthlint-disable-next-line front-mater -->
```

## Use instead
```markdown
<!-- healthlint-disable-next-line front-matter -->
```
"""

from __future__ import annotations

from typing import Iterator

from healthlint.finding import Finding, Severity
from healthlint.rule import Rule, RuleContext
from healthlint.suppress import named_rules

RULE = Rule(id="invalid-suppression", summary="A suppression comment names an unknown rule", severity=Severity.WARNING, tags=("structure",))


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    for directive, name in named_rules(ctx.article):
        if name in ctx.known_rules:
            continue
        message = f"unknown rule {name!r} in suppression; it suppresses nothing"
        if directive is None:
            yield ctx.line_finding(1, f"{message} (front matter healthlint.disable)")
        else:
            lines = ctx.article.source.lines
            start = lines.offset(directive.line, directive.column)
            yield ctx.source_finding(start, lines.line_end(directive.line), message)
