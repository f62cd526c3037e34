"""The evaluation harness over corpus/ and over the seeds: every rule meets its configured thresholds."""

from __future__ import annotations

from pathlib import Path

from healthlint.evaluate import evaluate_paths, format_scores

from tests.helpers import ROOT

CORPUS = ROOT / "corpus"
SEEDS_EXPECT = Path(__file__).resolve().parent / "seeds.expect.yaml"
SEEDS_CONFIG = Path(__file__).resolve().parent / "seeds.healthlint.yaml"


def test_corpus_meets_thresholds() -> None:
    outcome = evaluate_paths([CORPUS], None)
    report = format_scores(outcome, show_misses=True)
    assert outcome.files >= 2
    assert outcome.scores, report
    assert outcome.passed, report


def test_seeds_meet_thresholds(seeds: Path) -> None:
    outcome = evaluate_paths([seeds], SEEDS_CONFIG, SEEDS_EXPECT)
    report = format_scores(outcome, show_misses=True)
    assert outcome.files == 5
    assert outcome.passed, report
