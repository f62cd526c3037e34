"""--fix / --diff / --unsafe-fixes with the drug rules: only the fixed spans change (CRLF and BOM kept),
--diff writes nothing, and the meaning-changing drug-swap fix needs --unsafe-fixes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from healthlint.cli import main

ARTICLE = (
    "# Clonazepam guide\r\n\r\n"
    "## What is the dose of clonazepam?\r\n\r\n"
    "Most adults start diazepam at 0.25 mg twice a day. Klonopinworks within an hour.\r\n\r\n"
    "Never stop clonzepam suddenly.  Trailing spaces stay.   \r\n"
)
BOM = b"\xef\xbb\xbf"


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "clonazepam.md"
    path.write_bytes(BOM + ARTICLE.encode("utf-8"))
    return path


def _run(path: Path, *flags: str):
    return CliRunner().invoke(main, ["check", "--select", "drug", *flags, str(path)])


def _expected(*replacements: tuple[str, str]) -> bytes:
    text = ARTICLE
    for old, new in replacements:
        assert text.count(old) == 1
        text = text.replace(old, new)
    return BOM + text.encode("utf-8")


def test_fix_changes_only_the_safe_spans(tmp_path):
    path = _write(tmp_path)
    result = _run(path, "--fix")
    assert "Fixed 2 problems" in result.output
    assert path.read_bytes() == _expected(("Klonopinworks", "Klonopin works"), ("clonzepam", "clonazepam"))
    remaining = _run(path)
    assert "drug-swap" in remaining.output and "glued-drug-name" not in remaining.output


def test_unsafe_fixes_also_apply_the_drug_swap(tmp_path):
    path = _write(tmp_path)
    _run(path, "--fix", "--unsafe-fixes")
    assert path.read_bytes() == _expected(
        ("start diazepam at", "start clonazepam at"), ("Klonopinworks", "Klonopin works"), ("clonzepam", "clonazepam")
    )


def test_diff_writes_nothing(tmp_path):
    path = _write(tmp_path)
    before = path.read_bytes()
    result = _run(path, "--diff")
    assert path.read_bytes() == before
    assert "+Most adults start diazepam at 0.25 mg twice a day. Klonopin works within an hour." in result.output.replace("\r", "")
    unsafe = _run(path, "--diff", "--unsafe-fixes")
    assert "start clonazepam at" in unsafe.output and path.read_bytes() == before
