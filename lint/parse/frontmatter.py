"""YAML front matter: the block between '---' lines at the very start of a Markdown file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

_OPEN = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


@dataclass
class FrontMatter:
    data: dict[str, Any]
    end: int
    error: tuple[str, int] | None = None


def split_front_matter(text: str) -> FrontMatter:
    """Find and parse front matter; `end` is the source offset where the body starts (0 if none)."""
    opening = _OPEN.match(text)
    if not opening:
        return FrontMatter({}, 0)
    closing = _CLOSE.search(text, opening.end())
    if not closing:
        return FrontMatter({}, 0, ("front matter opened with '---' on line 1 is never closed", 1))
    end = closing.end()
    if end < len(text) and text[end] == "\n":
        end += 1
    raw = text[opening.end() : closing.start()]
    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when installed
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return FrontMatter({}, end, (f"front matter is not valid YAML: {problem}", line))
    except ValueError as error:  # a well-formed but impossible value, such as the date 2024-13-01
        return FrontMatter({}, end, (f"front matter has an impossible value: {error}", 1))
    if data is None:
        return FrontMatter({}, end)
    if not isinstance(data, dict):
        return FrontMatter({}, end, ("front matter must be a YAML mapping of keys to values", 2))
    return FrontMatter(data, end)
