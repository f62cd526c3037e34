"""Configuration: find `.healthlint.yaml` or `[tool.healthlint]`, validate it strictly, merge overrides."""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .finding import Severity

CONFIG_NAMES = (".healthlint.yaml", ".healthlint.yml")
DEFAULT_EXTENSIONS = (".md", ".markdown", ".txt", ".html", ".htm")
DEFAULT_EXCLUDE = ("**/node_modules/**", "**/*.expect.yaml")
TOP_LEVEL_KEYS = {
    "select": list,
    "ignore": list,
    "rules": dict,
    "overrides": list,
    "include": list,
    "exclude": list,
    "extensions": list,
    "yaml_rules": list,
    "lexicon": dict,
    "nlp": dict,
    "fail_on": str,
    "eval": dict,
    "cache_dir": str,
    "today": (str, dt.date),
}
RULE_KEYS = {"enabled", "severity", "options"}
LEXICON_KEYS = {"drugs", "not_drugs", "classes"}
LEXICON_DRUG_KEYS = {"generic", "brand", "classes"}


class ConfigError(Exception):
    """Invalid configuration: names the file and the key."""

    def __init__(self, path: str | Path | None, key: str, message: str) -> None:
        self.path, self.key = str(path) if path else "<config>", key
        super().__init__(f"{self.path}: {key}: {message}")


@dataclass
class RuleSettings:
    enabled: bool | None = None
    severity: Severity | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Override:
    files: list[str]
    rules: dict[str, RuleSettings]
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)


@dataclass
class Config:
    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    raw: dict[str, Any] = field(default_factory=dict)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: dict[str, RuleSettings] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    yaml_rules: list[Path] = field(default_factory=list)
    lexicon: dict[str, Any] = field(default_factory=dict)
    nlp_model: str | None = None
    fail_on: Severity = Severity.ERROR
    eval: dict[str, Any] = field(default_factory=dict)
    cache_dir: Path | None = None
    today: dt.date | None = None
    _resolved_folders: dict[str, Path] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def lexicon_key(self) -> str:
        """A stable key for the user's lexicon additions (used to cache the compiled drug index)."""
        if not self.lexicon:
            return ""
        blob = json.dumps(self.lexicon, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def fingerprint(self) -> str:
        """A hash of the effective configuration, for result caches: the settings, where the config
        file is (globs are relative to it), and the contents of the YAML rule files it names."""
        state = {
            "raw": self.raw,
            "path": str(self.path.resolve()) if self.path else None,
            "root": str(self.root.resolve()),
            "yaml_rules": {str(path): _file_digest(path) for path in self.yaml_rules},
        }
        blob = json.dumps(state, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def relative(self, path: str | Path) -> str:
        """path relative to the config's folder (both with symbolic links resolved), else as given."""
        try:
            return self._resolved(Path(path)).relative_to(self._resolved_root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    @cached_property
    def _resolved_root(self) -> Path:
        return self.root.resolve()

    def _resolved(self, path: Path) -> Path:
        """path.resolve(), resolving each folder once per config (a run asks for thousands of files)."""
        if path.is_symlink():
            return path.resolve()
        folder = str(path.parent)
        if folder not in self._resolved_folders:
            self._resolved_folders[folder] = path.parent.resolve()
        return self._resolved_folders[folder] / path.name

    def settings_for(self, rule_id: str, path: str | None = None) -> RuleSettings:
        """Rule settings after applying every override whose globs match path."""
        merged = RuleSettings()
        layers = [self.rules] + [o.rules for o in self.overrides if path and self.matches(o.files, path)]
        for layer in layers:
            settings = layer.get(rule_id)
            if settings is None:
                continue
            if settings.enabled is not None:
                merged.enabled = settings.enabled
            if settings.severity is not None:
                merged.severity = settings.severity
            merged.options = {**merged.options, **settings.options}
        return merged

    def selection_for(self, path: str | None) -> tuple[list[str], list[str]]:
        select, ignore = list(self.select), list(self.ignore)
        for override in self.overrides:
            if path and self.matches(override.files, path):
                select += override.select
                ignore += override.ignore
        return select, ignore

    def matches(self, globs: list[str], path: str | Path) -> bool:
        if not globs:
            return False
        relative = self.relative(path)
        pure = PurePosixPath(relative)
        return any(_glob_match(pure, relative, pattern) for pattern in globs)

    def is_excluded(self, path: str | Path) -> bool:
        return self.matches(self.exclude, path)

    def is_included(self, path: str | Path) -> bool:
        return not self.include or self.matches(self.include, path)


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _glob_match(pure: PurePosixPath, relative: str, pattern: str) -> bool:
    if pure.match(pattern) or fnmatch.fnmatch(relative, pattern):
        return True
    if pattern.startswith("**/"):
        return _glob_match(pure, relative, pattern[3:])
    return False


def find_config_file(start: Path) -> Path | None:
    """Walk up from start to the first directory holding a healthlint config."""
    directory = start if start.is_dir() else start.parent
    for folder in [directory.resolve(), *directory.resolve().parents]:
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def _has_tool_section(pyproject: Path) -> bool:
    try:
        return "healthlint" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
        return False


def load_config(path: Path | None) -> Config:
    """Load and validate a config file; None gives the defaults."""
    if path is None:
        return Config()
    data = _read_config_data(path)
    return parse_config(data, path)


def _read_config_data(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, "(file)", f"cannot read: {error}") from None
    if path.name == "pyproject.toml":
        try:
            data = tomllib.loads(text).get("tool", {}).get("healthlint", {})
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(path, "(toml)", str(error)) from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else "(yaml)"
            raise ConfigError(path, where, f"invalid YAML: {getattr(error, 'problem', error)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(path, "(top level)", "must be a mapping of keys to values")
    return data


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    for key, value in data.items():
        expected = TOP_LEVEL_KEYS.get(key)
        if expected is None:
            raise ConfigError(path, key, f"unknown key; known keys: {', '.join(sorted(TOP_LEVEL_KEYS))}")
        if not isinstance(value, expected):
            raise ConfigError(path, key, f"expected {_type_name(expected)}, got {type(value).__name__}")
    root = path.parent if path else Path.cwd()
    config = Config(path=path, root=root, raw=data)
    config.select = _string_list(data, "select", path)
    config.ignore = _string_list(data, "ignore", path)
    config.include = _string_list(data, "include", path)
    config.exclude = list(DEFAULT_EXCLUDE) + _string_list(data, "exclude", path)
    config.extensions = tuple(_string_list(data, "extensions", path)) or DEFAULT_EXTENSIONS
    config.rules = _rule_settings(data.get("rules", {}), path, "rules")
    config.overrides = [_override(item, path, index) for index, item in enumerate(data.get("overrides", []))]
    config.yaml_rules = [root / item for item in _string_list(data, "yaml_rules", path)]
    config.lexicon = _lexicon(data.get("lexicon", {}), path)
    config.nlp_model = _nlp_model(data.get("nlp", {}), path)
    config.eval = data.get("eval", {})
    if "fail_on" in data:
        config.fail_on = _severity(data["fail_on"], path, "fail_on")
    if "cache_dir" in data:
        config.cache_dir = root / data["cache_dir"]
    if "today" in data:
        config.today = _date(data["today"], path)
    return config


def _type_name(expected: Any) -> str:
    names = {list: "a list", dict: "a mapping", str: "a string", bool: "true or false", int: "an integer"}
    if isinstance(expected, tuple):
        return " or ".join(names.get(t, t.__name__) for t in expected)
    return names.get(expected, expected.__name__)


def _string_list(data: dict[str, Any], key: str, path: Path | None) -> list[str]:
    values = data.get(key, [])
    for index, value in enumerate(values):
        if not isinstance(value, str):
            raise ConfigError(path, f"{key}[{index}]", f"expected a string, got {type(value).__name__}")
    return list(values)


def _severity(value: Any, path: Path | None, key: str) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ConfigError(path, key, f"unknown severity {value!r}; use error, warning or info") from None


def _rule_settings(rules: dict[str, Any], path: Path | None, key: str) -> dict[str, RuleSettings]:
    result = {}
    for rule_id, value in rules.items():
        where = f"{key}.{rule_id}"
        if isinstance(value, bool):
            result[rule_id] = RuleSettings(enabled=value)
        elif value == "off":
            result[rule_id] = RuleSettings(enabled=False)
        elif isinstance(value, str):
            result[rule_id] = RuleSettings(enabled=True, severity=_severity(value, path, where))
        elif isinstance(value, dict):
            unknown = set(value) - RULE_KEYS
            if unknown:
                raise ConfigError(path, f"{where}.{sorted(unknown)[0]}", f"unknown key; use {', '.join(sorted(RULE_KEYS))}")
            enabled = value.get("enabled")
            if enabled is not None and not isinstance(enabled, bool):
                raise ConfigError(path, f"{where}.enabled", "expected true or false")
            options = value.get("options", {})
            if not isinstance(options, dict):
                raise ConfigError(path, f"{where}.options", "expected a mapping")
            severity = _severity(value["severity"], path, f"{where}.severity") if "severity" in value else None
            result[rule_id] = RuleSettings(enabled, severity, dict(options))
        else:
            raise ConfigError(path, where, "expected true/false, 'off', a severity, or a mapping")
    return result


def _override(item: Any, path: Path | None, index: int) -> Override:
    where = f"overrides[{index}]"
    if not isinstance(item, dict) or "files" not in item:
        raise ConfigError(path, where, "each override needs 'files' (a list of globs)")
    unknown = set(item) - {"files", "rules", "select", "ignore"}
    if unknown:
        raise ConfigError(path, f"{where}.{sorted(unknown)[0]}", "unknown key; use files, rules, select, ignore")
    files = item["files"] if isinstance(item["files"], list) else [item["files"]]
    if not all(isinstance(glob, str) for glob in files):
        raise ConfigError(path, f"{where}.files", "expected a list of glob strings")
    rules = item.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(path, f"{where}.rules", "expected a mapping")
    return Override(
        files,
        _rule_settings(rules, path, f"{where}.rules"),
        _string_list(item, "select", path),
        _string_list(item, "ignore", path),
    )


def _lexicon(lexicon: dict[str, Any], path: Path | None) -> dict[str, Any]:
    unknown = set(lexicon) - LEXICON_KEYS
    if unknown:
        raise ConfigError(path, f"lexicon.{sorted(unknown)[0]}", f"unknown key; use {', '.join(sorted(LEXICON_KEYS))}")
    if not isinstance(lexicon.get("drugs", {}), dict):
        raise ConfigError(path, "lexicon.drugs", "expected a mapping of name -> {generic, brand, classes}")
    if not isinstance(lexicon.get("not_drugs", []), list):
        raise ConfigError(path, "lexicon.not_drugs", "expected a list of words")
    for name, entry in lexicon.get("drugs", {}).items():
        bad = sorted(set(entry or {}) - LEXICON_DRUG_KEYS) if isinstance(entry or {}, dict) else ["(not a mapping)"]
        if bad:
            raise ConfigError(path, f"lexicon.drugs.{name}", f"unknown key {bad[0]}; use {', '.join(sorted(LEXICON_DRUG_KEYS))}")
    return lexicon


def _nlp_model(nlp: dict[str, Any], path: Path | None) -> str | None:
    unknown = set(nlp) - {"model"}
    if unknown:
        raise ConfigError(path, f"nlp.{sorted(unknown)[0]}", "unknown key; use model")
    model = nlp.get("model")
    if model is not None and not isinstance(model, str):
        raise ConfigError(path, "nlp.model", "expected the name of an installed spaCy pipeline")
    return model


def _date(value: Any, path: Path | None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(path, "today", "expected a date YYYY-MM-DD") from None


def validate_rule_settings(config: Config, rules: dict[str, Any]) -> None:
    """Check rule ids and option names/types against the loaded rules (unknown id -> ConfigError)."""
    layers = [("rules", config.rules)] + [(f"overrides[{i}].rules", o.rules) for i, o in enumerate(config.overrides)]
    for key, layer in layers:
        for rule_id, settings in layer.items():
            if rule_id not in rules:
                raise ConfigError(config.path, f"{key}.{rule_id}", "unknown rule id (see `healthlint rules`)")
            _check_options(config.path, f"{key}.{rule_id}.options", settings.options, rules[rule_id].meta.options)
    for key, ids in [("select", config.select), ("ignore", config.ignore)]:
        for rule_id in ids:
            if rule_id != "ALL" and rule_id not in rules and not any(rule_id in r.meta.tags for r in rules.values()):
                raise ConfigError(config.path, key, f"unknown rule id or tag {rule_id!r}")


def _check_options(path: Path | None, key: str, options: dict[str, Any], defaults: dict[str, Any]) -> None:
    for name, value in options.items():
        if name not in defaults:
            known = ", ".join(sorted(defaults)) or "none"
            raise ConfigError(path, f"{key}.{name}", f"unknown option; this rule's options: {known}")
        default = defaults[name]
        if default is None or value is None:
            continue
        if isinstance(default, bool) != isinstance(value, bool):
            raise ConfigError(path, f"{key}.{name}", f"expected {type(default).__name__}, got {type(value).__name__}")
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            if not isinstance(value, (int, float)):
                raise ConfigError(path, f"{key}.{name}", f"expected a number, got {type(value).__name__}")
        elif not isinstance(value, type(default)):
            raise ConfigError(path, f"{key}.{name}", f"expected {type(default).__name__}, got {type(value).__name__}")
