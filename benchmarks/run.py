"""Side-by-side benchmark: healthlint vs proselint vs the spaCy floor on the generated corpus.

    python benchmarks/run.py                  # 2,000 articles (~2M words), 3 repetitions
    python benchmarks/run.py --articles 200   # a quick run

Every command runs as its own process; within a repetition the commands run one after another
(alternating), and each figure is the median over repetitions. Wall time is the process's wall
time, start-up included. Peak RSS is the largest sum of the RSS of the process and all of its
descendants, polled every 100 ms with psutil: /usr/bin/time reports the largest single process,
which would hide the workers of a parallel run (the sum over-counts pages the forked workers
share, so it is an upper bound; with --jobs 1 there is one process and the figure is exact).
Each poll costs about 1.3 ms of CPU (psutil reads every process on the machine to find the
children); polling every 20 ms took ~6% of a core from a command that keeps both cores busy, and
none from a one-process command, which has a core to spare.
Writes benchmarks/results.md (and prints it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

POLL_SECONDS = 0.1
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from generate import write_corpus, write_long  # noqa: E402


@dataclass
class Runs:
    """Wall seconds and peak tree RSS (bytes) of each repetition of one command."""

    walls: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak_mb(self) -> float:
        return max(self.rss) / 2**20


def measure(command: list[str], runs: Runs) -> None:
    """Run command (output discarded), recording its wall time and its process tree's peak RSS."""
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process))
        time.sleep(POLL_SECONDS)
    runs.walls.append(time.perf_counter() - started)
    runs.rss.append(peak)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {process.stderr.read().decode()[-2000:]}")


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def count_words(folder: Path) -> int:
    return sum(len(path.read_text(encoding="utf-8").split()) for path in folder.rglob("*.md"))


def snapshot(out: Path) -> str:
    """Unpack healthlint as committed at HEAD into out/snapshot and put it first on PYTHONPATH, so the
    code under test cannot change during the run (others' edits would make the warm run cold).
    The snapshot is byte-compiled, as `pip install` does: with PYTHONDONTWRITEBYTECODE set, every
    run would otherwise compile healthlint's source again (about 80 ms of each start)."""
    target = out / "snapshot"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD", "lint", "rules"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    (target / "lint").rename(target / "healthlint")
    (target / "rules").rename(target / "healthlint" / "rules")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(target)], check=True)
    os.environ["PYTHONPATH"] = str(target)
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()


def prepare(out: Path, articles: int) -> tuple[Path, Path, Path, Path]:
    """Generate (or reuse) the corpus and the long set; write an empty config = default settings."""
    corpus, long_set = out / f"corpus-{articles}", out / "long"
    stamp = (HERE / "generate.py").stat().st_mtime_ns, (HERE / "data.yaml").stat().st_mtime_ns
    for folder, build in ((corpus, lambda: write_corpus(corpus, articles)), (long_set, lambda: write_long(long_set))):
        marker = folder / ".stamp"
        if not marker.is_file() or marker.read_text() != repr(stamp):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            build()
            marker.write_text(repr(stamp))
    config = out / "defaults.healthlint.yaml"
    config.write_text("# empty: healthlint's default settings (every built-in rule)\n")
    small = out / "small" / "note.md"
    small.parent.mkdir(exist_ok=True)
    small.write_text("---\ntitle: Sertraline\n---\n# Sertraline\n\nSertraline (Zoloft) is an antidepressant. Take it once a day.\n")
    return corpus, long_set, config, small


def build_stamp() -> str:
    """healthlint's code stamp: if it changes between the cold and the warm run, the warm run missed."""
    return subprocess.run([sys.executable, "-c", "from healthlint.cache import build_stamp; print(build_stamp())"],
                          capture_output=True, text=True, check=True).stdout.strip()


def throughput(corpus: Path, config: Path, out: Path, reps: int, notes: list[str]) -> dict[str, Runs]:
    healthlint = str(BIN / "healthlint")
    cache = out / "cache"
    commands = {
        "healthlint": [healthlint, "check", "--config", str(config), "--cache-dir", str(cache), str(corpus)],
        "healthlint (warm cache)": [healthlint, "check", "--config", str(config), "--cache-dir", str(cache), str(corpus)],
        "healthlint --jobs 1": [healthlint, "check", "--config", str(config), "--no-cache", "--jobs", "1", str(corpus)],
        "proselint": [str(BIN / "proselint"), "check", str(corpus)],
        "spaCy floor": [sys.executable, str(HERE / "floor.py"), str(corpus)],
    }
    runs = {name: Runs() for name in commands}
    for rep in range(reps):
        shutil.rmtree(cache, ignore_errors=True)
        stamp = build_stamp()
        for name, command in commands.items():
            measure(command, runs[name])
            print(f"  rep {rep + 1}: {name}: {runs[name].walls[-1]:.2f} s", file=sys.stderr)
        if build_stamp() != stamp:
            notes.append(f"repetition {rep + 1}: healthlint's code changed during the repetition, so its warm run was (partly) cold")
    return runs


def cold_start(config: Path, small: Path, reps: int) -> dict[str, Runs]:
    commands = {
        "healthlint": [str(BIN / "healthlint"), "check", "--config", str(config), "--no-cache", str(small)],
        "proselint": [str(BIN / "proselint"), "check", str(small)],
        "python -c \"import spacy; spacy.blank('en')\"": [sys.executable, "-c", "import spacy; spacy.blank('en')"],
    }
    runs = {name: Runs() for name in commands}
    for _ in range(reps):
        for name, command in commands.items():
            measure(command, runs[name])
    return runs


def scale(long_set: Path, config: Path, reps: int, sets: list[str]) -> dict[str, dict]:
    folders = [str(long_set / name) for name in sets]
    output = subprocess.run([sys.executable, str(HERE / "scale.py"), "--config", str(config), "--reps", str(reps), *folders],
                            check=True, capture_output=True, text=True, cwd=ROOT)
    data = json.loads(output.stdout.strip().splitlines()[-1])
    return {Path(folder).name: value for folder, value in data.items()}


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    ram = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"nproc {os.cpu_count()}, {model}, {ram:.0f} GiB RAM, Python {platform.python_version()}, load average at start {load}"


def rule_ids(config: Path) -> list[str]:
    output = subprocess.run([str(BIN / "healthlint"), "rules", "--config", str(config)], capture_output=True, text=True, check=True)
    return [line.split()[0] for line in output.stdout.splitlines() if line.strip()]


def versions() -> str:
    def run(*command: str) -> str:
        return subprocess.run(command, capture_output=True, text=True).stdout.strip()

    commit = os.environ.get("HEALTHLINT_BENCH_COMMIT", "?")
    spacy_version = run(sys.executable, "-c", "import spacy; print(spacy.__version__)")
    return f"{run(str(BIN / 'healthlint'), '--version')} as committed at {commit} (lint/ and rules/ unpacked from git); proselint {run(str(BIN / 'proselint'), 'version')}; spaCy {spacy_version}"


def report(args, corpus_words: int, runs: dict[str, Runs], starts: dict[str, Runs], scaled: dict[str, dict], rules: list[str], header: str, notes: list[str]) -> str:
    hl, pl, floor, one = runs["healthlint"], runs["proselint"], runs["spaCy floor"], runs["healthlint --jobs 1"]
    warm = runs["healthlint (warm cache)"]
    jobs = os.cpu_count() or 1
    rate = {name: corpus_words / r.wall for name, r in runs.items()}
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `python benchmarks/run.py --articles {args.articles} --reps {args.reps} --long-sets {args.long_sets}`.",
        f"Machine: {header}.",
        f"Versions: {versions()}.",
        f"Rules: all {len(rules)} built-in rules, default settings: {', '.join(rules)}.",
        "",
        f"Corpus: {args.articles} generated Markdown articles, {corpus_words:,} words. Median of {args.reps} repetitions, commands alternating.",
        "",
        "| command | wall (s) | words/s | peak RSS, process tree (MB) | vs proselint | vs spaCy floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in runs.items():
        if name == "healthlint (warm cache)":
            continue
        label = f"healthlint (default --jobs = {jobs})" if name == "healthlint" else name
        lines.append(f"| {label} | {r.wall:.2f} | {rate[name]:,.0f} | {r.peak_mb:.0f} | {rate[name] / rate['proselint']:.2f}x | {rate[name] / rate['spaCy floor']:.2f}x |")
    lines += [
        "",
        f"Warm cache (second run, unchanged corpus): {warm.wall:.2f} s = {warm.wall / hl.wall:.1%} of the cold run ({hl.wall:.2f} s).",
        f"Each repetition on its own (commands run back to back), healthlint / proselint: {', '.join(f'{p / h:.2f}x' for h, p in zip(hl.walls, pl.walls))}.",
        f"Per core: healthlint --jobs 1 {rate['healthlint --jobs 1']:,.0f} words/s = {rate['healthlint --jobs 1'] / rate['spaCy floor']:.2f}x the floor (one process); "
        f"default --jobs {rate['healthlint'] / jobs:,.0f} words/s per core = {rate['healthlint'] / jobs / rate['spaCy floor']:.2f}x the floor.",
        "",
        "Cold start, one short Markdown file (median wall):",
        "",
        "| command | wall (s) | peak RSS (MB) |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| `{name}` | {r.wall:.2f} | {r.peak_mb:.0f} |" for name, r in starts.items()]
    spacy_start = starts["python -c \"import spacy; spacy.blank('en')\""].wall
    hl_start = starts["healthlint"].wall
    lines += ["", f"healthlint cold start - spaCy import and blank('en') = {hl_start - spacy_start:+.2f} s.", ""]
    lines += ["Scale, analysis only (in one process, start-up excluded):", "", "| set | words | words/s |", "| --- | ---: | ---: |"]
    base = scaled["1k"]["words_per_s"]
    for name, value in scaled.items():
        label = "50 articles of 1k words" if name == "1k" else f"one article of {name} words"
        lines.append(f"| {label} | {value['words']:,} | {value['words_per_s']:,.0f} ({value['words_per_s'] / base:.0%} of 1k) |")
    largest = list(scaled)[-1]
    checks = [
        ("throughput >= 3x proselint", rate["healthlint"] / rate["proselint"] >= 3, f"{rate['healthlint'] / rate['proselint']:.2f}x"),
        ("per core >= 0.5x spaCy floor", rate["healthlint --jobs 1"] / rate["spaCy floor"] >= 0.5, f"{rate['healthlint --jobs 1'] / rate['spaCy floor']:.2f}x (--jobs 1)"),
        ("cold start <= 1.5 s", hl_start <= 1.5, f"{hl_start:.2f} s"),
        ("cold start <= spaCy + 0.5 s", hl_start - spacy_start <= 0.5, f"{hl_start - spacy_start:+.2f} s"),
        ("warm cache <= 10% of cold", warm.wall <= 0.1 * hl.wall, f"{warm.wall / hl.wall:.1%}"),
        ("peak RSS --jobs 1 <= 500 MB", one.peak_mb <= 500, f"{one.peak_mb:.0f} MB"),
        (f"{largest} words/s >= 70% of 1k (target: 50k)", scaled[largest]["words_per_s"] >= 0.7 * base, f"{scaled[largest]['words_per_s'] / base:.0%}"),
    ]
    lines += ["", "| target | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {name} | {value} | {'yes' if ok else 'NO'} |" for name, ok, value in checks]
    lines += ["", *[f"Note: {note}." for note in notes]] if notes else []
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="healthlint vs proselint vs the spaCy floor")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--results", type=Path, default=HERE / "results.md")
    parser.add_argument("--long-sets", default="1k,5k,20k,50k", help="Long-article sets to time (comma-separated; 1k first).")
    args = parser.parse_args()
    header = machine()
    os.environ["HEALTHLINT_BENCH_COMMIT"] = snapshot(args.out)
    corpus, long_set, config, small = prepare(args.out, args.articles)
    rules = rule_ids(config)
    print(f"throughput on {corpus}", file=sys.stderr)
    notes: list[str] = []
    runs = throughput(corpus, config, args.out, args.reps, notes)
    print("cold start", file=sys.stderr)
    starts = cold_start(config, small, max(5, args.reps))
    print("scale", file=sys.stderr)
    scaled = scale(long_set, config, args.reps, args.long_sets.split(","))
    text = report(args, count_words(corpus), runs, starts, scaled, rules, header, notes)
    args.results.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
