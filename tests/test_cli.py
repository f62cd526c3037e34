"""The command line, end to end with click's CliRunner: inputs, selection, exit codes, rules/explain, plugins."""

from __future__ import annotations

import json
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint import __version__, registry
from healthlint.cli import main

BROKEN_FRONT_MATTER = "---\ntitle: Sertraline: dosing\n---\n# Sertraline\n\nText.\n"
BAD_SUPPRESSION = "# Title\n\nText. <!-- healthlint-disable-line no-such-rule -->\n"
CLEAN = "# Title\n\nText.\n"
FAST = ["-j", "1", "--no-cache", "--format", "json", "--select", "front-matter,invalid-suppression"]


def check(*args: str, stdin: bytes | None = None) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["check", *FAST, *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def hits(report: dict) -> list[tuple[str, str, int]]:
    return [(Path(f["path"]).name, f["rule"], f["line"]) for f in report["findings"]]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    files = {
        "a.md": BROKEN_FRONT_MATTER,
        "sub/b.markdown": BAD_SUPPRESSION,
        "sub/deeper/c.txt": "Title line\nSome text here. healthlint-disable-line nope\n",
        "sub/d.html": "<p>Text <!-- healthlint-disable-line nope --></p>",
        "e.htm": CLEAN,
        "skip.py": "x = 1\n",
        ".hidden/f.md": BAD_SUPPRESSION,
        ".git/g.md": BAD_SUPPRESSION,
        "node_modules/h.md": BAD_SUPPRESSION,
        ".dotfile.md": BAD_SUPPRESSION,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_folders_are_walked_recursively_with_default_extensions(tree: Path) -> None:
    code, report = check(str(tree))
    assert code == 1
    assert sorted(hits(report)) == [("a.md", "front-matter", 2), ("b.markdown", "invalid-suppression", 3), ("d.html", "invalid-suppression", 1)]
    assert report["errors"] == []


def test_fail_on_threshold_and_exit_codes(tree: Path) -> None:
    warning_only = str(tree / "sub" / "b.markdown")
    assert check(warning_only)[0] == 0
    assert check(warning_only, "--fail-on", "warning")[0] == 1
    assert check(str(tree / "e.htm"), "--fail-on", "info")[0] == 0
    assert check(str(tree / "a.md"))[0] == 1


def test_the_governing_config_fail_on_is_the_default(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / "sub" / ".healthlint.yaml").write_text("fail_on: warning\n")
    monkeypatch.chdir(tree)
    assert check("sub/b.markdown")[0] == 1
    assert check("sub/b.markdown", "--fail-on", "error")[0] == 0
    (tree / "sub" / ".healthlint.yaml").write_text("fail_on: error\n")
    (tree / ".healthlint.yaml").write_text("fail_on: info\n")
    assert check("sub/b.markdown")[0] == 0


def test_select_and_ignore(tree: Path) -> None:
    code, report = check(str(tree), "--ignore", "front-matter")
    assert {rule for _, rule, _ in hits(report)} == {"invalid-suppression"}
    result = CliRunner().invoke(main, ["check", "-j", "1", "--no-cache", "--format", "json", "--select", "structure", "--ignore", "invalid-suppression", str(tree)])
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} == {"front-matter"}


def test_unknown_select_is_a_usage_error(tree: Path) -> None:
    result = CliRunner().invoke(main, ["check", "-j", "1", "--no-cache", "--select", "no-such-rule", str(tree / "e.htm")])
    assert result.exit_code == 2


def test_read_errors_exit_2_and_findings_are_still_printed(tree: Path) -> None:
    (tree / "latin.md").write_bytes("Caf\xe9".encode("latin-1"))
    (tree / "bin.txt").write_bytes(b"\x00\x01")
    code, report = check(str(tree / "a.md"), str(tree / "latin.md"), str(tree / "bin.txt"), str(tree / "missing.md"))
    assert code == 2
    assert hits(report) == [("a.md", "front-matter", 2)]
    reasons = {Path(e["path"]).name: e["message"] for e in report["errors"]}
    assert set(reasons) == {"latin.md", "bin.txt", "missing.md"}
    assert "UTF-8" in reasons["latin.md"] and "binary" in reasons["bin.txt"] and "no such file" in reasons["missing.md"]


def test_nothing_is_written_to_linted_files(tree: Path) -> None:
    files = [path for path in tree.rglob("*") if path.is_file()]
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}
    check(str(tree))
    CliRunner().invoke(main, ["check", "-j", "1", "--no-cache", str(tree)])
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files} == before


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("doc.md", BROKEN_FRONT_MATTER, [("doc.md", "front-matter", 2)]),
        ("doc.html", "<p>Hi</p>\n<p>x <!-- healthlint-disable-line nope --></p>", [("doc.html", "invalid-suppression", 2)]),
        ("doc.txt", "A line.\nhealthlint-disable-next-line nope\nMore.\n", [("doc.txt", "invalid-suppression", 2)]),
        # As Markdown the same bare line is prose, not a directive.
        ("doc.md", "A line.\nhealthlint-disable-next-line nope\nMore.\n", []),
    ],
)
def test_stdin_with_a_filename_chooses_the_format(name: str, text: str, expected: list) -> None:
    code, report = check("-", "--stdin-filename", name, stdin=text.encode())
    assert hits(report) == expected


def test_stdin_without_a_name_and_undecodable_stdin() -> None:
    code, report = check("-", stdin=b"# Title\n\nText.\n")
    assert code == 0 and report["findings"] == []
    code, report = check("-", stdin=b"\xff\xfe\x00b\x00i\x00n")
    assert code == 2 and report["errors"][0]["path"] == "<stdin>"


def test_stdin_filename_finds_the_config_beside_it(tree: Path) -> None:
    (tree / "sub" / ".healthlint.yaml").write_text("rules:\n  invalid-suppression: error\n")
    code, report = check("-", "--stdin-filename", str(tree / "sub" / "new.md"), stdin=BAD_SUPPRESSION.encode())
    assert code == 1 and report["findings"][0]["severity"] == "error"


def test_rules_explain_and_version() -> None:
    runner = CliRunner()
    listing = runner.invoke(main, ["rules"])
    assert listing.exit_code == 0
    rows = {line.split()[0]: line.split()[1] for line in listing.stdout.splitlines()}
    assert rows["front-matter"] == "error" and rows["invalid-suppression"] == "warning"
    explained = runner.invoke(main, ["explain", "front-matter"])
    assert explained.exit_code == 0
    for section in ("# front-matter (error)", "## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in explained.stdout
    unknown = runner.invoke(main, ["explain", "no-such-rule"])
    assert unknown.exit_code == 2 and "unknown rule" in unknown.stderr
    version = runner.invoke(main, ["--version"])
    assert version.exit_code == 0 and __version__ in version.stdout


PLUGIN = '''"""A plugin rule.

## What it does
Flags the word "synergy".
"""
from healthlint.finding import Severity
from healthlint.rule import Rule

RULE = Rule(id="no-synergy", summary="No synergy", severity=Severity.WARNING, tags=("custom",))


def check(doc, ctx):
    start = ctx.article.text.find("synergy")
    if start != -1:
        yield ctx.finding(start, start + 7, "avoid 'synergy'")
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "hl_plugin_synergy.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))

    def install(value: str) -> None:
        points = [EntryPoint(name="synergy", value=value, group=registry.ENTRY_POINT_GROUP)]
        monkeypatch.setattr(registry, "entry_points", lambda group: points if group == registry.ENTRY_POINT_GROUP else [])

    yield install
    sys.modules.pop("hl_plugin_synergy", None)


def test_plugin_rules_from_entry_points(plugin, tmp_path: Path) -> None:
    plugin("hl_plugin_synergy")
    article = tmp_path / "p.md"
    article.write_text("# Team\n\nOur synergy plan.\n")
    result = CliRunner().invoke(main, ["check", "-j", "1", "--no-cache", "--format", "json", "--select", "no-synergy", str(article)])
    assert result.exit_code == 0
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("no-synergy", 3, 5)
    assert "no-synergy" in CliRunner().invoke(main, ["rules"]).stdout
    assert "Flags the word" in CliRunner().invoke(main, ["explain", "no-synergy"]).stdout


def test_a_broken_plugin_is_a_clear_error(plugin, tmp_path: Path) -> None:
    plugin("hl_plugin_missing_module")
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 2
    assert "healthlint.rules:synergy" in result.stderr and "cannot load plugin" in result.stderr
    plugin("json")
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 2 and "must define RULE" in result.stderr


def test_unreadable_and_huge_files_are_errors_and_others_still_lint(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from healthlint import source as source_module

    (tree / "huge.md").write_text("# Big\n\n" + "word " * 400)
    (tree / "locked.md").write_text(CLEAN)
    monkeypatch.setattr(source_module, "MAX_FILE_BYTES", 1000)
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, report = check(str(tree / "huge.md"), str(tree / "locked.md"), str(tree / "a.md"))
    assert code == 2
    assert hits(report) == [("a.md", "front-matter", 2)]
    reasons = {Path(e["path"]).name: e["message"] for e in report["errors"]}
    assert "larger than" in reasons["huge.md"] and reasons["locked.md"] == "permission denied"


def test_text_output_names_path_line_column_severity_rule(tree: Path) -> None:
    result = CliRunner().invoke(main, ["check", "-j", "1", "--no-cache", "--select", "front-matter", str(tree / "a.md")])
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{tree / 'a.md'}:2:1: error front-matter front matter is not valid YAML")
