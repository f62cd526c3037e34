"""Baselines: fingerprints that ignore line numbers, multiplicity, and the CLI round trip with moved lines."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint.baseline import BaselineError, context_window, fingerprint, new_findings, read_baseline, write_baseline
from healthlint.cli import main
from healthlint.finding import Finding, Severity
from healthlint.source import Source

DATA = Path(__file__).parent / "data" / "formatters"


def finding_at(text: str, needle: str, occurrence: int = 0, rule: str = "house-promises", path: str = "a.md") -> Finding:
    source = Source(path, text)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    end = start + len(needle)
    return Finding(path, *source.lines.position(start), *source.lines.position(end), rule, Severity.INFO, "m", start, end,
                   context=text[start:end])


# --- the fingerprint ----------------------------------------------------------------------------

def test_fingerprint_ignores_line_numbers_and_whitespace():
    text = "Title\n\nThis is a miracle cure for colds.\n"
    moved = "Title\n\nNew paragraph.\n\nThis is a  miracle cure\tfor colds.\r\n"
    assert fingerprint(finding_at(text, "miracle cure"), text) == fingerprint(finding_at(moved, "miracle cure"), moved)


def test_fingerprint_depends_on_rule_path_text_and_context():
    text = "This is a miracle cure for colds.\n"
    base = fingerprint(finding_at(text, "miracle cure"), text)
    assert fingerprint(finding_at(text, "miracle cure", rule="other"), text) != base
    assert fingerprint(finding_at(text, "miracle cure", path="b.md"), text) != base
    assert fingerprint(finding_at(text, "miracle cure"), text, path="elsewhere/a.md") != base
    other_context = "This is a miracle cure for flu.\n"
    assert fingerprint(finding_at(other_context, "miracle cure"), other_context) != base


def test_context_window_stays_on_the_finding_line():
    text = "before line\nsay miracle cure here\nafter line"
    start = text.index("miracle")
    assert context_window(text, start, start + 12) == "say miracle cure here"
    edited = "before line CHANGED\nsay miracle cure here\nafter line CHANGED"
    assert fingerprint(finding_at(text, "miracle cure"), text) == fingerprint(finding_at(edited, "miracle cure"), edited)


def test_context_window_is_bounded_on_long_lines():
    text = "x" * 100 + " miracle cure " + "y" * 100
    start = text.index("miracle")
    window = context_window(text, start, start + 12, width=10)
    assert window == "xxxxxxxxx miracle cure yyyyyyyyy"


# --- matching -----------------------------------------------------------------------------------

def test_multiplicity_one_of_two_identical_findings_baselined(tmp_path):
    text = "It is a miracle cure.\n"
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, [(finding_at(text, "miracle cure", path=str(tmp_path / "a.md")), text)])
    doubled = text + "\n" + text
    current = [(finding_at(doubled, "miracle cure", i, path=str(tmp_path / "a.md")), doubled) for i in range(2)]
    fresh = new_findings(current, read_baseline(baseline_file), tmp_path)
    assert [f.line for f in fresh] == [3]


def test_baseline_paths_are_relative_to_the_baseline_file(tmp_path):
    text = "It is a miracle cure.\n"
    (tmp_path / "docs").mkdir()
    write_baseline(tmp_path / "b.json", [(finding_at(text, "miracle cure", path=str(tmp_path / "docs" / "a.md")), text)])
    [record] = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert record["path"] == "docs/a.md" and record["line"] == 1
    assert read_baseline(tmp_path / "b.json") == Counter({("house-promises", "docs/a.md", record["fingerprint"]): 1})


@pytest.mark.parametrize("content", ["not json", json.dumps({"version": 99, "findings": []}), json.dumps({"version": 1, "findings": [{"rule": "x"}]})])
def test_bad_baseline_files_are_errors(tmp_path, content):
    bad = tmp_path / "b.json"
    bad.write_text(content)
    with pytest.raises(BaselineError, match=str(bad)):
        read_baseline(bad)


# --- end to end through the CLI -----------------------------------------------------------------

ARTICLE = """# Cold remedies

Zinc lozenges are sold as a miracle cure for colds.

Rest and fluids help most people recover within a week.
"""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    for name in (".healthlint.yaml", "house.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "colds.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "articles" / "aspirin.md").write_text("# Aspirin\n\nAspirin is not 100% safe; nor is paracetamol.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def check_json(*args: str) -> tuple[int, list[dict]]:
    result = cli("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_cli_baseline_hides_old_findings_even_after_lines_move(project):
    code, before = check_json("articles")
    assert len(before) == 3
    created = cli("baseline", "create", "healthlint-baseline.json", "articles")
    assert created.exit_code == 0 and "Recorded 3 findings from 2 files" in created.stderr
    assert check_json("--baseline", "healthlint-baseline.json", "articles") == (0, [])

    colds = project / "articles" / "colds.md"
    colds.write_text(ARTICLE.replace("# Cold remedies\n", "# Cold remedies\n\nA new intro.\n\nAnd a second one.\n"), encoding="utf-8")
    assert check_json("--baseline", "healthlint-baseline.json", "articles") == (0, [])
    code, unbaselined = check_json("articles")
    assert [f["line"] for f in unbaselined if f["path"].endswith("colds.md")] == [7]


def test_cli_baseline_reports_new_and_duplicated_findings(project):
    cli("baseline", "create", "healthlint-baseline.json", "articles")
    colds = project / "articles" / "colds.md"
    colds.write_text(ARTICLE + "\nZinc lozenges are sold as a miracle cure for colds.\n\nHoney is no miracle cure either.\n", encoding="utf-8")
    code, findings = check_json("--baseline", "healthlint-baseline.json", "articles")
    assert sorted((f["rule"], f["line"]) for f in findings) == [("house-promises", 7), ("house-promises", 9)]
    assert code == 0  # info findings do not fail the run


def test_cli_baseline_works_from_another_folder(project, monkeypatch):
    cli("baseline", "create", "healthlint-baseline.json", "articles")
    monkeypatch.chdir(project / "articles")
    result = cli("check", "--format", "json", "--baseline", "../healthlint-baseline.json", ".")
    assert json.loads(result.stdout)["findings"] == []


def test_cli_bad_baseline_exits_2(project):
    (project / "bad.json").write_text("{", encoding="utf-8")
    result = cli("check", "--baseline", "bad.json", "articles")
    assert result.exit_code == 2 and "cannot read baseline" in result.stderr
