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
Negated, questioned, quoted and reported uses; a person's experience or a condition ("42% of
participants had no side effects", "if you have no side effects"); blockquotes and reader comments.

## Options
- `extra_claims` (list of regular expressions): more claims to flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from healthlint.finding import Authority, Finding, Severity
from healthlint.phrases import LowerCasePatterns, lower_in_place, required_literals, union
from healthlint.rule import Rule, RuleContext
from healthlint.ruledata import check_keys, load_data

if TYPE_CHECKING:
    from healthlint.components.tokens import TokenTable

RULE = Rule(
    id="absolute-claim",
    summary="An absolute or promotional health claim",
    severity=Severity.WARNING,
    tags=("safety",),
    options={"extra_claims": []},
)

_CLAUSE = re.compile(r"[,;:()]|\s(?:but|and|yet|while|whereas)\s", re.IGNORECASE)


@dataclass(frozen=True)
class _Patterns:
    """The claims (each kept for its own matches), their union (one pattern: a quick screen per
    sentence, in lower-cased text), the denial cues (negations and experiences) and the reporting
    cues, each set folded into one regex."""

    claims: tuple[re.Pattern[str], ...]
    any_claim: LowerCasePatterns
    denial: re.Pattern[str]
    reported: re.Pattern[str]


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return check_keys(load_data("absolute_claims"), {"claims", "negations", "experiences", "reported", "source"}, set(), "rules/data/absolute_claims.yaml")


@lru_cache(maxsize=16)
def _patterns(extra_claims: tuple[str, ...]) -> _Patterns:
    data = _data()
    claims = tuple(data["claims"]) + extra_claims
    return _Patterns(
        claims=tuple(re.compile(p, re.IGNORECASE) for p in claims),
        any_claim=LowerCasePatterns([union(claims)]),
        denial=re.compile(union([*data["negations"], *data["experiences"]]), re.IGNORECASE),
        reported=re.compile(union(data["reported"]), re.IGNORECASE),
    )


def check(doc, ctx: RuleContext) -> Iterator[Finding]:
    patterns = _patterns(tuple(ctx.options["extra_claims"]))
    source = Authority(**_data()["source"])
    for start, text in _own_sentences(doc, ctx, patterns.any_claim):
        if text.rstrip().endswith("?") or patterns.reported.search(text):
            continue
        for pattern in patterns.claims:
            for match in pattern.finditer(text):
                if _denied(text, match.start(), patterns.denial) or _quoted(text, match.start()):
                    continue
                begin = start + match.start()
                yield ctx.finding(begin, begin + len(match.group(0)), f"absolute claim '{match.group(0)}'", source=source)


def _own_sentences(doc, ctx: RuleContext, claims: LowerCasePatterns) -> Iterator[tuple[int, str]]:
    """(start, text) of the sentences that may hold a claim and that the article itself asserts:
    not in blockquotes or reader comments."""
    from healthlint.components.tokens import token_table  # spaCy-bound: imported with a Doc, not when rules are listed

    table = token_table(doc)
    text = doc._.text
    lowered = lower_in_place(text)
    end = doc._.comments_start if doc._.comments_start is not None else len(text)
    literals = _literals(claims.compiled(lowered)) if lowered is not None else None
    if literals is None:
        indexes: Iterable[int] = (index for index, (first, _) in enumerate(table.sentences) if table.start[first] < end)
    else:
        indexes = sorted(_holding(table, lowered, literals, end))
    for index in indexes:
        start, stop = table.sentence_span(index)
        if lowered is not None and not claims.search(lowered[start:stop]):
            continue
        block = ctx.block_at(start)
        if block is None or not block.quote:
            yield start, text[start:stop]


@lru_cache(maxsize=8)
def _literals(compiled: tuple[re.Pattern[str], ...]) -> frozenset[str] | None:
    """The required literals of the patterns (see phrases.required_literals); None when a pattern has
    none (one that ignores case, as for text holding "ı" or "ſ"), and sentences cannot be screened."""
    found = [required_literals(pattern) for pattern in compiled]
    return frozenset(literal for literals in found for literal in literals) if all(found) else None


def _holding(table: "TokenTable", lowered: str, literals: frozenset[str], end: int) -> set[int]:
    """Indexes of the sentences starting before `end` that hold one of `literals` in `lowered`, the
    lower-cased text (the sentences LowerCasePatterns.spans_to_search keeps); each literal is looked
    for once in the whole text and its places mapped to sentences through the token table."""
    sentences, sentence_of, starts, ends = table.sentences, table.sentence_of, table.start, table.end
    chosen: set[int] = set()
    for literal in literals:
        at = lowered.find(literal)
        while at != -1:
            index = sentence_of[table.token_at(at)]
            first, last = sentences[index]
            if starts[first] < end and at + len(literal) <= ends[last - 1]:
                chosen.add(index)
                at = lowered.find(literal, ends[last - 1])  # the rest of this sentence adds nothing
            else:
                at = lowered.find(literal, at + 1)
    return chosen


def _denied(text: str, start: int, negation: re.Pattern[str]) -> bool:
    before = _CLAUSE.split(text[:start])[-1]
    return negation.search(before) is not None


def _quoted(text: str, start: int) -> bool:
    before = text[:start]
    opened = before.count("“") > before.count("”")
    return opened or before.count('"') % 2 == 1
