"""Words per second of healthlint's analysis inside one process (start-up excluded), per folder.

Usage: python benchmarks/scale.py --config CONFIG --reps N DIR...  Prints one JSON line:
{DIR: {"words": W, "seconds": median S, "words_per_s": W/S}}. Each folder's files are linted
`reps` times, folders alternating; a warm-up file builds the pipeline first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from healthlint.engine import ConfigResolver, Linter


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args()
    linter = Linter(ConfigResolver(args.config))
    files = {folder: sorted(folder.rglob("*.md")) for folder in args.folders}
    linter.lint_file(files[args.folders[0]][0])
    times: dict[Path, list[float]] = {folder: [] for folder in args.folders}
    for _ in range(args.reps):
        for folder, paths in files.items():
            started = time.perf_counter()
            for path in paths:
                linter.lint_file(path)
            times[folder].append(time.perf_counter() - started)
    report = {}
    for folder, paths in files.items():
        words = sum(len(path.read_text(encoding="utf-8").split()) for path in paths)
        seconds = statistics.median(times[folder])
        report[str(folder)] = {"words": words, "seconds": seconds, "words_per_s": words / seconds}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
