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
Correct pairings, compared by active ingredient: salts, dosage forms and qualifiers are ignored
("Elvanse (lisdexamfetamine)", "Basaglar (insulin glargine)"), and a combination brand may be paired
with any of its ingredients ("Advair (fluticasone and salmeterol)"); two generic names or two brands in parentheses ("desmethyldiazepam (nordazepam)");
lists of drugs; the pairing phrases are data (rules/data/drug_context.yaml, `pairings`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, TYPE_CHECKING


from healthlint.finding import Finding, Severity
from healthlint.rule import Rule, RuleContext
from healthlint.ruledata import load_data

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from healthlint.components.drugs import DrugMention

_PARENTHESISED = re.compile(r"\([^)]*\)")
_INGREDIENT_SEPARATOR = re.compile(r"\s*(?:[/,;+]|\band\b|\bwith\b|\bplus\b|-(?=[a-z]{4}))\s*")

RULE = Rule(
    id="brand-generic-mismatch",
    summary="A brand name is paired with another drug's generic name",
    severity=Severity.ERROR,
    tags=("drug",),
    fixable=True,
)


def check(doc: Doc, ctx: RuleContext) -> Iterator[Finding]:
    from healthlint.components.drugs import match_case, preferred_name, subject_at  # spaCy-bound: imported with a Doc, not when rules are listed

    for brand, partner in doc._.drug_pairs or []:
        if brand.generic == partner.generic or _names_an_ingredient(doc, brand, partner):
            continue
        message = f"'{brand.text}' is a brand of {brand.generic}, not of {partner.generic}"
        subject = subject_at(doc, brand.start_char)
        if subject == brand.generic:
            yield _replace(ctx, partner, brand.generic, message)
        elif subject == partner.generic:
            better = preferred_name(doc, partner.generic, brand=True)
            fix = match_case(brand.text, better) if better != partner.generic else None
            yield ctx.finding(brand, message=message, fix=fix, unsafe_fix=True)
        else:
            start, end = sorted((brand, partner), key=lambda m: m.start_char)
            yield ctx.finding(start.start_char, end.end_char, message)


def _names_an_ingredient(doc: Doc, brand: DrugMention, partner: DrugMention) -> bool:
    """Whether the partner, or a drug named after it inside the same parentheses ("Adderall
    (dextroamphetamine and amphetamine)"), is one of the brand's active ingredients."""
    wanted = active_ingredients(brand.generic)
    if not wanted:  # the lexicon names only a kind of product ("calcium supplement"): nothing to contradict
        return True
    text = doc._.text
    close = text.find(")", partner.end_char) if text[brand.end_char : partner.start_char].strip() == "(" else -1
    named = [m for m in doc._.drugs if partner.start_char <= m.start_char < close] if close != -1 else [partner]
    return any(active_ingredients(mention.generic) & wanted for mention in named)


@lru_cache(maxsize=4096)
def active_ingredients(generic: str) -> frozenset[str]:
    """The ingredients a generic name lists, without salts, dosage forms or parenthesised qualifiers:
    "insulin glargine (rdna origin)" -> {insulin glargine}; "budesonide/formoterol" -> {budesonide, formoterol}."""
    qualifiers = _qualifiers()
    found = set()
    for part in _INGREDIENT_SEPARATOR.split(_PARENTHESISED.sub(" ", generic.lower())):
        words = [word for word in part.split() if word not in qualifiers]
        if words:
            found.add(" ".join(words))
    return frozenset(found)


@lru_cache(maxsize=1)
def _qualifiers() -> frozenset[str]:
    """The lexicon's salt words and drug_context.yaml's other qualifiers of a generic name."""
    from healthlint.components.drugs import context_data

    return frozenset([*load_data("lexicon_overrides")["salts"], *context_data()["generic_qualifiers"]])


def _replace(ctx: RuleContext, mention: DrugMention, name: str, message: str) -> Finding:
    from healthlint.components.drugs import match_case

    return ctx.finding(mention, message=message, fix=match_case(mention.text, name), unsafe_fix=True)
