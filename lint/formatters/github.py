"""GitHub Actions workflow commands: one `::error|warning|notice file=...::message` line per finding."""

from __future__ import annotations

from ..finding import Severity
from . import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: %, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value: as messages, plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}"


def format_report(report: Report) -> str:
    lines = []
    for finding, _ in report.located():
        properties = {
            "file": finding.path,
            "line": finding.line,
            "col": finding.column,
            "endLine": finding.end_line,
            "endColumn": finding.end_column,
            "title": finding.rule,
        }
        lines.append(_command(COMMANDS[finding.severity], properties, finding.message))
    for error in report.errors:
        properties = {"file": error.path, **({"line": error.line} if error.line else {}), "title": "healthlint"}
        lines.append(_command("error", properties, error.message))
    return "".join(line + "\n" for line in lines)
