"""Baselines for legacy content, and the stable finding fingerprint they share with the GitLab format.

A finding is identified by its rule, its path and a fingerprint of the offending text and the text
around it on its line(s), never by its line number, so edits elsewhere in a file do not change it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Iterable

from .finding import Finding

BASELINE_VERSION = 1
CONTEXT_CHARS = 40
_SPACE = re.compile(r"\s+")


class BaselineError(Exception):
    """A baseline file that cannot be read, with the reason."""


def normalise_text(text: str) -> str:
    """Collapse whitespace runs (including CRLF) to one space and trim."""
    return _SPACE.sub(" ", text).strip()


def context_window(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """Up to `width` characters either side of [start, end), never crossing the lines the range is on."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    return text[max(line_start, start - width):min(line_end, end + width)]


def fingerprint(finding: Finding, source_text: str | None, path: str | None = None) -> str:
    """A stable hash of rule, path, the normalised offending text and its context (no line numbers)."""
    if source_text is not None:
        offending = source_text[finding.start:finding.end]
        context = context_window(source_text, finding.start, finding.end)
    else:
        offending, context = finding.context, ""
    key = "\x00".join((finding.rule, path or finding.path, normalise_text(offending), normalise_text(context)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def relative_path(path: str, root: Path) -> str:
    """`path` relative to `root` in POSIX form when it lies under it; otherwise as given, POSIX-style."""
    if path.startswith("<"):
        return path
    try:
        relative = os.path.relpath(Path(path).resolve(), root.resolve())
    except ValueError:  # another drive on Windows
        return PurePath(path).as_posix()
    if relative.startswith(".."):
        return PurePath(path).as_posix()
    return PurePath(relative).as_posix()


@dataclass(frozen=True)
class BaselineEntry:
    rule: str
    path: str
    fingerprint: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.path, self.fingerprint)


def entries_for(findings_with_text: Iterable[tuple[Finding, str | None]], root: Path) -> list[tuple[Finding, BaselineEntry]]:
    """Each finding with its baseline entry; paths are relative to `root` (the baseline file's folder)."""
    pairs = []
    for finding, text in findings_with_text:
        path = relative_path(finding.path, root)
        pairs.append((finding, BaselineEntry(finding.rule, path, fingerprint(finding, text, path))))
    return pairs


def write_baseline(file: Path, findings_with_text: Iterable[tuple[Finding, str | None]]) -> int:
    """Record findings in `file` (sorted, one JSON object); returns how many were recorded."""
    pairs = entries_for(findings_with_text, file.parent)
    records = sorted(
        ({"rule": e.rule, "path": e.path, "fingerprint": e.fingerprint, "line": f.line, "message": f.message} for f, e in pairs),
        key=lambda r: (r["path"], r["line"], r["rule"], r["fingerprint"]),
    )
    payload = {"version": BASELINE_VERSION, "tool": "healthlint", "findings": records}
    file.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(records)


def read_baseline(file: Path) -> Counter[tuple[str, str, str]]:
    """The multiset of (rule, path, fingerprint) recorded in a baseline file."""
    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"{file}: cannot read baseline: {error}") from None
    if not isinstance(payload, dict) or payload.get("version") != BASELINE_VERSION or not isinstance(payload.get("findings"), list):
        raise BaselineError(f"{file}: not a healthlint baseline (version {BASELINE_VERSION})")
    try:
        return Counter(BaselineEntry(r["rule"], r["path"], r["fingerprint"]).key for r in payload["findings"])
    except (KeyError, TypeError):
        raise BaselineError(f"{file}: each baseline finding needs rule, path and fingerprint") from None


def new_findings(findings_with_text: Iterable[tuple[Finding, str | None]], baseline: Counter, root: Path) -> list[Finding]:
    """The findings not in the baseline; each recorded entry absorbs one matching finding (multiplicity)."""
    remaining = Counter(baseline)
    fresh = []
    for finding, entry in entries_for(findings_with_text, root):
        if remaining[entry.key] > 0:
            remaining[entry.key] -= 1
        else:
            fresh.append(finding)
    return fresh
