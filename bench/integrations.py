"""Figures from other parts of the project, used when they exist in this checkout:
relevance on the judged query set (indexer.index.eval), the latency probe
(bench/latency_probe.py), and the added latency of federation (bench/federation_overhead.py).
Missing parts give None, which the report prints as "n/a (not yet available)"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import workdir
from bench.federation_overhead import measure_overhead
from bench.latency_probe import latency_probe as probe
from bench.relevance import fts5_relevance
from indexer.federation.model import RemoteConfig
from indexer.index import open_backend

JUDGMENTS = workdir.PROJECT_DIR / "tests" / "judgments" / "demo.json"
COMPOUND_QUERIES = workdir.PROJECT_DIR / "tests" / "judgments" / "compound-queries.json"


def relevance(data_dir: Path) -> dict[str, Any] | None:
    """nDCG@10, recall@100 and MRR of bronzoeker and of its plain-analysis baseline."""
    try:
        from indexer.index.eval import evaluate, load_judgments, plain_baseline
    except ImportError:
        return None
    if not JUDGMENTS.exists():
        return None
    judged = load_judgments(JUDGMENTS)
    backend = open_backend(data_dir)
    try:
        figures = {"judgments": JUDGMENTS.relative_to(workdir.PROJECT_DIR).as_posix(),
                   "bronzoeker": evaluate(backend, judged).summary()}
    finally:
        backend.close()  # type: ignore[attr-defined]
    with plain_baseline(data_dir) as plain:
        figures["plain"] = evaluate(plain, judged).summary()
    figures["fts5"] = fts5_relevance(data_dir, judged)
    return figures


def result_sets(data_dir: Path) -> dict[str, Any] | None:
    """Whole result sets of the compound queries and known-item MRR on the real (bulk) index,
    beside the schema-4 analysis and FTS5 (indexer eval --result-sets)."""
    try:
        from indexer.index.resultset_run import result_set_report
    except ImportError:
        return None
    return result_set_report(data_dir, COMPOUND_QUERIES) if COMPOUND_QUERIES.exists() else None


def latency_probe(data_dir: Path) -> dict[str, Any] | None:
    backend = open_backend(data_dir)
    try:
        return probe(backend, repeat=3)
    finally:
        backend.close()  # type: ignore[attr-defined]


def federation_overhead(data_dir: Path, remote_url: str, queries: list[str]) -> dict[str, Any] | None:
    """Local-only vs federated with one bronzoeker remote (a real server on 127.0.0.1)."""
    remote = RemoteConfig(name="bench-remote", kind="bronzoeker", url=remote_url)
    backend = open_backend(data_dir)
    try:
        return measure_overhead(backend, [remote], queries, repeat=3)
    finally:
        backend.close()  # type: ignore[attr-defined]
