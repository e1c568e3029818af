"""The scale part (``python -m bench --only scale [--scaled N]``): our index and FTS5's (the
baseline) built from a generated corpus larger than the full profile's 100,000 documents, with
index size, build time (wall and CPU) and peak RSS, then the bench's query set against each.

These are the measured points docs/scaling.md extrapolates from. The corpus is made by
:mod:`bench.scaled` (real documents first, then generated ones of real paragraphs); each build
and each query set runs in its own child process, as in the rest of the bench. A build is
cached in bench/work by the corpus key and the engine's code, so a query run after a merge of
query-side code need not build again (``--fresh`` builds anyway).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench import corpora, scaled, workdir
from bench.engines import ENGINES
from bench.profiles import SEED, Profile
from bench.queries import build_queries
from bench.runner import run_job

DEFAULT_DOCUMENTS = 250_000
#: our engine and the baseline; tantivy is left out here to keep the run inside a shared machine's hour
SCALE_ENGINES = ("bronzoeker", "fts5")
#: a 250,000-document build takes most of an hour on a busy 2-core machine
BUILD_TIMEOUT_S = 6 * 3600
ENGINE_CODE = (workdir.BENCH_DIR / "engines", workdir.BENCH_DIR / "worker.py",
               workdir.PROJECT_DIR / "indexer" / "index", workdir.PROJECT_DIR / "indexer" / "model.py")


def scale_figures(bulk: list[Path], profile: Profile, documents: int, fresh: bool = False) -> dict[str, Any]:
    """Build and query every engine of SCALE_ENGINES on ``documents`` scaled documents."""
    chosen = bulk[: profile.real_docs] if profile.real_docs else bulk
    real = corpora.real_corpus(f"bulk{len(chosen)}", chosen, "bulk")
    bundled = corpora.real_corpus("bundled", corpora.bundled_files(), "bundled", ocr=False)
    return scale_runs(real, bundled, profile, documents, fresh)


def scale_runs(real: corpora.RealCorpus, bundled: corpora.RealCorpus, profile: Profile, documents: int,
               fresh: bool = False) -> dict[str, Any]:
    """The scaled corpus of ``documents`` made from ``real`` and ``bundled``, each engine built
    (or taken from the cache) and queried."""
    queries = _queries_file(real, profile.queries_per_class)
    docs, info = scaled.scaled_corpus(real.docs_path, bundled.docs_path,
                                      workdir.key_of(real.key, bundled.key), documents)
    figures: dict[str, Any] = {"documents": documents, "corpus": info}
    for name in SCALE_ENGINES:
        missing = ENGINES[name].missing()
        if missing:
            figures[name] = {"missing": missing}
            continue
        build = _build(name, docs, f"scaled{documents}-{info['key']}", fresh)
        figures[name] = {"build": build, "queries": _queries(name, Path(build["index_path"]), queries, profile)}
    return figures


def _queries_file(real: corpora.RealCorpus, per_class: int) -> Path:
    """The same query set the main bench asks (drawn from the real corpus with the fixed seed)."""
    path = workdir.WORK_DIR / f"queries-{real.key}-{per_class}.json"
    if not path.exists():
        queries = build_queries(list(workdir.read_documents(real.docs_path)), per_class, SEED)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([q.to_dict() for q in queries], ensure_ascii=False, indent=1))
    return path


def _build(name: str, docs: Path, corpus_key: str, fresh: bool) -> dict[str, Any]:
    engine_code = workdir.code_hash(Path(str(sys.modules[type(ENGINES[name]).__module__].__file__)), *ENGINE_CODE)
    dirname = f"scale-index-{name}-{corpus_key.split('-')[0]}-{workdir.key_of(corpus_key, engine_code)}"
    done = None if fresh else workdir.cached(dirname)
    if done is not None:
        return {**workdir.completion_info(done), "cached": True}
    target = workdir.fresh(dirname)
    job = {"kind": "build", "engine": name, "docs": str(docs), "procs": 1, "batch_size": 0,
           "index": str(target / "index")}
    stats = {**_with_cpu(job, BUILD_TIMEOUT_S), "index_path": str(target / "index"),
             "built_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    stats["index_to_text"] = round(stats["index_bytes"] / max(stats["text_bytes"], 1), 2)
    workdir.mark_complete(target, stats)
    return {**stats, "cached": False}


def _queries(name: str, index: Path, queries: Path, profile: Profile) -> dict[str, Any]:
    return _with_cpu({"kind": "query", "engine": name, "index": str(index), "queries": str(queries),
                      "warmup": profile.warmup_queries}, BUILD_TIMEOUT_S)


def _with_cpu(job: dict[str, Any], timeout: float) -> dict[str, Any]:
    """A worker job's report plus the CPU seconds (user + sys) its process used: on a shared
    machine the CPU time says more than the wall clock."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = run_job(job, timeout=timeout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**report, "cpu_seconds": round(cpu, 1)}
