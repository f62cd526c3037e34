"""GitLab Code Quality report: the subset of Code Climate JSON that GitLab reads."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from ..baseline import fingerprint, relative_path
from ..finding import Severity
from . import Report

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def _unique(base: str, seen: Counter) -> str:
    """The base fingerprint for the first occurrence; identical findings get an occurrence-numbered one."""
    seen[base] += 1
    if seen[base] == 1:
        return base
    return hashlib.sha256(f"{base}:{seen[base] - 1}".encode()).hexdigest()[:32]


def format_report(report: Report) -> str:
    seen: Counter = Counter()
    issues = []
    for finding, result in report.located():
        path = relative_path(finding.path, report.root)
        text = result.source.text if result.source is not None else None
        issues.append({
            "description": finding.message,
            "check_name": finding.rule,
            "fingerprint": _unique(fingerprint(finding, text, path), seen),
            "severity": SEVERITIES[finding.severity],
            "location": {"path": path, "lines": {"begin": finding.line, "end": finding.end_line}},
        })
    for error in report.errors:
        path = relative_path(error.path, report.root)
        digest = hashlib.sha256(f"file-error\x00{path}\x00{error.message}".encode()).hexdigest()[:32]
        issues.append({
            "description": f"healthlint could not lint this file: {error.message}",
            "check_name": "healthlint-file-error",
            "fingerprint": _unique(digest, seen),
            "severity": "critical",
            "location": {"path": path, "lines": {"begin": error.line or 1}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
