"""The pre-commit hook, run by pre-commit itself against a throwaway content repository.

pre-commit clones this checkout at its HEAD commit and pip-installs it into a hook environment, so the
test exercises the committed `.pre-commit-hooks.yaml` exactly as a content repository would. The hook
environment is kept in pytest's cache (one per HEAD commit), so only the first run after a commit pays
for the install. When packages cannot be downloaded the test is skipped, saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
OFFLINE_SIGNS = ("Could not find a version", "No matching distribution", "NewConnectionError",
                 "Temporary failure in name resolution", "Network is unreachable", "ConnectTimeout", "ProxyError")


def test_hook_definition_matches_the_conventions():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "healthlint" and hook["language"] == "python"
    assert hook["entry"] == "healthlint check"
    assert set(hook["types_or"]) == {"markdown", "plain-text", "html"}


def git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def hook_home(request) -> Path:
    """A PRE_COMMIT_HOME reused while HEAD stays the same; environments for older commits are removed."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of healthlint")
    head = git(ROOT, "rev-parse", "HEAD")
    cache = Path(request.config.cache.mkdir("pre-commit-homes"))
    for old in cache.iterdir():
        if old.name != head[:12]:
            shutil.rmtree(old, ignore_errors=True)
    home = cache / head[:12]
    home.mkdir(exist_ok=True)
    return home


BROKEN = "---\ntitle: Warfarin: what to know\n---\n\n# Warfarin\n\nTake it at the same time each day.\n"


def content_repo(path: Path, rev: str) -> Path:
    git(path, "init", "-q")
    (path / ".healthlint.yaml").write_text("select: [front-matter]\n", encoding="utf-8")
    config = {"repos": [{"repo": str(ROOT), "rev": rev, "hooks": [{"id": "healthlint"}]}]}
    (path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (path / "good.md").write_text("# Warfarin\n\nTake it at the same time each day.\n", encoding="utf-8")
    (path / "broken.md").write_text(BROKEN, encoding="utf-8")
    (path / "notes.txt").write_text("Warfarin notes\n\nAsk before any new medicine.\n", encoding="utf-8")
    (path / "page.html").write_text("<html><body><p>Warfarin thins the blood.</p></body></html>\n", encoding="utf-8")
    # Not an article: if the hook were handed .py files this would be reported as broken front matter.
    (path / "script.py").write_text(BROKEN, encoding="utf-8")
    git(path, "add", "-A")
    return path


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    # No bytecode compilation of spaCy and friends at install time: it roughly halves the install.
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "PIP_NO_COMPILE": "1"}
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def test_pre_commit_runs_the_hook_on_articles_only(tmp_path, hook_home):
    pytest.importorskip("pre_commit")
    repo = content_repo(tmp_path, git(ROOT, "rev-parse", "HEAD"))
    installed = pre_commit(repo, hook_home, "install-hooks")
    if installed.returncode != 0:
        log = installed.stdout + installed.stderr + _log(hook_home)
        if any(sign in log for sign in OFFLINE_SIGNS):
            pytest.skip("pre-commit could not install the hook environment offline:\n" + log[-800:])
        pytest.fail("pre-commit could not install the hook:\n" + log[-3000:])

    clean = pre_commit(repo, hook_home, "run", "healthlint", "--files", "good.md", "notes.txt", "page.html")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "healthlint" in clean.stdout and "Passed" in clean.stdout

    everything = pre_commit(repo, hook_home, "run", "healthlint", "--all-files")
    assert everything.returncode == 1, everything.stdout + everything.stderr
    assert "broken.md:2:1: error front-matter" in everything.stdout
    assert "script.py" not in everything.stdout


def _log(home: Path) -> str:
    log = home / "pre-commit.log"
    return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
