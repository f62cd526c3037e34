"""Flags a drug named where the section's subject drug is meant.

## What it does
Reports a mention of drug B in text that is about drug A (under A's heading, answering a question
about A, or in an article about A alone) when B is in the same narrow class as A (benzodiazepines,
SSRIs, statins), or in the same broad class (antidepressants, antibiotics, antidiabetics) under a
heading about A, or B and A are a known look-alike/sound-alike pair, and B is not otherwise a subject of the article. The suggested fix
names A (applied only with `--unsafe-fixes`, since it changes the meaning).

## Why is this bad?
Writers who reuse text from an article about a sibling drug, or autocomplete a similar name, leave
the wrong drug in dosage, side-effect and safety statements. A reader then takes advice about
clonazepam as advice about diazepam: a different dose, a different half-life.

## Example
```markdown
# Sertraline: what to know

## What is the usual dose of sertraline?

Most adults start fluoxetine at 50 mg once a day.
```

## Use instead
```markdown
# Sertraline: what to know

## What is the usual dose of sertraline?

Most adults start sertraline at 50 mg once a day.
```

## Not flagged
Comparison, crossover, switching and interaction articles (several drugs in the title); mentions in
parentheses, quotations, reader comments, lists of drugs, sentences that also name another drug or
use a comparison/switching/interaction trigger ("unlike", "such as", "switch from", "together
with"); sections about alternatives or interactions; reference lists; drugs named in a heading or in
front matter; hormones the body makes (insulin), which share only a broad class with the subject.
Two drugs side by side are `adjacent-drug-names`; a wrong brand-generic pairing is
`brand-generic-mismatch`.

## Options
- `confused_pairs` (default true): also flag known look-alike/sound-alike pairs from other classes.
- `ignore_cues`: the context cues (from the hl_drugs component) that silence the rule.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator, TYPE_CHECKING


from healthlint.finding import Finding, Severity
from healthlint.lexicon import lexicon_for_key
from healthlint.rule import Rule, RuleContext
from healthlint.ruledata import load_data

if TYPE_CHECKING:
    from spacy.tokens import Doc

DEFAULT_IGNORE_CUES = [
    "heading", "quoted", "comment", "parenthetical", "comparison", "switching", "interaction", "list",
    "paired", "adjacent", "multi_drug", "other_drugs_section", "headline",
]

RULE = Rule(
    id="drug-swap",
    summary="A sibling or look-alike drug is named where the subject drug is meant",
    severity=Severity.ERROR,
    tags=("drug",),
    fixable=True,
    options={"confused_pairs": True, "ignore_cues": DEFAULT_IGNORE_CUES},
)


def check(doc: Doc, ctx: RuleContext) -> Iterator[Finding]:
    from healthlint.components.drugs import match_case, preferred_name, subject_at  # spaCy-bound: imported with a Doc, not when rules are listed

    if doc._.drugs is None:
        return
    lexicon = lexicon_for_key(ctx.config.lexicon_key)
    ignore = set(ctx.options["ignore_cues"])
    subjects = set(doc._.subjects)
    names_used = _names_used(doc)
    text = doc._.text
    mentions = [(m.start_char, m.end_char, m.text, m.generic, m.is_brand, m.classes, m.cues) for m in doc._.drugs if m.generic not in subjects]
    mentions += [(g.drug_start, g.drug_end, text[g.drug_start : g.drug_end], g.generic, g.is_brand, g.classes, g.cues) for g in doc._.glued_drugs if g.generic not in subjects]
    references = doc._.reference_blocks or set()
    for start, end, surface, generic, is_brand, classes, cues in sorted(mentions):
        if cues & ignore or (references and doc._.article.block_index_at(start) in references):
            continue
        subject = subject_at(doc, start)
        if subject is None or subject == generic:
            continue
        headed = _under_subject_heading(doc, start, subject)
        if not _related(lexicon, subject, generic, surface, classes, ctx.options["confused_pairs"], names_used, headed):
            continue
        wanted = match_case(surface, preferred_name(doc, subject, is_brand))
        yield ctx.finding(start, end, f"'{surface}' ({generic}) in text about {subject}; did you mean '{wanted}'?", fix=wanted, unsafe_fix=True)


def _under_subject_heading(doc: Doc, offset: int, subject: str) -> bool:
    """Whether the nearest heading that names a drug, above the text at offset, names the subject."""
    index = doc._.article.block_index_at(offset)
    return index is not None and doc._.block_subjects[index] == subject


@lru_cache(maxsize=1)
def broad_classes() -> frozenset[str]:
    """The classes `implies` puts above narrower ones in drug_classes.yaml (antidepressant, antibiotic,
    antidiabetic). Sharing only such a class makes siblings only under a heading about the subject:
    an overview of four antibiotics is no find-and-replace slip, "Does metformin cause low blood
    sugar? ... Glipizide is considered safe" is."""
    return frozenset(broad for implied in load_data("drug_classes")["implies"].values() for broad in implied)


@lru_cache(maxsize=1)
def _endogenous() -> frozenset[str]:
    """Drugs that are also hormones of the body (drug_context.yaml)."""
    from healthlint.components.drugs import context_data

    return frozenset(context_data()["endogenous"])


def _names_used(doc: Doc) -> dict[str, set[str]]:
    """Per generic, the lower-cased names the article uses for it."""
    names: dict[str, set[str]] = {}
    for mention in doc._.drugs:
        names.setdefault(mention.generic, set()).add(mention.text.lower())
    return names


def _related(lexicon, subject: str, generic: str, surface: str, classes: frozenset[str], confused: bool, names_used: dict[str, set[str]], headed: bool) -> bool:
    """Same narrow class; or the same broad class, under a heading about the subject, for a drug that
    is not also a hormone of the body; or a known look-alike/sound-alike pair (by generic or by the names used)."""
    shared = classes & lexicon.classes_of(subject)
    if shared - broad_classes():
        return True
    if shared and headed and generic not in _endogenous():
        return True
    if not confused:
        return False
    subject_names = {subject} | names_used.get(subject, set())
    return any(lexicon.confusable(name, other) for name in (generic, surface.lower()) for other in subject_names)
