"""The bench's child process: builds one index or runs one query set, then reports JSON.

Run by :mod:`bench.runner` as ``python -m bench.worker '<json job>'`` so that every
build and every query run has its own process: its peak memory (ru_maxrss) is that of
the job alone, and one engine's caches never warm another's.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Iterator

from bench import stats, workdir
from bench.corpora import text_bytes
from bench.engines import ENGINES
from bench.queries import CLASSES, BenchQuery
from indexer.model import Document


class Counted:
    """Documents streamed through, counting them and their text bytes."""

    def __init__(self, docs: Iterator[Document]) -> None:
        self._docs = docs
        self.count = 0
        self.text_bytes = 0

    def __iter__(self) -> Iterator[Document]:
        for doc in self._docs:
            self.count += 1
            self.text_bytes += text_bytes(doc)
            yield doc


def build(job: dict[str, Any]) -> dict[str, Any]:
    engine = ENGINES[job["engine"]]
    path = Path(job["index"])
    docs = Counted(workdir.read_documents(Path(job["docs"]), job.get("limit")))
    started = time.perf_counter()
    notes = engine.build(docs, path, int(job.get("procs", 1)), int(job.get("batch_size", 0)))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "docs": docs.count, "text_bytes": docs.text_bytes,
            "index_bytes": workdir.dir_size(path), "peak_rss_mb": stats.peak_rss_mb(), **notes}


def query(job: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    warmed = workdir.read_all(Path(job["index"]))  # every engine starts from a warm page cache
    warm_seconds = time.perf_counter() - started
    searcher = ENGINES[job["engine"]].open(Path(job["index"]))
    queries = [BenchQuery.from_dict(q) for q in json.loads(Path(job["queries"]).read_text())]
    for warm in queries[: int(job.get("warmup", 0))]:
        searcher.run(warm)
    per_class: dict[str, dict[str, Any]] = {}
    for cls in CLASSES:
        per_class[cls] = _run_class(searcher, [q for q in queries if q.cls == cls])
    searcher.close()
    return {"classes": per_class, "peak_rss_mb": stats.peak_rss_mb(),
            "page_cache": {"read_mb": round(warmed / 1e6, 1), "seconds": round(warm_seconds, 1)}}


def _run_class(searcher: Any, queries: list[BenchQuery]) -> dict[str, Any]:
    times, cpu, totals, first_right, snippets = [], [], [], 0, 0
    for bench_query in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        outcome = searcher.run(bench_query)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)  # on a shared machine the CPU time is the steadier figure
        totals.append(outcome.total)
        snippets += outcome.snippets
        first_right += outcome.first_canonical == bench_query.words[0]
    return {"n": len(queries), "median_ms": stats.median_ms(times), "p95_ms": stats.p95_ms(times),
            "p95_cpu_ms": stats.p95_ms(cpu),
            "mean_hits": sum(totals) / len(totals) if totals else 0, "zero_hit_queries": totals.count(0),
            "snippets_marked": snippets, "first_hit_is_identifier": first_right}


def crawl(job: dict[str, Any]) -> dict[str, Any]:
    """The `make demo` crawl: every source of the config into a fresh data directory."""
    from indexer.config import load_config
    from indexer.pipeline import run_crawl

    started = time.perf_counter()
    summary = run_crawl(load_config(job["config"]), Path(job["data"]), log=lambda line: None)
    seconds = time.perf_counter() - started
    sources = summary.sources
    return {"seconds": seconds, "docs": sum(s.new + s.changed + s.unchanged for s in sources),
            "failed": sum(s.failed for s in sources), "sources": len(sources),
            "index_bytes": workdir.dir_size(Path(job["data"])), "peak_rss_mb": stats.peak_rss_mb()}


def ingest(job: dict[str, Any]) -> dict[str, Any]:
    from bench.ingest import ingest as run_ingest

    return run_ingest(job)


JOBS = {"build": build, "query": query, "crawl": crawl, "ingest": ingest}


def main(argv: list[str]) -> None:
    job = json.loads(argv[0])
    print(json.dumps(JOBS[job["kind"]](job)))


if __name__ == "__main__":
    main(sys.argv[1:])
