"""Loading the YAML data files shipped in healthlint/rules/data, key-checked so a typo fails at load time."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .config import ConfigError


@lru_cache(maxsize=None)
def load_data(name: str) -> dict[str, Any]:
    """The mapping in rules/data/<name>.yaml (cached per process)."""
    text = resources.files("healthlint.rules").joinpath("data", f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~15x faster start-up
    if not isinstance(data, dict):
        raise ConfigError(f"rules/data/{name}.yaml", "", "expected a mapping at the top level")
    return data


def check_keys(item: Any, required: set[str], optional: set[str], where: str) -> dict[str, Any]:
    """item as a mapping that has every required key and no unknown key; a ConfigError naming `where` otherwise."""
    if not isinstance(item, dict):
        raise ConfigError(where, "", "expected a mapping")
    missing = required - item.keys()
    unknown = item.keys() - required - optional
    if missing or unknown:
        problem = f"missing {sorted(missing)}" if missing else f"unknown {sorted(unknown)}"
        raise ConfigError(where, "", f"keys: {problem}")
    return item
