"""Inline and front-matter suppressions."""

from __future__ import annotations

from dataclasses import dataclass, field

from .article import Article, Directive
from .finding import Finding

ALL = "*"


@dataclass
class Suppressions:
    """Which rules are off on which lines, built from an article's directives and front matter."""

    file_rules: set[str] = field(default_factory=set)
    line_rules: dict[int, set[str]] = field(default_factory=dict)
    ranges: list[tuple[int, int, set[str]]] = field(default_factory=list)

    def suppresses(self, finding: Finding) -> bool:
        if _covers(self.file_rules, finding.rule):
            return True
        if _covers(self.line_rules.get(finding.line, set()), finding.rule):
            return True
        return any(start <= finding.line <= end and _covers(rules, finding.rule) for start, end, rules in self.ranges)


def _covers(rules: set[str], rule_id: str) -> bool:
    return ALL in rules or rule_id in rules


def front_matter_disabled(article: Article) -> list[str]:
    settings = article.front_matter.get("healthlint") if isinstance(article.front_matter, dict) else None
    if not isinstance(settings, dict):
        return []
    disabled = settings.get("disable", [])
    if isinstance(disabled, str):
        return [name.strip() for name in disabled.split(",") if name.strip()]
    return [str(item) for item in disabled] if isinstance(disabled, list) else [str(disabled)]


def build_suppressions(article: Article) -> Suppressions:
    result = Suppressions(file_rules=set(front_matter_disabled(article)))
    open_ranges: dict[str, int] = {}
    last_line = article.source.lines.line_count
    for directive in article.directives:
        names = set(directive.rules) or {ALL}
        if directive.action == "disable-next-line":
            result.line_rules.setdefault(_next_content_line(article, directive.line), set()).update(names)
        elif directive.action == "disable-line":
            result.line_rules.setdefault(directive.line, set()).update(names)
        elif directive.action == "disable":
            for name in names:
                open_ranges.setdefault(name, directive.line)
        else:
            _close_ranges(result, open_ranges, names, directive.line)
    _close_ranges(result, open_ranges, set(open_ranges), last_line)
    return result


def _close_ranges(result: Suppressions, open_ranges: dict[str, int], names: set[str], line: int) -> None:
    closing = set(open_ranges) if not names or ALL in names else names & set(open_ranges)
    for name in sorted(closing):
        result.ranges.append((open_ranges.pop(name), line, {name}))


def _next_content_line(article: Article, line: int) -> int:
    """The next line that is not blank and not itself a directive (so directives can stack)."""
    lines = article.source.lines
    directive_lines = {d.line for d in article.directives}
    candidate = line + 1
    while candidate <= lines.line_count and (not lines.line_text(candidate).strip() or candidate in directive_lines):
        candidate += 1
    return candidate


def apply_suppressions(findings: list[Finding], article: Article) -> list[Finding]:
    suppressions = build_suppressions(article)
    return [finding for finding in findings if not suppressions.suppresses(finding)]


def named_rules(article: Article) -> list[tuple[Directive | None, str]]:
    """Every rule id that a directive or the front matter names (for unknown-id checks)."""
    named: list[tuple[Directive | None, str]] = [(None, name) for name in front_matter_disabled(article)]
    for directive in article.directives:
        named += [(directive, name) for name in directive.rules]
    return named
