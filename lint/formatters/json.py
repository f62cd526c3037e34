"""JSON output: {"version", "findings", "errors"}, findings sorted by path, line, column, rule."""

from __future__ import annotations

import json

from .. import __version__
from . import Report


def format_report(report: Report) -> str:
    findings = sorted(report.findings, key=lambda f: f.sort_key)
    payload = {
        "version": __version__,
        "findings": [finding.to_dict() for finding in findings],
        "errors": [error.to_dict() for error in report.errors],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
