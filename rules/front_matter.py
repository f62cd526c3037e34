"""Flags front matter that cannot be read.

## What it does
Reports YAML front matter that is not valid YAML, is not a mapping, or is never closed.

## Why is this bad?
Front matter carries the title, the subject drug and the review date that other rules and the
publishing system read. When it is broken they silently see nothing.

## Example
```markdown
---
title: Sertraline: what to know
---
```

## Use instead
```markdown
---
title: "Sertraline: what to know"
---
```
"""

from __future__ import annotations

from typing import Iterator

from healthlint.finding import Finding, Severity
from healthlint.rule import Rule, RuleContext

RULE = Rule(id="front-matter", summary="Front matter is not valid YAML", severity=Severity.ERROR, tags=("structure",), file_level=True)


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    error = ctx.article.front_matter_error
    if error is not None:
        message, line = error
        yield ctx.line_finding(line, message)
