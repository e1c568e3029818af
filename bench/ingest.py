"""End-to-end ingest of the real XMLs: files in, a searchable index out, extraction included.

bronzoeker: ``run_crawl`` of a folder source over the XMLs (guarded extraction, document
store, index commits, crawl state), with one extraction worker and with one per core.
SQLite FTS5: the same files extracted with ``indexer.extract.extract`` (in-process, or in a
process pool of the same size, results in file order) and inserted as
:mod:`bench.engines.fts5` does. Every run is its own child process: peak RSS is that
process's VmHWM; the largest extraction worker's peak is reported beside it. So is the CPU
time (user + sys) per document of the run's own process and of its workers together: on a
shared machine those hold up where docs/s do not. Both engines' code is imported before the
clock starts (FTS5's always was; the crawl's import of the index code, ~0.4 s, was timed).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import shutil
import time
from pathlib import Path
from typing import Any, Iterator

from bench import corpora, stats, workdir
from bench.engines.fts5 import Fts5Engine
from bench.runner import run_job
from indexer.config import load_config
from indexer.extract import ExtractionError, extract
from indexer.model import Document
from indexer.pipeline import run_crawl

ENGINES = ("bronzoeker", "fts5")


def ingest_figures(files: list[Path], rounds: int = 1) -> dict[str, Any]:
    """Both engines, each with one worker and with one per core, over the same files, in
    ``rounds`` rounds. Within a round the two engines run back to back for each worker count
    (who goes first alternates), so each pair meets the same machine: on a shared machine a
    lone run's docs/s moved by up to 2x between runs of the same code, and a median of pairs
    is less at the mercy of one slow minute than one pair. ``runs`` holds each
    engine's median run, ``ratios`` the median of the pairs' ratios (ours / FTS5), ``rounds``
    every run's docs/s."""
    folder = _linked_folder(files)
    pool = os.cpu_count() or 1
    every: dict[str, list[dict[str, Any]]] = {}
    for number in range(rounds):
        for workers in sorted({1, pool}):
            for engine in ENGINES if number % 2 == 0 else ENGINES[::-1]:
                every.setdefault(f"{engine}/{workers}", []).append(_run(engine, folder, workers))
    runs = {key: _median_run(found) for key, found in every.items()}
    ratios = {str(workers): _median_ratio(every[f"{ENGINES[0]}/{workers}"], every[f"{ENGINES[1]}/{workers}"])
              for workers in sorted({1, pool})}
    per_round = [{key: round(found[number]["docs_per_s"], 1) for key, found in every.items()}
                 for number in range(rounds)]
    return {"files": len(files), "pool_size": pool, "runs": runs, "ratios": ratios, "rounds": per_round}


def _run(engine: str, folder: Path, workers: int) -> dict[str, Any]:
    target = workdir.fresh(f"ingest-{engine}-{workers}")
    try:
        return run_job({"kind": "ingest", "engine": engine, "folder": str(folder), "workers": workers,
                        "target": str(target)})
    finally:
        shutil.rmtree(target, ignore_errors=True)


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median docs/s (the lower middle one of an even number)."""
    return sorted(runs, key=lambda run: run["docs_per_s"])[(len(runs) - 1) // 2]


def _median_ratio(ours: list[dict[str, Any]], base: list[dict[str, Any]]) -> float | None:
    """The median of the rounds' ratios ours / baseline (None when a baseline run made nothing)."""
    pairs = sorted(one["docs_per_s"] / other["docs_per_s"] for one, other in zip(ours, base, strict=True)
                   if other["docs_per_s"])
    return pairs[(len(pairs) - 1) // 2] if pairs else None


def _linked_folder(files: list[Path]) -> Path:
    """The files side by side in one folder (hard links: the folder source reads them as its own)."""
    folder = workdir.fresh("ingest-files") / "xml"
    folder.mkdir(parents=True)
    for path in files:
        os.link(path, folder / path.name)
    return folder


def ingest(job: dict[str, Any]) -> dict[str, Any]:
    """The worker job: one engine, one worker count; docs/s and memory."""
    folder, target, workers = Path(job["folder"]), Path(job["target"]), int(job["workers"])
    started, cpu_before = time.perf_counter(), _cpu_seconds()
    docs, failed = RUNNERS[job["engine"]](folder, target, workers)
    seconds = time.perf_counter() - started
    own, children = (after - before for after, before in zip(_cpu_seconds(), cpu_before, strict=True))
    per_doc = lambda cpu: round(cpu * 1000 / docs, 2) if docs else None  # noqa: E731
    return {"seconds": seconds, "docs": docs, "failed": failed, "workers": workers,
            "docs_per_s": docs / seconds if seconds else 0.0, "peak_rss_mb": stats.peak_rss_mb(),
            "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            "cpu_ms_per_doc": per_doc(own), "workers_cpu_ms_per_doc": per_doc(children),
            "index_bytes": workdir.dir_size(target)}


def _cpu_seconds() -> tuple[float, float]:
    """User + sys CPU seconds of this process and of its ended children (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _crawl(folder: Path, target: Path, workers: int) -> tuple[int, int]:
    config = target / "ingest.toml"
    config.write_text(f'[settings]\nextract_workers = {workers}\n\n[[source]]\nname = "{corpora.BULK_SOURCE}"\n'
                      f'kind = "folder"\npath = "{folder}"\n', encoding="utf-8")
    summary = run_crawl(load_config(config), target / "data", log=lambda line: None)
    return sum(s.new + s.changed for s in summary.sources), sum(s.failed for s in summary.sources)


def _fts5(folder: Path, target: Path, workers: int) -> tuple[int, int]:
    counts = {"docs": 0, "failed": 0}

    def documents() -> Iterator[Document]:
        for doc in _extracted(sorted(folder.glob("*.xml")), workers):
            counts["docs" if doc else "failed"] += 1
            if doc is not None:
                yield doc

    Fts5Engine().build(documents(), target / "fts5", 1, 0)
    return counts["docs"], counts["failed"]


def _extracted(paths: list[Path], workers: int) -> Iterator[Document | None]:
    if workers <= 1:
        yield from map(_extract_one, paths)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_extract_one, paths, chunksize=16)


def _extract_one(path: Path) -> Document | None:
    try:
        return extract(corpora.bulk_record(path))
    except ExtractionError:
        return None


RUNNERS = {"bronzoeker": _crawl, "fts5": _fts5}
