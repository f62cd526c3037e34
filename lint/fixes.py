"""Applying suggested replacements: safe ones with --fix, all with --unsafe-fixes; atomic writes."""

from __future__ import annotations

import difflib
import os
import tempfile
from pathlib import Path

from .finding import Finding, Fix
from .source import Source


def fixes_to_apply(findings: list[Finding], unsafe: bool = False) -> list[Fix]:
    """Non-overlapping fixes in source order; the first of two overlapping fixes wins."""
    chosen: list[Fix] = []
    fixes = sorted({f.fix for f in findings if f.fix is not None and (f.fix.safe or unsafe)}, key=lambda x: (x.start, x.end, x.replacement))
    for fix in fixes:
        if chosen and fix.start < chosen[-1].end:
            continue
        chosen.append(fix)
    return chosen


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    parts, cursor = [], 0
    for fix in fixes:
        parts += [text[cursor : fix.start], fix.replacement]
        cursor = fix.end
    parts.append(text[cursor:])
    return "".join(parts)


def unified_diff(source: Source, fixed: str) -> str:
    before = source.text.splitlines(keepends=True)
    after = fixed.splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"a/{source.path}", f"b/{source.path}"))


def write_atomically(path: Path, source: Source, text: str) -> None:
    """Write text with the file's original encoding via a temporary file and a rename."""
    data = text.encode("utf-8")
    if source.bom:
        data = b"\xef\xbb\xbf" + data
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
