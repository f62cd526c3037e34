"""Reading and decoding articles, and bad input: each bad file gives a clear error, the rest still lint,
and nothing is ever written to a linted file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from healthlint import source as source_module
from healthlint.engine import Linter
from healthlint.source import LineIndex, ReadError, decode, read_source


def test_utf8_then_bom_then_error() -> None:
    assert decode("Dosis für Kinder".encode(), "a.txt").text == "Dosis für Kinder"
    with_bom = decode(b"\xef\xbb\xbfCaf\xc3\xa9", "a.txt")
    assert with_bom.text == "Café" and with_bom.bom and with_bom.encoding == "utf-8-sig"
    with pytest.raises(ReadError, match=r"not valid UTF-8 \(byte 0xe9 at offset 3\)"):
        decode("Café".encode("latin-1"), "a.txt")


def test_binary_and_huge_files_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ReadError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.png")
    monkeypatch.setattr(source_module, "MAX_FILE_BYTES", 1024)
    with pytest.raises(ReadError, match="larger than"):
        decode(b"a" * 2048, "big.txt")


def test_read_errors_have_reasons(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read_source(tmp_path / "missing.md")
    with pytest.raises(ReadError, match="is a directory"):
        read_source(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text("# Hi\n")
    path.chmod(0)
    with pytest.raises(ReadError, match="permission denied"):
        read_source(path)


def test_newline_style_is_recorded() -> None:
    assert decode(b"a\r\nb\r\n").newline == "\r\n"
    assert decode(b"a\nb\n").newline == "\n"


def test_line_index_edges() -> None:
    index = LineIndex("ab\r\ncd\n")
    assert index.line_count == 3
    assert index.position(0) == (1, 1) and index.position(4) == (2, 1) and index.position(99) == (3, 1)
    assert index.line_text(1) == "ab" and index.line_text(3) == ""
    assert index.line_end(1) == 2 and index.offset(2, 2) == 5


def test_bad_files_become_errors_and_others_still_lint(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("---\ntitle: a: b\n---\n# Heading\n\nText.\n")
    (tmp_path / "latin1.md").write_bytes("Café".encode("latin-1"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "empty.md").write_bytes(b"")
    before = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in tmp_path.iterdir()}
    linter = Linter(select=["front-matter"])
    results = {path.name: linter.lint_file(path) for path in sorted(tmp_path.iterdir())}
    assert [(f.rule, f.line) for f in results["good.md"].findings] == [("front-matter", 2)]
    assert "not valid UTF-8" in results["latin1.md"].errors[0].message
    assert "binary" in results["binary.txt"].errors[0].message
    assert results["empty.md"].errors == [] and results["empty.md"].findings == []
    after = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in tmp_path.iterdir()}
    assert after == before


def test_a_million_character_article_lints(tmp_path: Path) -> None:
    paragraph = "Take the tablet with water after breakfast and report any rash to your doctor. " * 12
    text = "# Long guide\n\n" + "\n\n".join([paragraph] * 1100)
    assert len(text) > 1_000_000
    path = tmp_path / "long.md"
    path.write_text(text)
    result = Linter().lint_file(path)
    assert result.errors == []
    assert result.source is not None and len(result.source.text) == len(text)
