"""`--changed-since REV`: the files a branch changed, from git.

Changed means: added, copied, modified, renamed-to or type-changed between the merge base of REV and
HEAD and the working tree (so committed, staged and unstaged edits all count, and commits that landed
on REV after the branch forked do not), plus untracked files that are not ignored (a new draft not
yet `git add`-ed is a changed article). Deleted files are not linted.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .finding import FileError


class GitError(Exception):
    """git is missing, the folder is not a repository, or the revision is unknown."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError("--changed-since needs git, which is not installed") from None
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args[:2])} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def changed_files(rev: str, cwd: Path) -> set[Path]:
    """Resolved paths of the files changed since `rev` (see the module docs), deletions excluded."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    except GitError:
        raise GitError(f"unknown git revision {rev!r} (in CI, fetch it first, e.g. fetch-depth: 0)") from None
    base = _git(["merge-base", rev, "HEAD"], top).strip()
    diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMT", base, "--"], top)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    names = [name for name in (diff + untracked).split("\0") if name]
    return {(top / name).resolve() for name in names}


def only_changed(discover: Callable[..., Iterable[Path | FileError]], changed: set[Path]) -> Callable[..., Iterator[Path | FileError]]:
    """Wrap a discover function so that it yields only changed files (errors pass through)."""

    def filtered(paths, resolver) -> Iterator[Path | FileError]:
        for item in discover(paths, resolver):
            if isinstance(item, FileError) or item.resolve() in changed:
                yield item

    return filtered
