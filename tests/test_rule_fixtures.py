"""Every rule over its fixtures in tests/fixtures/<rule-id>/: the exact set of (rule, line) expected.

Markers: `<!-- expect: rule-id -->` at the end of the flagged line, `<!-- expect+N: rule-id -->` for
N lines below; .txt and .html fixtures may use a sidecar NAME.expect.yaml (`findings: {rule: [lines]}`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from healthlint.config import Config, parse_config
from healthlint.engine import lint_article_source
from healthlint.evaluate import expected_for
from healthlint.registry import builtin_rules
from healthlint.source import read_source

from tests.helpers import FIXTURES, lint_text

TODAY = dt.date(2026, 6, 1)
RULES = {rule.id: rule for rule in builtin_rules()}
FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*/*") if p.suffix in {".md", ".txt", ".html"})


def _lint(path: Path, select: list[str] | None):
    config = _fixture_config(path)
    rules = {rule.id: rule for rule in builtin_rules()}
    return lint_article_source(read_source(path), config, rules, select=select, today=TODAY).findings


def _fixture_config(path: Path) -> Config:
    """A fixture folder may hold a config.yaml with options for its rule."""
    config_file = path.parent / "config.yaml"
    if config_file.is_file():
        import yaml

        return parse_config(yaml.safe_load(config_file.read_text()) or {})
    return parse_config({})


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_exact_findings(path: Path) -> None:
    rule_id = path.parent.name
    assert rule_id in RULES, f"fixture folder {rule_id} names no rule"
    expected = {(rule_id, line) for line in expected_for(path, {}).get(rule_id, set())}
    alone = {(f.rule, f.line) for f in _lint(path, [rule_id])}
    assert alone == expected, f"{rule_id} alone: got {sorted(alone)}, expected {sorted(expected)}"
    together = {(f.rule, f.line) for f in _lint(path, None) if f.rule == rule_id}
    assert together == expected, f"{rule_id} among all rules: got {sorted(together)}, expected {sorted(expected)}"


DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_contract(rule_id: str) -> None:
    """Docs sections, a positive and a hard-negative fixture, and the docs' Example fires while Use instead is clean."""
    meta = RULES[rule_id].meta
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", meta.id)
    assert meta.summary
    for section in DOC_SECTIONS:
        assert section in meta.docs, f"{rule_id} docs lack {section}"
    files = [p for p in FIXTURE_FILES if p.parent.name == rule_id]
    with_findings = [p for p in files if expected_for(p, {}).get(rule_id)]
    assert with_findings, f"{rule_id} has no positive fixture"
    assert len(with_findings) < len(files), f"{rule_id} has no hard-negative fixture"
    example, use_instead = _code_block(meta.docs, "## Example"), _code_block(meta.docs, "## Use instead")
    kind = "txt" if example[0] == "text" else example[0] if example[0] in ("html",) else "md"
    assert _lint_snippet(example[1], kind, rule_id), f"{rule_id}: its documented Example is not flagged"
    assert not _lint_snippet(use_instead[1], kind, rule_id), f"{rule_id}: its documented Use instead is flagged"


def _code_block(docs: str, heading: str) -> tuple[str, str]:
    section = docs.split(heading, 1)[1]
    match = re.search(r"```(\w*)\n(.*?)```", section, re.DOTALL)
    assert match, f"no code block under {heading}"
    return match.group(1), match.group(2)


def _lint_snippet(text: str, kind: str, rule_id: str):
    return [f for f in lint_text(text, f"example.{kind}", select=[rule_id]) if f.rule == rule_id]
