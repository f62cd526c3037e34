"""Rule discovery: built-in modules in healthlint.rules, entry-point plugins, declarative YAML rules."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path

from .config import Config, ConfigError
from .finding import Severity
from .rule import LoadedRule, Rule, rule_from_module

ENTRY_POINT_GROUP = "healthlint.rules"


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[LoadedRule, ...]:
    """Every module in healthlint.rules that defines RULE and check()."""
    import healthlint.rules as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"healthlint.rules.{info.name}")
        if hasattr(module, "RULE") and hasattr(module, "check"):
            found.append(rule_from_module(module))
    return tuple(found)


def plugin_rules() -> list[LoadedRule]:
    """Rules from third-party packages registered under the `healthlint.rules` entry point group."""
    loaded = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        where = f"entry point {ENTRY_POINT_GROUP}:{entry.name}"
        try:
            module = entry.load()
        except Exception as error:  # noqa: BLE001 - a broken plugin is reported, not a crash
            raise ConfigError(entry.value, where, f"cannot load plugin: {type(error).__name__}: {error}") from None
        if not isinstance(getattr(module, "RULE", None), Rule) or not callable(getattr(module, "check", None)):
            raise ConfigError(entry.value, where, "a rule plugin must define RULE (a healthlint Rule) and check(doc, ctx)")
        loaded.append(rule_from_module(module, origin=f"plugin:{entry.value}"))
    return loaded


def all_rules(config: Config) -> dict[str, LoadedRule]:
    """Built-in, plugin and YAML rules by id; a clash or a bad YAML rule is a ConfigError."""
    from .yaml_rules import load_yaml_rules

    rules: dict[str, LoadedRule] = {}
    yaml_rules: list[LoadedRule] = []
    for path in config.yaml_rules:
        yaml_rules += load_yaml_rules(Path(path))
    for rule in [*builtin_rules(), *plugin_rules(), *yaml_rules]:
        if rule.id in rules:
            raise ConfigError(config.path, "yaml_rules", f"rule id {rule.id!r} is defined twice ({rule.origin})")
        rules[rule.id] = rule
    return rules


def active_rules(rules: dict[str, LoadedRule], config: Config, path: str | None,
                 select: list[str] | None = None, ignore: list[str] | None = None) -> list[tuple[LoadedRule, Severity, dict]]:
    """The rules to run on path with their effective severity and options, in id order."""
    config_select, config_ignore = config.selection_for(path)
    select = list(select or []) or config_select
    ignore = list(ignore or []) + config_ignore
    active = []
    for rule_id in sorted(rules):
        rule = rules[rule_id]
        settings = config.settings_for(rule_id, path)
        if select and not _named(rule, select):
            continue
        if _named(rule, ignore) or settings.enabled is False:
            continue
        severity = settings.severity or rule.meta.severity
        options = {**rule.meta.options, **settings.options}
        active.append((rule, severity, options))
    return active


def _named(rule: LoadedRule, names: list[str]) -> bool:
    return "ALL" in names or rule.id in names or any(tag in names for tag in rule.meta.tags)
