"""End-to-end snapshots of `healthlint check --format X` on a small project (core + house YAML rules only).

Regenerate after an intended change with: HEALTHLINT_UPDATE_SNAPSHOTS=1 pytest tests/test_formatters_snapshots.py
and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from healthlint import __version__
from healthlint.cli import main

DATA = Path(__file__).parent / "data"
SNAPSHOTS = Path(__file__).parent / "snapshots" / "formatters"
UPDATE = os.environ.get("HEALTHLINT_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(DATA / "formatters", root)
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "-j", "1", *args])
    return result.exit_code, result.stdout


def snapshot(name: str, output: str) -> None:
    output = output.replace(f'"{__version__}"', '"<version>"')
    path = SNAPSHOTS / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"snapshot {name} was missing and has been written; review it and rerun")
    assert output == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("json", "json"), ("sarif", "sarif.json"), ("github", "txt"), ("gitlab", "json")])
def test_format_snapshot(project, fmt, suffix):
    code, output = run("--format", fmt, "articles")
    assert code == 2  # a file could not be read; the findings are still printed
    snapshot(f"{fmt}.{suffix}", output)


def test_output_is_deterministic_whatever_the_argument_order(project):
    _, forward = run("--format", "json", "articles/naproxen.txt", "articles/ibuprofen.md")
    _, backward = run("--format", "json", "articles/ibuprofen.md", "articles/naproxen.txt")
    assert forward == backward


def test_end_to_end_sarif_validates_with_fixes_and_file_errors(project):
    _, output = run("--format", "sarif", "articles")
    data = json.loads(output)
    jsonschema.validate(data, json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")))
    run_ = data["runs"][0]
    assert any("fixes" in result for result in run_["results"])
    assert run_["invocations"][0]["toolExecutionNotifications"]


def test_text_statistics_and_no_colour_when_not_a_tty(project):
    _, output = run("--statistics", "articles")
    assert "\033[" not in output
    table = output[output.index("Count"):].splitlines()
    assert table[1].split() == ["3", "house-promises", "info", "no", "Promises", "no", "health", "article", "should", "make"]
    assert table[2].split()[:4] == ["3", "house-spelling", "warning", "yes"]
    assert table[3].split()[:2] == ["1", "front-matter"]
