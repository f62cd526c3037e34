"""Formatters: pure functions from results to text."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Callable

from ..engine import FileResult
from ..finding import Finding
from ..rule import LoadedRule

FORMATS = ("text", "json", "sarif", "github", "gitlab", "html")


@dataclass
class Report:
    """Everything a formatter may show."""

    results: list[FileResult]
    rules: dict[str, LoadedRule] = field(default_factory=dict)
    color: bool = False
    show_source: bool = False
    statistics: bool = False
    quiet: bool = False
    root: Path = field(default_factory=Path.cwd)

    @property
    def findings(self):
        return [finding for result in self.results for finding in result.findings]

    @property
    def errors(self):
        return [error for result in self.results for error in result.errors]

    def located(self) -> list[tuple[Finding, FileResult]]:
        """Every finding with the result (and so the source) it came from, sorted by path, line, column, rule."""
        pairs = [(finding, result) for result in self.results for finding in result.findings]
        return sorted(pairs, key=lambda pair: pair[0].sort_key)


def formatter(name: str) -> Callable[[Report], str]:
    """The format function of a formatter module (imported only when used)."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    return import_module(f"{__name__}.{name}").format_report
