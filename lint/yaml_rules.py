"""Declarative rules in YAML (Vale-style): existence, substitution and required.

    rules:
      - id: house-no-cure-claims
        extends: existence            # existence | substitution | required
        message: "Avoid the promise '{match}'."
        severity: warning             # error | warning | info
        scope: paragraph              # heading | paragraph | text
        ignorecase: true
        tokens: ["cures", "miracle drug"]
      - id: house-spelling
        extends: substitution
        message: "Write '{replacement}' rather than '{match}'."
        swap: {"paracetamol": "acetaminophen"}
      - id: house-disclaimer
        extends: required
        message: "The article must carry the house disclaimer."
        tokens: ["not a substitute for professional medical advice"]

Patterns are phrases matched on word boundaries (regular expressions are allowed). A rule file
that does not follow this shape fails at load time with its file and the offending key.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any, Iterator

import yaml

from .config import ConfigError
from .finding import Finding, Severity
from .rule import LoadedRule, Rule, RuleContext

KINDS = {"existence", "substitution", "required"}
SCOPES = {"heading": ("heading",), "paragraph": ("paragraph", "list_item", "table_cell"), "text": None}
ALLOWED_KEYS = {"id", "extends", "message", "severity", "scope", "ignorecase", "tokens", "swap", "summary", "docs", "tags"}
_RULE_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def load_yaml_rules(path: Path) -> list[LoadedRule]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, "(file)", f"cannot read YAML rules: {error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(path, "(yaml)", f"invalid YAML: {error}") from None
    items = data.get("rules") if isinstance(data, dict) and "rules" in data else data
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise ConfigError(path, "rules", "expected a list of rules")
    return [compile_rule(item, path, f"rules[{index}]") for index, item in enumerate(items)]


def compile_rule(item: Any, path: Path, where: str) -> LoadedRule:
    if not isinstance(item, dict):
        raise ConfigError(path, where, "each rule must be a mapping")
    unknown = set(item) - ALLOWED_KEYS
    if unknown:
        raise ConfigError(path, f"{where}.{sorted(unknown)[0]}", f"unknown key; allowed: {', '.join(sorted(ALLOWED_KEYS))}")
    rule_id = item.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise ConfigError(path, f"{where}.id", "needs a kebab-case id such as house-style")
    kind = item.get("extends")
    if kind not in KINDS:
        raise ConfigError(path, f"{where}.extends", f"must be one of {', '.join(sorted(KINDS))}")
    scope = item.get("scope", "text" if kind == "required" else "paragraph")
    if scope not in SCOPES:
        raise ConfigError(path, f"{where}.scope", f"must be one of {', '.join(SCOPES)}")
    message = item.get("message")
    if not isinstance(message, str) or not message:
        raise ConfigError(path, f"{where}.message", "needs a message")
    try:
        severity = Severity(item.get("severity", "warning"))
    except ValueError:
        raise ConfigError(path, f"{where}.severity", "must be error, warning or info") from None
    _check_shapes(item, path, where)
    flags = re.IGNORECASE if item.get("ignorecase", True) else 0
    patterns = _patterns(item, kind, path, where, flags)
    meta = Rule(
        id=rule_id,
        summary=item.get("summary") or re.sub(r"\{\w+\}", "…", message),
        severity=severity,
        tags=tuple(item.get("tags", ("custom",))),
        fixable=kind == "substitution",
        file_level=kind == "required",
        docs=item.get("docs", f"A {kind} rule from {path.name}."),
    )
    check = partial(_CHECKS[kind], patterns=patterns, scope=SCOPES[scope], message=message)
    return LoadedRule(meta, check, origin=f"yaml:{path}")


def _check_shapes(item: dict, path: Path, where: str) -> None:
    """Types of the optional keys, and a message that formats with {match} and {replacement} only."""
    if not isinstance(item.get("ignorecase", True), bool):
        raise ConfigError(path, f"{where}.ignorecase", "expected true or false")
    for key in ("summary", "docs"):
        if not isinstance(item.get(key, ""), str):
            raise ConfigError(path, f"{where}.{key}", "expected a string")
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ConfigError(path, f"{where}.tags", "expected a list of strings")
    try:
        item["message"].format(match="", replacement="")
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigError(path, f"{where}.message", f"only {{match}} and {{replacement}} may be used in braces ({error})") from None


def _patterns(item: dict, kind: str, path: Path, where: str, flags: int) -> list[tuple[re.Pattern, str]]:
    if kind == "substitution":
        swap = item.get("swap")
        if not isinstance(swap, dict) or not swap:
            raise ConfigError(path, f"{where}.swap", "needs a mapping of phrase -> preferred phrase")
        pairs = list(swap.items())
    else:
        tokens = item.get("tokens")
        if not isinstance(tokens, list) or not tokens or not all(isinstance(t, str) for t in tokens):
            raise ConfigError(path, f"{where}.tokens", "needs a list of phrases")
        pairs = [(token, "") for token in tokens]
    compiled = []
    for phrase, replacement in pairs:
        try:
            compiled.append((re.compile(rf"(?<!\w)(?:{phrase})(?!\w)", flags), str(replacement)))
        except re.error as error:
            raise ConfigError(path, f"{where}", f"bad pattern {phrase!r}: {error}") from None
    return compiled


def _scoped_ranges(ctx: RuleContext, scope: tuple[str, ...] | None) -> Iterator[tuple[int, int]]:
    if scope is None:
        yield 0, len(ctx.article.text)
        return
    for block in ctx.article.blocks:
        if block.kind in scope:
            yield block.start, block.end


def _existence(doc, ctx: RuleContext, patterns, scope, message) -> Iterator[Finding]:
    text = ctx.article.text
    for start, end in _scoped_ranges(ctx, scope):
        for pattern, _ in patterns:
            for match in pattern.finditer(text, start, end):
                yield ctx.finding(match.start(), match.end(), message.format(match=match.group(0)))


def _substitution(doc, ctx: RuleContext, patterns, scope, message) -> Iterator[Finding]:
    text = ctx.article.text
    for start, end in _scoped_ranges(ctx, scope):
        for pattern, replacement in patterns:
            for match in pattern.finditer(text, start, end):
                found = match.group(0)
                preferred = _same_case(found, replacement)
                if found == preferred:
                    continue
                yield ctx.finding(match.start(), match.end(), message.format(match=found, replacement=preferred), fix=preferred)


def _same_case(found: str, replacement: str) -> str:
    """The replacement capitalised like the text it replaces (sentence starts, headings)."""
    if found[:1].isupper() and replacement[:1].islower() and not found.isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _required(doc, ctx: RuleContext, patterns, scope, message) -> Iterator[Finding]:
    text = ctx.article.text
    for start, end in _scoped_ranges(ctx, scope):
        if any(pattern.search(text, start, end) for pattern, _ in patterns):
            return
    yield ctx.line_finding(1, message)


_CHECKS = {"existence": _existence, "substitution": _substitution, "required": _required}
