"""Formatter unit tests on hand-built reports: text, json, sarif (schema-validated), github, gitlab."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from healthlint.engine import FileResult
from healthlint.finding import Authority, FileError, Finding, Fix, Severity
from healthlint.formatters import FORMATS, Report, formatter
from healthlint.formatters.github import escape_data, escape_property
from healthlint.registry import builtin_rules
from healthlint.source import Source

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
TEXT = "# Doses\n\nTake sertraline 50 mg daily.\nSome say it is 100% safe, always: no.\n"


def make(source: Source, needle: str, rule: str, severity: Severity, message: str, *,
         fix: str | None = None, safe: bool = True, authority: Authority | None = None, occurrence: int = 0) -> Finding:
    """A finding on the `occurrence`-th appearance of needle, positioned with the source's LineIndex."""
    start = -1
    for _ in range(occurrence + 1):
        start = source.text.index(needle, start + 1)
    end = start + len(needle)
    line, column = source.lines.position(start)
    end_line, end_column = source.lines.position(end)
    return Finding(source.path, line, column, end_line, end_column, rule, severity, message, start, end,
                   Fix(start, end, fix, safe) if fix is not None else None, authority, source.text[start:end])


def sample_report(root: Path, **options) -> Report:
    source = Source("articles/doses.md", TEXT)
    findings = [
        make(source, "sertraline", "drug-swap", Severity.ERROR, "Sertraline named where 'fluoxetine' is the subject",
             fix="fluoxetine", safe=False, authority=Authority("FDA label, section 2", "https://example.org/label")),
        make(source, "50 mg", "dose-unsourced", Severity.WARNING, "Dose given without a source"),
        make(source, "100% safe", "house-promises", Severity.INFO, "Avoid the promise '100% safe', always", fix="generally safe"),
    ]
    results = [
        FileResult(source.path, findings, [], source),
        FileResult("articles/broken.md", [], [FileError("articles/broken.md", "not valid UTF-8 (byte 0xe9 at offset 5)", line=1)]),
    ]
    return Report(results, {}, root=root, **options)


def test_gitlab_and_all_documented_formats_are_registered():
    assert {"text", "json", "sarif", "github", "gitlab"} <= set(FORMATS)


# --- text -------------------------------------------------------------------------------------

def test_text_lines_carets_and_summary(tmp_path):
    out = formatter("text")(sample_report(tmp_path)).splitlines()
    assert out[0] == "articles/doses.md:3:6: error drug-swap Sertraline named where 'fluoxetine' is the subject"
    assert out[1] == "    Take sertraline 50 mg daily."
    assert out[2] == "         ^^^^^^^^^^"
    assert "articles/broken.md:1: error not valid UTF-8 (byte 0xe9 at offset 5)" in out
    assert out[-1] == "Found 1 error, 1 warning, 1 info in 2 files, 1 file error."
    assert "\033[" not in "\n".join(out)


def test_text_colour_only_when_asked(tmp_path):
    out = formatter("text")(sample_report(tmp_path, color=True))
    assert "\033[31merror\033[0m" in out and "\033[33mwarning\033[0m" in out


def test_text_quiet_drops_info_and_snippets(tmp_path):
    out = formatter("text")(sample_report(tmp_path, quiet=True))
    assert "house-promises" not in out
    assert "    Take sertraline" not in out
    assert "drug-swap" in out


def test_text_show_source_prints_the_authority(tmp_path):
    out = formatter("text")(sample_report(tmp_path, show_source=True)).splitlines()
    index = out.index("    source: FDA label, section 2 <https://example.org/label>")
    assert out[index - 3].startswith("articles/doses.md:3:6: error drug-swap")
    assert sum(line.startswith("    source:") for line in out) == 1


def test_text_statistics_table(tmp_path):
    rules = {rule.id: rule for rule in builtin_rules()}
    source = Source("a.md", "x\n---\n")
    findings = [make(source, "x", "front-matter", Severity.ERROR, "m"), make(source, "---", "front-matter", Severity.ERROR, "m")]
    report = Report([FileResult("a.md", findings, [], source)], rules, statistics=True, root=tmp_path)
    out = formatter("text")(report).splitlines()
    header = next(i for i, line in enumerate(out) if line.startswith("Count"))
    assert out[header].split() == ["Count", "Rule", "Severity", "Fixable", "Summary"]
    assert out[header + 1].split()[:4] == ["2", "front-matter", "error", "no"]
    assert rules["front-matter"].meta.summary in out[header + 1]


def test_text_multiline_span_carets_to_end_of_line(tmp_path):
    source = Source("m.md", "alpha beta\ngamma\n")
    finding = make(source, "beta\ngam", "r", Severity.WARNING, "spans lines")
    out = formatter("text")(Report([FileResult("m.md", [finding], [], source)], root=tmp_path)).splitlines()
    assert out[2] == "          ^^^^"


# --- json -------------------------------------------------------------------------------------

def test_json_sorted_findings_and_errors(tmp_path):
    report = sample_report(tmp_path)
    report.results[0].findings.reverse()
    data = json.loads(formatter("json")(report))
    assert set(data) == {"version", "findings", "errors"}
    keys = [(f["path"], f["line"], f["column"], f["rule"]) for f in data["findings"]]
    assert keys == sorted(keys) and len(keys) == 3
    assert data["findings"][0]["fix"] == {"replacement": "fluoxetine", "safe": False}
    assert data["errors"] == [{"path": "articles/broken.md", "message": "not valid UTF-8 (byte 0xe9 at offset 5)", "line": 1}]


# --- sarif ------------------------------------------------------------------------------------

def test_sarif_validates_against_the_official_schema(tmp_path):
    data = json.loads(formatter("sarif")(sample_report(tmp_path)))
    jsonschema.validate(data, SCHEMA)


def test_sarif_schema_rejects_a_broken_log(tmp_path):
    data = json.loads(formatter("sarif")(sample_report(tmp_path)))
    data["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_sarif_results_regions_fixes_and_fingerprints(tmp_path):
    run = json.loads(formatter("sarif")(sample_report(tmp_path)))["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    first = run["results"][0]
    assert first["ruleId"] == "drug-swap" and rules[first["ruleIndex"]] == "drug-swap"
    assert first["level"] == "error"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "articles/doses.md", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 6, "endLine": 3, "endColumn": 16, "snippet": {"text": "sertraline"}}
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement == {"deletedRegion": {"startLine": 3, "startColumn": 6, "endLine": 3, "endColumn": 16},
                           "insertedContent": {"text": "fluoxetine"}}
    assert "unsafe" in first["fixes"][0]["description"]["text"]
    assert "fixes" not in run["results"][1]
    levels = [result["level"] for result in run["results"]]
    assert levels == ["error", "warning", "note"]
    assert len({result["partialFingerprints"]["healthlint/v1"] for result in run["results"]}) == 3
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_file_errors_are_notifications(tmp_path):
    invocation = json.loads(formatter("sarif")(sample_report(tmp_path)))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "UTF-8" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "articles/broken.md"


def test_sarif_rule_metadata_from_docs_and_authority(tmp_path):
    rules = {rule.id: rule for rule in builtin_rules()}
    source = Source("a.md", "---\ntitle: a: b\n---\n")
    finding = make(source, "title: a: b", "front-matter", Severity.ERROR, "bad YAML",
                   authority=Authority("YAML 1.2 spec", "https://yaml.org/spec/1.2.2/"))
    report = Report([FileResult("a.md", [finding], [], source)], rules, root=tmp_path)
    data = json.loads(formatter("sarif")(report))
    jsonschema.validate(data, SCHEMA)
    [descriptor] = data["runs"][0]["tool"]["driver"]["rules"]
    meta = rules["front-matter"].meta
    assert descriptor["shortDescription"]["text"] == meta.summary
    assert descriptor["fullDescription"]["text"].startswith("Reports YAML front matter")
    assert "## Why is this bad?" in descriptor["help"]["markdown"]
    assert "[YAML 1.2 spec](https://yaml.org/spec/1.2.2/)" in descriptor["help"]["markdown"]
    assert "YAML 1.2 spec <https://yaml.org/spec/1.2.2/>" in descriptor["help"]["text"]
    assert descriptor["defaultConfiguration"]["level"] == "error"


def test_sarif_absolute_paths_outside_root_become_file_uris(tmp_path):
    source = Source("/elsewhere/a b.md", "word\n")
    finding = make(source, "word", "r", Severity.WARNING, "m")
    data = json.loads(formatter("sarif")(Report([FileResult(source.path, [finding], [], source)], root=tmp_path)))
    jsonschema.validate(data, SCHEMA)
    artifact = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "file:///elsewhere/a%20b.md"}


# --- github -----------------------------------------------------------------------------------

def test_github_workflow_commands(tmp_path):
    lines = formatter("github")(sample_report(tmp_path)).splitlines()
    assert lines[0] == ("::error file=articles/doses.md,line=3,col=6,endLine=3,endColumn=16,title=drug-swap"
                        "::Sertraline named where 'fluoxetine' is the subject")
    assert lines[1].startswith("::warning file=articles/doses.md,line=3,col=17,")
    assert lines[2].startswith("::notice ") and lines[2].endswith("::Avoid the promise '100%25 safe', always")
    assert lines[3] == "::error file=articles/broken.md,line=1,title=healthlint::not valid UTF-8 (byte 0xe9 at offset 5)"


def test_github_escaping():
    assert escape_data("50% of\r\nreaders: a, b") == "50%25 of%0D%0Areaders: a, b"
    assert escape_property("dir:x/a,b%.md") == "dir%3Ax/a%2Cb%25.md"


def test_github_escapes_property_values_in_paths(tmp_path):
    source = Source("notes/a,b:c.md", "word\n")
    finding = make(source, "word", "r", Severity.WARNING, "line one\nline two")
    out = formatter("github")(Report([FileResult(source.path, [finding], [], source)], root=tmp_path))
    assert out == "::warning file=notes/a%2Cb%3Ac.md,line=1,col=1,endLine=1,endColumn=5,title=r::line one%0Aline two\n"


# --- gitlab -----------------------------------------------------------------------------------

def test_gitlab_code_quality_fields(tmp_path):
    issues = json.loads(formatter("gitlab")(sample_report(tmp_path)))
    assert [issue["severity"] for issue in issues] == ["major", "minor", "info", "critical"]
    first = issues[0]
    assert set(first) == {"description", "check_name", "fingerprint", "severity", "location"}
    assert first["check_name"] == "drug-swap"
    assert first["location"] == {"path": "articles/doses.md", "lines": {"begin": 3, "end": 3}}
    assert issues[-1]["location"]["path"] == "articles/broken.md"
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def _gitlab_fingerprints(text: str, needle: str, tmp_path: Path) -> list[str]:
    source = Source("a.md", text)
    count = text.count(needle)
    findings = [make(source, needle, "house-promises", Severity.INFO, "m", occurrence=i) for i in range(count)]
    issues = json.loads(formatter("gitlab")(Report([FileResult("a.md", findings, [], source)], root=tmp_path)))
    return [issue["fingerprint"] for issue in issues]


def test_gitlab_fingerprint_survives_moved_lines_but_not_edited_context(tmp_path):
    original = "# T\n\nIt is a miracle cure for pain.\n"
    moved = "# T\n\nA new opening paragraph.\n\nAnother one.\n\nIt   is a miracle cure for pain.\n"
    edited = "# T\n\nIt is a miracle cure for headaches.\n"
    base = _gitlab_fingerprints(original, "miracle cure", tmp_path)
    assert _gitlab_fingerprints(moved, "miracle cure", tmp_path) == base
    assert _gitlab_fingerprints(edited, "miracle cure", tmp_path) != base


def test_gitlab_identical_findings_get_distinct_stable_fingerprints(tmp_path):
    text = "Miracle cure.\n\nMiracle cure.\n"
    first = _gitlab_fingerprints(text, "Miracle cure", tmp_path)
    assert len(set(first)) == 2
    assert _gitlab_fingerprints("Intro.\n\n" + text, "Miracle cure", tmp_path) == first
