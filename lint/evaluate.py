"""The evaluation harness: lint annotated articles and score each rule against the expected findings.

Expected findings come from markers in the article (`<!-- expect: rule-a, rule-b -->` on the flagged
line, `<!-- expect+N: rule -->` for N lines below, `<!-- expect@L: rule -->` for line L, as
file-level findings on line 1), from a sidecar `NAME.expect.yaml`
(`findings: {rule-id: [line, ...]}`), or from one `--expect` file mapping file names to the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import ConfigError
from .engine import ConfigResolver, Linter, discover
from .finding import FileError

_MARKER = re.compile(r"<!--\s*expect(?:\+(\d+)|@(\d+))?:\s*([^>]*?)\s*-->")
Key = tuple[str, str, int]


@dataclass
class RuleScore:
    rule: str
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class Outcome:
    scores: dict[str, RuleScore]
    thresholds: dict[str, tuple[float, float]]
    misses: list[tuple[str, Key]] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0

    def failing(self) -> list[str]:
        bad = []
        for rule, score in self.scores.items():
            precision, recall = self.thresholds.get(rule, self.thresholds.get("*", (0.0, 0.0)))
            if score.precision < precision or score.recall < recall:
                bad.append(rule)
        return bad

    @property
    def passed(self) -> bool:
        return not self.failing() and not self.errors


def expected_from_markers(text: str) -> dict[str, set[int]]:
    expected: dict[str, set[int]] = defaultdict(set)
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _MARKER.finditer(line):
            target = int(match.group(2)) if match.group(2) else number + int(match.group(1) or 0)
            for rule in re.split(r"[\s,]+", match.group(3).strip()):
                if rule:
                    expected[rule].add(target)
    return expected


def expected_from_mapping(data: Any, where: str) -> dict[str, set[int]]:
    if not isinstance(data, dict):
        raise ConfigError(where, "findings", "expected a mapping of rule id -> list of lines")
    expected: dict[str, set[int]] = defaultdict(set)
    for rule, lines in data.items():
        if not isinstance(lines, list) or not all(isinstance(line, int) for line in lines):
            raise ConfigError(where, f"findings.{rule}", "expected a list of line numbers")
        expected[str(rule)].update(lines)
    return expected


def expected_for(path: Path, extra: dict[str, Any]) -> dict[str, set[int]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    expected = expected_from_markers(text)
    sidecar = path.with_name(path.stem + ".expect.yaml")
    mappings = []
    if sidecar.is_file():
        mappings.append((yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}, str(sidecar)))
    if path.name in extra:
        mappings.append(({"findings": extra[path.name]}, path.name))
    for data, where in mappings:
        for rule, lines in expected_from_mapping(data.get("findings", {}), where).items():
            expected.setdefault(rule, set()).update(lines)
    return expected


def thresholds_from(config_eval: dict[str, Any]) -> dict[str, tuple[float, float]]:
    default = (float(config_eval.get("precision", 0.0)), float(config_eval.get("recall", 0.0)))
    thresholds = {"*": default}
    for rule, values in (config_eval.get("rules") or {}).items():
        thresholds[rule] = (float(values.get("precision", default[0])), float(values.get("recall", default[1])))
    return thresholds


def evaluate_paths(paths: list[Path], config_path: Path | None, expect_file: Path | None = None, today: dt.date | None = None) -> Outcome:
    resolver = ConfigResolver(config_path)
    linter = Linter(resolver, today=today)
    extra = yaml.safe_load(expect_file.read_text(encoding="utf-8")) if expect_file else {}
    expected: set[Key] = set()
    predicted: set[Key] = set()
    outcome = Outcome({}, {})
    for item in discover(paths, resolver):
        if isinstance(item, FileError):
            outcome.errors.append(item)
            continue
        outcome.files += 1
        result = linter.lint_file(item)
        outcome.errors += result.errors
        predicted |= {(str(item), f.rule, f.line) for f in result.findings}
        expected |= {(str(item), rule, line) for rule, lines in expected_for(item, extra or {}).items() for line in lines}
        if not outcome.thresholds:
            outcome.thresholds = thresholds_from(resolver.config_for(item).eval)
    outcome.scores = _score(expected, predicted, outcome.misses)
    return outcome


def _score(expected: set[Key], predicted: set[Key], misses: list[tuple[str, Key]]) -> dict[str, RuleScore]:
    scores: dict[str, RuleScore] = {}
    for key in sorted(expected | predicted):
        score = scores.setdefault(key[1], RuleScore(key[1]))
        if key in expected and key in predicted:
            score.true_positives += 1
        elif key in predicted:
            score.false_positives += 1
            misses.append(("false positive", key))
        else:
            score.false_negatives += 1
            misses.append(("false negative", key))
    return scores


def format_scores(outcome: Outcome, show_misses: bool = False) -> str:
    failing = set(outcome.failing())
    lines = [f"{'rule':<26} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7} {'F1':>6}  status"]
    for rule in sorted(outcome.scores):
        s = outcome.scores[rule]
        status = "FAIL" if rule in failing else "ok"
        lines.append(f"{rule:<26} {s.true_positives:>4} {s.false_positives:>4} {s.false_negatives:>4} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}  {status}")
    if show_misses:
        lines += [f"{kind}: {path}:{line} {rule}" for kind, (path, rule, line) in outcome.misses]
    lines += [f"error: {error.path}: {error.message}" for error in outcome.errors]
    lines.append(f"{outcome.files} files; {'all rules meet their thresholds' if outcome.passed else 'FAILED: ' + ', '.join(sorted(failing)) or 'file errors'}")
    return "\n".join(lines)
