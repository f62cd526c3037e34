"""The lint flow for one file: read -> parse -> spaCy Doc -> rules -> suppressions -> sorted findings."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .config import Config, ConfigError, find_config_file, load_config, validate_rule_settings
from .finding import FileError, Finding
from .parse import parse
from .registry import active_rules, all_rules
from .rule import LoadedRule, RuleContext
from .source import ReadError, Source, read_source
from .suppress import apply_suppressions

SKIPPED_DIRS = {"node_modules", "__pycache__", "venv"}


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    source: Source | None = None


class ConfigResolver:
    """Finds the config for each file (or uses one forced with --config), loading each file once."""

    def __init__(self, forced: Path | None = None) -> None:
        self.forced = forced
        self._configs: dict[Path | None, Config] = {}
        self._rules: dict[Path | None, dict[str, LoadedRule]] = {}

    def config_path_for(self, path: Path) -> Path | None:
        return self.forced if self.forced else find_config_file(path)

    def config_for(self, path: Path) -> Config:
        return self._load(self.config_path_for(path))

    def rules_for(self, config: Config) -> dict[str, LoadedRule]:
        if config.path not in self._rules:
            rules = all_rules(config)
            validate_rule_settings(config, rules)
            self._rules[config.path] = rules
        return self._rules[config.path]

    def _load(self, config_path: Path | None) -> Config:
        if config_path not in self._configs:
            config = load_config(config_path)
            self.rules_for(config)
            self._configs[config_path] = config
        return self._configs[config_path]


@dataclass
class Linter:
    resolver: ConfigResolver = field(default_factory=ConfigResolver)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    today: dt.date | None = None

    def lint_file(self, path: Path) -> FileResult:
        try:
            source = read_source(path)
        except ReadError as error:
            return FileResult(str(path), errors=[FileError(str(path), str(error))])
        return self.lint_source(source, config_path=path)

    def lint_source(self, source: Source, fmt: str | None = None, config_path: Path | None = None) -> FileResult:
        config = self.resolver.config_for(config_path or Path(source.path))
        rules = self.resolver.rules_for(config)
        return lint_article_source(source, config, rules, fmt, self.select, self.ignore, self.today)


def lint_article_source(
    source: Source,
    config: Config,
    rules: dict[str, LoadedRule],
    fmt: str | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    today: dt.date | None = None,
) -> FileResult:
    """Lint decoded text; a crash in parsing or in one rule becomes an error entry, never an exception."""
    from .nlp import analyse

    result = FileResult(source.path, source=source)
    try:
        article = parse(source, fmt)
        doc = analyse(article, config)
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the run
        result.errors.append(FileError(source.path, f"could not analyse: {type(error).__name__}: {error}"))
        return result
    day = today or config.today or dt.date.today()
    known = frozenset(rules)
    findings: list[Finding] = []
    for rule, severity, options in active_rules(rules, config, source.path, select, ignore):
        context = RuleContext(article, rule.meta, severity, options, config, day, known)
        try:
            findings.extend(rule.check(doc, context))
        except Exception as error:  # noqa: BLE001
            result.errors.append(FileError(source.path, f"rule {rule.id} failed: {type(error).__name__}: {error}"))
    result.findings = sorted(set(apply_suppressions(findings, article)), key=lambda f: f.sort_key)
    return result


def discover(paths: Iterable[Path], resolver: ConfigResolver) -> Iterator[Path | FileError]:
    """Expand files and folders into article files (sorted), skipping hidden and VCS folders."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path, resolver)
        elif path.exists():
            yield path
        else:
            yield FileError(str(path), "no such file or directory")


def _walk(root: Path, resolver: ConfigResolver) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            config = resolver.config_for(path)
            if path.suffix.lower() not in config.extensions:
                continue
            if config.is_excluded(path) or not config.is_included(path):
                continue
            yield path


__all__ = ["ConfigError", "ConfigResolver", "FileResult", "Linter", "discover", "lint_article_source"]
