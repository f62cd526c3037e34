"""Linting many files: the result cache, then worker processes for the misses, results in input order.

Where processes fork (Linux), the first file is linted here before forking, so the workers inherit
the built spaCy pipeline and the loaded lexicon; elsewhere each worker builds them once, on its first
file. Workers lint chunks of files. A Python exception in one file's analysis is already an error entry (engine.py); a
worker that dies outright breaks the pool, so the files that were in flight are re-run one at a time
in a one-worker pool to find the file that kills it, which gets an error entry; the rest go on.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .cache import ResultCache
from .engine import FileResult, Linter
from .finding import FileError, Finding
from .source import ReadError, Source, read_source

if TYPE_CHECKING:
    from concurrent.futures import Future

MIN_FILES_PER_WORKER = 4
MAX_CHUNK = 16
Outcome = tuple[list[Finding], list[FileError]]

_worker_linter: Linter | None = None
_worker_cache: ResultCache | None = None


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def lint_paths(linter: Linter, items: Iterable[Path | FileError], jobs: int = 1, cache: ResultCache | None = None) -> list[FileResult]:
    """Lint files (discovery errors pass through) and return one FileResult per item, in order."""
    results: list[FileResult] = []
    todo: list[tuple[int, Source]] = []
    for index, item in enumerate(items):
        result, source = _prepare(item, cache)
        results.append(result)
        if source is not None:
            todo.append((index, source))
    outcomes = analyse_sources(linter, [source for _, source in todo], jobs, cache)
    for (index, source), (findings, errors) in zip(todo, outcomes):
        results[index] = FileResult(source.path, findings, errors, source)
    return results


def _prepare(item: Path | FileError, cache: ResultCache | None) -> tuple[FileResult, Source | None]:
    """A finished result (discovery or read error, cache hit), or a placeholder and the source to lint."""
    if isinstance(item, FileError):
        return FileResult(item.path, errors=[item]), None
    try:
        source = read_source(item)
    except ReadError as error:
        return FileResult(str(item), errors=[FileError(str(item), str(error))]), None
    findings = cache.load(source) if cache is not None else None
    if findings is None:
        return FileResult(source.path, source=source), source
    return FileResult(source.path, findings, [], source), None


def analyse_sources(linter: Linter, sources: list[Source], jobs: int, cache: ResultCache | None = None) -> list[Outcome]:
    """Findings and errors per source, in order: in this process, or in `jobs` worker processes.
    Each result without errors is stored in `cache` where it was computed (so in parallel)."""
    workers = min(jobs, len(sources) // MIN_FILES_PER_WORKER)
    if workers <= 1:
        return [_analyse(linter, source, cache) for source in sources]
    pool = _Pool(linter, cache, workers)
    if not pool.forks:
        return pool.run(sources)
    first = _analyse(linter, sources[0], cache)  # builds the pipeline and loads the lexicon once, before forking
    gc.freeze()  # the workers' collections then skip the inherited objects (and do not copy their pages)
    return [first, *pool.run(sources[1:])]


def lint_one(linter: Linter, source: Source) -> Outcome:
    """Lint one decoded file; any exception becomes an error entry for that file."""
    try:
        result = linter.lint_source(source, config_path=Path(source.path))
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the run
        return [], [FileError(source.path, f"could not analyse: {type(error).__name__}: {error}")]
    return result.findings, result.errors


def _analyse(linter: Linter, source: Source, cache: ResultCache | None) -> Outcome:
    outcome = lint_one(linter, source)
    if cache is not None and not outcome[1]:
        cache.store(source, outcome[0])
    return outcome


def _init_worker(linter: Linter, cache: ResultCache | None) -> None:
    """Each worker keeps one Linter (its pipeline, nlp.build_pipeline, is inherited or built once) and the cache."""
    global _worker_linter, _worker_cache
    _worker_linter, _worker_cache = linter, cache


def _lint_chunk(sources: list[Source]) -> list[Outcome]:
    assert _worker_linter is not None
    return [_analyse(_worker_linter, source, _worker_cache) for source in sources]


class _Pool:
    """Runs chunks of sources in worker processes, a bounded number in flight, surviving worker deaths."""

    def __init__(self, linter: Linter, cache: ResultCache | None, workers: int) -> None:
        self.linter = linter
        self.cache = cache
        self.workers = workers
        self.forks = "fork" in multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork") if self.forks else None

    def run(self, sources: list[Source]) -> list[Outcome]:
        size = max(1, min(MAX_CHUNK, len(sources) // (self.workers * 8)))
        chunks = [list(range(start, min(start + size, len(sources)))) for start in range(0, len(sources), size)]
        outcomes: dict[int, Outcome] = {}
        suspects: list[int] = []
        while chunks:
            chunks, broken = self._round(chunks, sources, outcomes, self.workers, self.workers * 2)
            suspects += broken
        isolate = [[index] for index in suspects]
        while isolate:
            isolate, broken = self._round(isolate, sources, outcomes, 1, 1)
            for index in broken:
                message = "could not analyse: the worker process died while linting this file"
                outcomes[index] = ([], [FileError(sources[index].path, message)])
        return [outcomes[index] for index in range(len(sources))]

    def _round(self, chunks: list[list[int]], sources: list[Source], outcomes: dict[int, Outcome], workers: int, window: int) -> tuple[list[list[int]], list[int]]:
        """Run chunks (at most `window` in flight) until done or the pool breaks;
        returns (chunks not started, indexes in flight when it broke)."""
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        queue = list(reversed(chunks))
        running: dict["Future", list[int]] = {}
        with ProcessPoolExecutor(workers, mp_context=self.context, initializer=_init_worker, initargs=(self.linter, self.cache)) as pool:
            while queue or running:
                while queue and len(running) < window:
                    try:  # a worker may die while chunks are still being handed out
                        running[pool.submit(_lint_chunk, [sources[i] for i in queue[-1]])] = queue[-1]
                    except BrokenProcessPool:
                        return list(reversed(queue)), [i for c in running.values() for i in c]
                    queue.pop()
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    chunk = running.pop(future)
                    try:
                        outcomes.update(zip(chunk, future.result()))
                    except BrokenProcessPool:
                        in_flight = [i for c in [chunk, *running.values()] for i in c]
                        return list(reversed(queue)), in_flight
                    except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be sent back
                        message = f"could not analyse: {type(error).__name__}: {error}"
                        outcomes.update((i, ([], [FileError(sources[i].path, message)])) for i in chunk)
        return [], []
