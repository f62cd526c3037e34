"""What a rule is, and the context a rule's check function receives."""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .finding import Authority, Finding, Fix, Severity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from .article import Article, Block
    from .components.drugs import DrugMention
    from .config import Config


@dataclass(frozen=True)
class Rule:
    """Rule metadata: stable kebab-case id, summary, default severity, options with defaults."""

    id: str
    summary: str
    severity: Severity
    tags: tuple[str, ...] = ()
    fixable: bool = False
    file_level: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    docs: str = ""


@dataclass
class LoadedRule:
    """A rule and its check function, as the registry holds it."""

    meta: Rule
    check: Callable[["Doc", "RuleContext"], Iterable[Finding]]
    origin: str = "builtin"

    @property
    def id(self) -> str:
        return self.meta.id


def rule_from_module(module: Any, origin: str = "builtin") -> LoadedRule:
    """Build a LoadedRule from a module with RULE and check(); the docstring is the documentation."""
    meta: Rule = module.RULE
    docs = inspect.cleandoc(module.__doc__ or "")
    if not meta.docs:
        meta = Rule(**{**meta.__dict__, "docs": docs})
    return LoadedRule(meta, module.check, origin)


@dataclass
class RuleContext:
    """Everything a rule needs besides the Doc; the only way rules make findings."""

    article: "Article"
    rule: Rule
    severity: Severity
    options: dict[str, Any]
    config: "Config"
    today: dt.date
    known_rules: frozenset[str] = frozenset()

    def finding(
        self,
        start: "int | Span | DrugMention",
        end: int | None = None,
        message: str = "",
        *,
        fix: str | None = None,
        unsafe_fix: bool = False,
        source: Authority | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding for the analysed-text range [start, end) (or a Span or drug mention), mapped to the source."""
        if not isinstance(start, int):
            start, end = start.start_char, start.end_char
        assert end is not None
        src_start, src_end = self.article.offsets.span_to_source(start, end)
        return self._make(src_start, src_end, message, fix, unsafe_fix, source, severity)

    def source_finding(
        self,
        src_start: int,
        src_end: int,
        message: str,
        *,
        fix: str | None = None,
        source: Authority | None = None,
    ) -> Finding:
        """A finding at a source range (for rules about the raw file such as front matter)."""
        return self._make(src_start, src_end, message, fix, False, source, None)

    def line_finding(self, line: int, message: str, *, source: Authority | None = None) -> Finding:
        """A finding covering one whole source line (file-level rules)."""
        lines = self.article.source.lines
        line = max(1, min(line, lines.line_count))
        return self._make(lines.offset(line), lines.line_end(line), message, None, False, source, None)

    def _make(self, src_start, src_end, message, fix, unsafe_fix, source, severity) -> Finding:
        lines = self.article.source.lines
        line, column = lines.position(src_start)
        end_line, end_column = lines.position(src_end)
        return Finding(
            path=self.article.path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            rule=self.rule.id,
            severity=severity or self.severity,
            message=message,
            start=src_start,
            end=src_end,
            fix=Fix(src_start, src_end, fix, safe=not unsafe_fix) if fix is not None else None,
            source=source,
            context=self.article.source.text[src_start:src_end],
        )

    def block_at(self, doc_offset: int) -> "Block | None":
        """The block containing an analysed-text offset."""
        return self.article.block_at(doc_offset)
