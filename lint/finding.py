"""Findings and fixes: what rules report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Fix:
    """Replace source[start:end] with replacement; unsafe fixes need --unsafe-fixes."""

    start: int
    end: int
    replacement: str
    safe: bool = True


@dataclass(frozen=True)
class Authority:
    """What justifies a finding: a label section, a safety communication, a reference."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: Severity
    message: str
    start: int = 0
    end: int = 0
    fix: Fix | None = None
    source: Authority | None = None
    context: str = field(default="", compare=False)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.end_line, self.end_column, self.message)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.fix is not None:
            data["fix"] = {"replacement": self.fix.replacement, "safe": self.fix.safe}
        if self.source is not None:
            data["source"] = asdict(self.source)
        return data


@dataclass(frozen=True)
class FileError:
    """A file that could not be read or analysed, and why."""

    path: str
    message: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        return data
