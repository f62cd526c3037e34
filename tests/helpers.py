"""Shared test helpers: lint a string as a file; where the seeds and fixtures live."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.matcher import Matcher

from healthlint.config import parse_config
from healthlint.engine import lint_article_source
from healthlint.finding import Finding
from healthlint.registry import all_rules
from healthlint.source import Source

if TYPE_CHECKING:
    from spacy.vocab import Vocab

    from healthlint.components.windows import TokenPatterns

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def lint_text(
    text: str,
    name: str = "article.md",
    select: list[str] | None = None,
    config: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Lint text as if it were the file `name`, with only `select` rules (all when None)."""
    cfg = parse_config(config or {})
    rules = all_rules(cfg)
    return lint_article_source(Source(name, text), cfg, rules, select=select, today=today or dt.date(2026, 6, 1)).findings


def rule_lines(findings: list[Finding], rule: str | None = None) -> list[int]:
    return sorted(f.line for f in findings if rule is None or f.rule == rule)


def matcher_for(patterns: "TokenPatterns", vocab: "Vocab") -> Matcher:
    """spaCy's Matcher holding the same pattern groups (greedy="LONGEST"), the reference TokenPatterns is tested against."""
    matcher = Matcher(vocab)
    for key, group in patterns.groups.items():
        matcher.add(key, group, greedy="LONGEST")
    return matcher
