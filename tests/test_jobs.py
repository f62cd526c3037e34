"""--jobs: worker processes give exactly the findings of --jobs 1, in the same order; crashes stay local."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint import parallel
from healthlint.cli import main
from healthlint.engine import ConfigResolver, Linter, discover

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="patches reach workers only by fork")

GOOD = "---\ntitle: Article {n}\n---\n# Article {n}\n\nSertraline is taken once a day. Article {n} ends here.\n"
BAD = "---\ntitle: Article {n}: broken\n---\n# Article {n}\n\nText {n}.\n<!-- healthlint-disable no-such-rule -->\n"


def _tree(tmp_path: Path, count: int = 14) -> Path:
    (tmp_path / ".healthlint.yaml").write_text("", encoding="utf-8")
    for n in range(count):
        folder = tmp_path / f"part{n % 3}"
        folder.mkdir(exist_ok=True)
        (folder / f"a{n:02d}.md").write_text((BAD if n % 2 else GOOD).format(n=n), encoding="utf-8")
    return tmp_path


def _check(root: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["check", "--format", "json", "--no-cache", *args, str(root)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_jobs_gives_the_same_findings_in_the_same_order(tmp_path):
    root = _tree(tmp_path)
    one = _check(root, "--jobs", "1")
    two = _check(root, "--jobs", "2")
    three = _check(root, "--jobs", "3")
    assert len(one["findings"]) >= 7, "every BAD file should yield findings, or the comparison proves little"
    assert one == two == three


def test_results_follow_discovery_order(tmp_path):
    root = _tree(tmp_path)
    linter = Linter(ConfigResolver())
    items = list(discover([root], linter.resolver))
    results = parallel.lint_paths(linter, items, jobs=2)
    assert [r.path for r in results] == [str(p) for p in items]


def _crash_on_marker(linter, source):
    if "CRASH-WORKER" in source.text:
        os._exit(7)
    return _original(linter, source)


_original = parallel.lint_one


def _run_with_a_killer_file(tmp_path: Path, monkeypatch, victim_index: int) -> None:
    """Lint a tree with --jobs 2 where one file kills its worker: only that file gets an error."""
    root = _tree(tmp_path)
    linter = Linter(ConfigResolver())
    items = list(discover([root], linter.resolver))
    expected = parallel.lint_paths(linter, items, jobs=1)
    victim = items[victim_index]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nCRASH-WORKER\n", encoding="utf-8")
    monkeypatch.setattr(parallel, "lint_one", _crash_on_marker)
    results = parallel.lint_paths(Linter(ConfigResolver()), items, jobs=2)
    assert [r.path for r in results] == [r.path for r in expected]
    for index, (got, want) in enumerate(zip(results, expected)):
        if index == victim_index:
            assert got.findings == [] and "worker process died" in got.errors[0].message
        else:
            assert (got.findings, got.errors) == (want.findings, want.errors)


@needs_fork
def test_a_dying_worker_fails_only_its_file(tmp_path, monkeypatch):
    _run_with_a_killer_file(tmp_path, monkeypatch, 5)


@needs_fork
def test_a_worker_dying_while_chunks_are_handed_out_fails_only_its_file(tmp_path, monkeypatch):
    """The pool breaks before every chunk is submitted: `submit` itself raises BrokenProcessPool."""
    from concurrent.futures import ProcessPoolExecutor

    submitted = []
    original_submit = ProcessPoolExecutor.submit

    def submit_once_broken(pool, *args, **kwargs):
        """The first pool's later submissions wait until its first chunk has killed its worker."""
        for _ in range(300):
            if not submitted or submitted[0] is not pool or pool._broken:
                break
            time.sleep(0.1)
        submitted.append(pool)
        return original_submit(pool, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit_once_broken)
    _run_with_a_killer_file(tmp_path, monkeypatch, 1)  # in the first chunk handed out (file 0 is linted before forking)


def test_lint_one_turns_an_exception_into_an_error(tmp_path, monkeypatch):
    root = _tree(tmp_path, count=1)
    linter = Linter(ConfigResolver())

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(linter, "lint_source", explode)
    source = parallel.read_source(root / "part0" / "a00.md")
    findings, errors = parallel.lint_one(linter, source)
    assert findings == [] and "RuntimeError: boom" in errors[0].message
