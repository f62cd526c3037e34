"""Formatters: pure functions from results to text."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Callable

from ..engine import FileResult
from ..rule import LoadedRule

FORMATS = ("text", "json", "sarif", "github")


@dataclass
class Report:
    """Everything a formatter may show."""

    results: list[FileResult]
    rules: dict[str, LoadedRule] = field(default_factory=dict)
    color: bool = False
    show_source: bool = False
    statistics: bool = False
    quiet: bool = False

    @property
    def findings(self):
        return [finding for result in self.results for finding in result.findings]

    @property
    def errors(self):
        return [error for result in self.results for error in result.errors]


def formatter(name: str) -> Callable[[Report], str]:
    """The format function of a formatter module (imported only when used)."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}")
    return import_module(f"{__name__}.{name}").format_report
