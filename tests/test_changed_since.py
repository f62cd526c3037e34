"""`check --changed-since REV` in a throwaway git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint.cli import main
from healthlint.vcs import GitError, changed_files

DATA = Path(__file__).parent / "data" / "formatters"
BODY = "# {name}\n\nNo tablet is a miracle cure.\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout


def write(repo: Path, name: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BODY.format(name=name), encoding="utf-8")


def linted_paths(*args: str) -> tuple[int, set[str]]:
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    findings = json.loads(result.stdout)["findings"] if result.stdout.strip() else []
    return result.exit_code, {Path(f["path"]).as_posix() for f in findings}


def test_changed_since_lints_committed_staged_unstaged_and_untracked_changes(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q", "-b", "main")
    for name in (".healthlint.yaml", "house.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / ".gitignore").write_text("ignored.md\n", encoding="utf-8")
    for name in ("kept.md", "edited.md", "deleted.md", "docs/old.txt", "main-only.md"):
        write(tmp_path, name)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    git(tmp_path, "checkout", "-qb", "feature")
    (tmp_path / "edited.md").write_text(BODY.format(name="edited") + "\nMore text.\n", encoding="utf-8")
    (tmp_path / "deleted.md").unlink()
    write(tmp_path, "docs/new.txt")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "feature work")
    # main moves on after the branch forked: its change must not count as the branch's.
    git(tmp_path, "checkout", "-q", "main")
    (tmp_path / "main-only.md").write_text(BODY.format(name="changed on main"), encoding="utf-8")
    git(tmp_path, "commit", "-qam", "main work")
    git(tmp_path, "checkout", "-q", "feature")
    write(tmp_path, "staged.md")
    git(tmp_path, "add", "staged.md")
    write(tmp_path, "untracked.md")
    write(tmp_path, "ignored.md")
    (tmp_path / "docs" / "old.txt").write_text("Unstaged edit: a miracle cure.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    code, paths = linted_paths("--changed-since", "main", ".")
    assert paths == {"edited.md", "docs/new.txt", "docs/old.txt", "staged.md", "untracked.md"}
    assert code == 0

    _, everything = linted_paths(".")
    assert {"kept.md", "main-only.md", "ignored.md"} <= everything  # the filter, not the fixture, drops them

    _, only_docs = linted_paths("--changed-since", "main", "docs")
    assert only_docs == {"docs/new.txt", "docs/old.txt"}

    monkeypatch.chdir(tmp_path / "docs")
    _, from_subfolder = linted_paths("--changed-since", "main", ".")
    assert from_subfolder == {"new.txt", "old.txt"}


def test_changed_since_head_with_a_clean_tree_lints_nothing(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q", "-b", "main")
    write(tmp_path, "a.md")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one")
    assert changed_files("HEAD", tmp_path) == set()
    write(tmp_path, "b.md")
    assert changed_files("HEAD", tmp_path) == {(tmp_path / "b.md").resolve()}


def test_unknown_revision_is_a_clear_error(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q", "-b", "main")
    write(tmp_path, "a.md")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "one")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--changed-since", "no-such-branch", "."])
    assert result.exit_code == 2
    assert "unknown git revision 'no-such-branch'" in result.stderr


def test_outside_a_repository_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(GitError, match="rev-parse"):
        changed_files("HEAD", tmp_path)
