"""The result cache: hits, invalidation, corrupt and foreign entries, concurrent writers, round trips."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from healthlint import cache as cache_module
from healthlint.cache import ResultCache, finding_from_json, finding_to_json
from healthlint.engine import ConfigResolver, Linter
from healthlint.finding import Authority, Finding, Fix, Severity
from healthlint.parallel import lint_paths
from healthlint.source import Source, read_source

ARTICLE = """---
title: Sertraline
---
# Sertraline

Sertraline is an antidepressant.
"""
BROKEN_FRONT_MATTER = "---\ntitle: Sertraline: what to know\n---\n# Sertraline\n\nText.\n"


def _project(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / ".healthlint.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "a.md").write_text(BROKEN_FRONT_MATTER, encoding="utf-8")
    (tmp_path / "b.md").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def _run(root: Path, linter: Linter | None = None) -> tuple[list, ResultCache]:
    linter = linter or Linter(ConfigResolver())
    cache = ResultCache(linter)
    results = lint_paths(linter, sorted(root.glob("*.md")), jobs=1, cache=cache)
    return results, cache


def _entries(root: Path) -> list[Path]:
    return sorted((root / ".healthlint_cache").glob("*/*.json"))


def test_second_run_hits_and_returns_identical_findings(tmp_path):
    root = _project(tmp_path)
    first, cold = _run(root)
    second, warm = _run(root)
    assert (cold.hits, cold.misses) == (0, 2)
    assert (warm.hits, warm.misses) == (2, 0)
    assert [r.findings for r in first] == [r.findings for r in second]
    assert any(r.findings for r in first), "the fixture must produce a finding, or the test proves nothing"
    assert [f.context for r in first for f in r.findings] == [f.context for r in second for f in r.findings]
    assert all(r.source is not None and r.source.text for r in second), "the text formatter needs the source"
    assert len(_entries(root)) == 2


def test_misses_open_no_entry_file_and_workers_write_the_entries(tmp_path, monkeypatch):
    root = _project(tmp_path)
    for index in range(8):
        (root / f"c{index}.md").write_text(ARTICLE.replace("antidepressant", f"antidepressant ({index})"), encoding="utf-8")
    opened = []
    real_read_text = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: opened.append(self) or real_read_text(self, *a, **k))
    linter = Linter(ConfigResolver())
    cache = ResultCache(linter)
    lint_paths(linter, sorted(root.glob("*.md")), jobs=2, cache=cache)
    assert not [p for p in opened if ".healthlint_cache" in p.parts]
    assert (cache.hits, cache.misses) == (0, 10)
    assert len(_entries(root)) == 10  # stored by the worker processes (and the first file, here)
    _, warm = _run(root)
    assert (warm.hits, warm.misses) == (10, 0)


def test_entries_are_json_beside_the_config(tmp_path):
    root = _project(tmp_path)
    _run(root)
    for entry in _entries(root):
        data = json.loads(entry.read_text(encoding="utf-8"))
        assert data["schema"] == cache_module.SCHEMA and entry.stem == data["key"]


def test_changed_content_misses(tmp_path):
    root = _project(tmp_path)
    _run(root)
    (root / "b.md").write_text(ARTICLE + "\nMore text.\n", encoding="utf-8")
    _, cache = _run(root)
    assert (cache.hits, cache.misses) == (1, 1)


def test_changed_config_misses(tmp_path):
    root = _project(tmp_path)
    _run(root)
    (root / ".healthlint.yaml").write_text("rules:\n  front-matter: warning\n", encoding="utf-8")
    results, cache = _run(root)
    assert (cache.hits, cache.misses) == (0, 2)
    assert {f.severity for r in results for f in r.findings if f.rule == "front-matter"} == {Severity.WARNING}


def test_changed_yaml_rule_file_misses(tmp_path):
    root = _project(tmp_path, "yaml_rules: [house.yaml]\n")
    rule = "rules:\n  - id: house-{}\n    extends: existence\n    message: \"Avoid '{{match}}'.\"\n    tokens: [antidepressant]\n"
    (root / "house.yaml").write_text(rule.format("a"), encoding="utf-8")
    _run(root)
    (root / "house.yaml").write_text(rule.format("b"), encoding="utf-8")
    _, cache = _run(root)
    assert cache.misses == 2


def test_changed_select_or_today_misses(tmp_path):
    root = _project(tmp_path)
    _run(root)
    _, cache = _run(root, Linter(ConfigResolver(), select=["front-matter"]))
    assert cache.misses == 2
    import datetime as dt

    _, cache = _run(root, Linter(ConfigResolver(), today=dt.date(2001, 1, 1)))
    assert cache.misses == 2


def test_version_change_misses(tmp_path, monkeypatch):
    root = _project(tmp_path)
    _run(root)
    monkeypatch.setattr(cache_module, "__version__", "999.0")
    cache_module.build_stamp.cache_clear()
    try:
        _, cache = _run(root)
    finally:
        monkeypatch.undo()
        cache_module.build_stamp.cache_clear()
    assert (cache.hits, cache.misses) == (0, 2)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "foreign", "bad-field"])
def test_corrupt_or_foreign_entry_is_rebuilt(tmp_path, damage):
    root = _project(tmp_path)
    expected, _ = _run(root)
    for entry in _entries(root):
        text = entry.read_text(encoding="utf-8")
        data = json.loads(text)
        if damage == "truncate":
            entry.write_text(text[: len(text) // 2], encoding="utf-8")
        elif damage == "garbage":
            entry.write_bytes(b"\x00\xff not json")
        elif damage == "foreign":
            data["key"] = "0" * 64
            entry.write_text(json.dumps(data), encoding="utf-8")
        elif data["findings"]:
            data["findings"][0]["line"] = "one"
            entry.write_text(json.dumps(data), encoding="utf-8")
        else:
            data["findings"] = [{"rule": "x"}]
            entry.write_text(json.dumps(data), encoding="utf-8")
    results, cache = _run(root)
    assert (cache.hits, cache.misses) == (0, 2)
    assert [r.findings for r in results] == [r.findings for r in expected]
    _, again = _run(root)
    assert again.hits == 2, "the rebuilt entries are valid"


def test_finding_round_trip_keeps_fix_and_authority():
    source = Source("x.md", "Take 50 mg of sertralin daily.\n")
    finding = Finding("x.md", 1, 15, 1, 24, "drug-misspelling", Severity.ERROR, "Misspelt 'sertralin'.", 14, 23,
                      Fix(14, 23, "sertraline", safe=False), Authority("FDA label, section 2", "https://example.org/label"),
                      context="sertralin")
    data = json.loads(json.dumps(finding_to_json(finding)))
    restored = finding_from_json(data, source)
    assert restored == finding
    assert (restored.fix, restored.source, restored.context) == (finding.fix, finding.source, "sertralin")


def _write_entries(root: str, rounds: int) -> None:
    linter = Linter(ConfigResolver())
    cache = ResultCache(linter)
    source = read_source(Path(root) / "a.md")
    finding = Finding(source.path, 1, 1, 1, 4, "front-matter", Severity.ERROR, "m" * 5000, 0, 3)
    for _ in range(rounds):
        cache.store(source, [finding] * 20)


def test_concurrent_writers_never_leave_a_broken_entry(tmp_path):
    root = _project(tmp_path)
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    writers = [context.Process(target=_write_entries, args=(str(root), 30)) for _ in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0
    entries = _entries(root)
    assert len(entries) == 1
    data = json.loads(entries[0].read_text(encoding="utf-8"))
    assert len(data["findings"]) == 20
    assert not [name for name in os.listdir(entries[0].parent) if name.startswith(".tmp-")]


def test_a_warm_run_and_the_rule_list_never_import_spacy(tmp_path):
    """Cache hits need no analysis, so they must not pay for importing spaCy (about 0.8 s)."""
    import subprocess
    import sys

    root = _project(tmp_path)
    _run(root)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from healthlint.engine import ConfigResolver, Linter\n"
        "from healthlint.cache import ResultCache\n"
        "from healthlint.parallel import lint_paths\n"
        "linter = Linter(ConfigResolver())\n"
        "cache = ResultCache(linter)\n"
        f"lint_paths(linter, sorted(Path({str(root)!r}).glob('*.md')), jobs=1, cache=cache)\n"
        "assert cache.hits == 2, cache.hits\n"
        "assert 'spacy' not in sys.modules, 'spaCy imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=root)
    assert result.returncode == 0, result.stderr
