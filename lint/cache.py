"""Result cache: one JSON file of findings per (file content, effective config, active rules, versions).

Entries live in `.healthlint_cache/` beside the config file (or `cache_dir` in the config, or
`--cache-dir`). An entry's file name is the hash of its key, and the entry repeats the key: a
corrupt, truncated or foreign entry is a miss and is rebuilt. Writes go to a temporary file that is
renamed into place, so concurrent runs never leave a half-written entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .finding import Authority, Finding, Fix, Severity
from .registry import active_rules
from .source import Source

if TYPE_CHECKING:
    from .config import Config
    from .engine import Linter

CACHE_DIR_NAME = ".healthlint_cache"
SCHEMA = 1
PACKAGES = ("spacy", "drug-named-entity-recognition", "wordfreq", "pyromark", "linkify-it-py")
PACKAGE_ROOT = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def build_stamp() -> str:
    """healthlint's version, the compiled drug lexicon's key, the versions of the packages findings
    depend on, and a stamp of our own code and data files (size and mtime), so an edited rule or
    lexicon in a dev checkout misses too."""
    import healthlint.rules

    from .lexicon import index_key

    parts: list[str] = [__version__, f"lexicon={index_key()}"]
    for name in PACKAGES:
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=none")
    for root in sorted({PACKAGE_ROOT, Path(healthlint.rules.__file__).resolve().parent}):
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".yaml", ".yml", ".json", ".txt")):
                    stat = os.stat(os.path.join(folder, name))
                    parts.append(f"{os.path.relpath(os.path.join(folder, name), root)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """Every field of a Finding except `context` (a slice of the source, rebuilt on load)."""
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "start": finding.start,
        "end": finding.end,
        "fix": None if finding.fix is None else [finding.fix.start, finding.fix.end, finding.fix.replacement, finding.fix.safe],
        "source": None if finding.source is None else [finding.source.text, finding.source.url],
    }


def finding_from_json(data: dict[str, Any], source: Source) -> Finding:
    """The Finding that finding_to_json stored; raises KeyError/TypeError/ValueError on a bad entry."""
    fix = data["fix"]
    authority = data["source"]
    start, end = _int(data["start"]), _int(data["end"])
    return Finding(
        path=_str(data["path"]),
        line=_int(data["line"]),
        column=_int(data["column"]),
        end_line=_int(data["end_line"]),
        end_column=_int(data["end_column"]),
        rule=_str(data["rule"]),
        severity=Severity(data["severity"]),
        message=_str(data["message"]),
        start=start,
        end=end,
        fix=None if fix is None else Fix(_int(fix[0]), _int(fix[1]), _str(fix[2]), bool(fix[3])),
        source=None if authority is None else Authority(_str(authority[0]), authority[1] if authority[1] is None else _str(authority[1])),
        context=source.text[start:end],
    )


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


class ResultCache:
    """Looks up and stores the findings of files linted with one Linter's settings."""

    def __init__(self, linter: "Linter", directory: Path | None = None) -> None:
        self.linter = linter
        self.directory = directory
        self.hits = 0
        self.misses = 0
        self._fingerprints: dict[Path | None, str] = {}
        self._settings: dict[tuple[Path | None, str | None], str] = {}
        self._listed: dict[Path, frozenset[str]] = {}

    def entry_for(self, source: Source) -> tuple[Path, str]:
        """The entry file and the full key for a source read from disk."""
        config = self.linter.resolver.config_for(Path(source.path))
        key_data = {
            "settings": self._settings_key(config, source.path),
            "path": source.path,
            "content": hashlib.sha256(source.text.encode("utf-8", "surrogatepass")).hexdigest(),
            "bom": source.bom,
        }
        key = hashlib.sha256(json.dumps(key_data, sort_keys=True).encode()).hexdigest()
        directory = self.directory or config.cache_dir or config.root / CACHE_DIR_NAME
        return directory / key[:2] / f"{key}.json", key

    def _settings_key(self, config: "Config", path: str) -> str:
        """A hash of everything but the file that decides its findings: schema, code, config, lexicon,
        the active rules with their severity and options, and the date. Without overrides the active
        rules are the same for every file, so the hash is computed once per config."""
        memo_key = (config.path, path if config.overrides else None)
        if memo_key not in self._settings:
            rules = self.linter.resolver.rules_for(config)
            active = active_rules(rules, config, path, self.linter.select, self.linter.ignore)
            today = self.linter.today or config.today or dt.date.today()
            settings = {
                "schema": SCHEMA,
                "build": build_stamp(),
                "config": self._fingerprint(config),
                "lexicon": config.lexicon_key,
                "rules": [[rule.id, rule.origin, severity.value, options] for rule, severity, options in active],
                "today": today.isoformat(),
            }
            self._settings[memo_key] = hashlib.sha256(json.dumps(settings, sort_keys=True, default=repr).encode()).hexdigest()
        return self._settings[memo_key]

    def _fingerprint(self, config: "Config") -> str:
        if config.path not in self._fingerprints:
            self._fingerprints[config.path] = config.fingerprint()
        return self._fingerprints[config.path]

    def load(self, source: Source) -> list[Finding] | None:
        """The cached findings for source, or None (absent, unreadable, corrupt or foreign entry)."""
        entry, key = self.entry_for(source)
        if entry.name not in self._entries_in(entry.parent):
            self.misses += 1
            return None
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            if data["schema"] != SCHEMA or data["key"] != key:
                raise ValueError("foreign entry")
            findings = [finding_from_json(item, source) for item in data["findings"]]
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.misses += 1
            return None
        self.hits += 1
        return findings

    def _entries_in(self, folder: Path) -> frozenset[str]:
        """The entry names in one cache folder, listed once per run: a miss then costs no file system
        call (each is slow on some file systems); an entry written after the listing is missed for the
        rest of the run, which costs one more analysis, never a wrong result."""
        if folder not in self._listed:
            try:
                self._listed[folder] = frozenset(os.listdir(folder))
            except OSError:
                self._listed[folder] = frozenset()
        return self._listed[folder]

    def store(self, source: Source, findings: list[Finding]) -> None:
        """Write the entry atomically; a cache that cannot be written is skipped silently."""
        entry, key = self.entry_for(source)
        payload = json.dumps({"schema": SCHEMA, "key": key, "findings": [finding_to_json(f) for f in findings]}, ensure_ascii=False)
        try:
            _ensure_dir(entry.parent)
            fd, temp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(payload)
                os.replace(temp, entry)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            return


def _ensure_dir(directory: Path) -> None:
    """Create the entry folder; a new cache root gets a .gitignore so it is never committed."""
    root = directory.parent
    if not root.is_dir():
        root.mkdir(parents=True, exist_ok=True)
        (root / ".gitignore").write_text("# created by healthlint\n*\n", encoding="utf-8")
    directory.mkdir(exist_ok=True)
