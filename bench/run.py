"""One bench run, step by step: corpora, extraction, the demo crawl and relevance, then
every engine on the real and on the scaled corpus (build in a child process, then the
query set in another), the real server, federation, and the targets.

Failures stay local: a step that fails is recorded with its reason and the run goes on.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from bench import corpora, integrations, scale, scaled, workdir
from bench.catalogue import catalogue_figures
from bench.engines import ENGINES, OURS
from bench.extraction import extraction_figures
from bench.ingest import ingest_figures
from bench.machine import machine_info
from bench.profiles import SEED, Profile
from bench.queries import CLASSES, BenchQuery, build_queries
from bench.runner import run_job
from bench.server import running_server, server_figures
from bench.targets import evaluate_targets
from indexer.settings import Settings

Log = Callable[[str], None]
DEMO_CONFIG = workdir.PROJECT_DIR / "corpus" / "demo.toml"
#: code an engine's index depends on, besides its own module (a change there rebuilds only that engine's)
SHARED_ENGINE_CODE = (workdir.BENCH_DIR / "engines" / "base.py", workdir.BENCH_DIR / "worker.py",
                      workdir.PROJECT_DIR / "indexer" / "index", workdir.PROJECT_DIR / "indexer" / "model.py")


@dataclass(frozen=True)
class Options:
    profile: Profile
    fresh: bool = False  # rebuild cached scaled indexes too
    only: tuple[str, ...] = ()  # run only these parts (names in PARTS or ON_REQUEST), e.g. ("ingest",)
    scale_docs: int = scale.DEFAULT_DOCUMENTS  # documents of the `scale` part's corpus


class Run:
    def __init__(self, options: Options, log: Log) -> None:
        self.options = options
        self.profile = options.profile
        self._log = log
        self._started = time.perf_counter()
        self.results: dict[str, Any] = {}

    def log(self, message: str) -> None:
        self._log(f"[{time.perf_counter() - self._started:7.1f} s] {message}")

    def step(self, name: str, action: Callable[[], Any]) -> Any:
        """Run one step; its failure is recorded under ``errors`` and yields None."""
        self.log(name)
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 - one failed step must not lose the others' figures
            self.results.setdefault("errors", {})[name] = f"{type(exc).__name__}: {exc}"
            self.log(f"  failed: {type(exc).__name__}: {exc}")
            return None

    def figure(self, key: str, name: str, action: Callable[[], Any]) -> None:
        """A step whose result is stored as ``results[key]``: its figures, or why there are none."""
        value = self.step(name, action)
        if value is None:
            failed = (self.results.get("errors") or {}).get(name)
            value = {"error": failed} if failed else {"missing": "not yet available"}
        self.results[key] = value


def run_bench(options: Options, log: Log = print) -> dict[str, Any]:
    run = Run(options, log)
    profile = options.profile
    results = run.results
    results.update({"started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "profile": vars(profile), "machine": machine_info()})
    if options.only:
        return _run_parts(run, options.only)
    run.log("real corpora: unpack and extract (cached)")
    bulk, real, bundled = _real_corpora(profile)  # everything below needs them: a failure here ends the run
    results["corpora"] = _corpus_info(real, bundled)
    for key, name, action in PARTS.values():
        run.figure(key, name, lambda action=action: action(bulk, profile))  # type: ignore[misc]
    if profile.demo_crawl:
        _demo_steps(run)
    else:
        results["demo_crawl"] = results["relevance"] = {"skipped": f"not in the {profile.name} profile"}
    queries = build_queries(list(workdir.read_documents(real.docs_path)), profile.queries_per_class, SEED)
    queries_path = workdir.WORK_DIR / f"queries-{real.key}-{profile.queries_per_class}.json"
    queries_path.write_text(json.dumps([q.to_dict() for q in queries], ensure_ascii=False, indent=1))
    results["queries"] = {"per_class": profile.queries_per_class, "classes": CLASSES,
                          "examples": {c: [" ".join(q.words) for q in queries if q.cls == c][:3] for c in CLASSES}}
    results["engines"] = {name: {"label": e.label, "version": e.version(), "missing": e.missing()}
                          for name, e in ENGINES.items()}
    real_dir = workdir.fresh("run-real")
    results["real"] = _corpus_runs(run, "real", real.docs_path, None, queries_path, real_dir)
    run.figure("result_sets", "result sets and known items (real corpus)",
               lambda: integrations.result_sets(real_dir / OURS))
    scaled_path, scaled_info = run.step("scaled corpus (cached)", lambda: scaled.scaled_corpus(
        real.docs_path, bundled.docs_path, workdir.key_of(real.key, bundled.key), profile.scaled_docs))
    results["corpora"]["scaled"] = scaled_info
    scaled_key = (f"scaled{profile.scaled_docs}", str(scaled_info["key"]))
    results["scaled"] = _corpus_runs(run, "scaled", scaled_path, scaled_key, queries_path, None)
    _server_steps(run, queries, real_dir / OURS)
    results["targets"] = evaluate_targets(results)
    results["finished_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    results["wall_seconds"] = round(time.perf_counter() - run._started, 1)
    return results


#: the parts ``--only`` can run on their own (they need the bulk XMLs or the bundled corpus, nothing else)
PARTS: dict[str, tuple[str, str, Callable[[list[Path], Profile], Any]]] = {
    "extraction": ("extraction", "extraction speed", lambda bulk, p: extraction_figures(
        bulk, p.extract_sample, p.guarded_sample, p.pdf_sample)),
    "ingest": ("ingest", "end-to-end ingest of the real XMLs, 1 worker and all cores",
               lambda bulk, p: ingest_figures(_chosen(bulk, p), p.ingest_rounds)),
    # the bundled PDFs and demo documents, not the bulk XMLs; a temporary PostgreSQL 15
    "catalogue": ("catalogue", "PostgreSQL catalogue: crawl workers, write rate, follow lag",
                  lambda bulk, p: catalogue_figures(500 if p.name == "quick" else 2000)),
}


#: parts only ``--only`` runs (a full `make bench` leaves them out: the scale part takes about an hour)
ON_REQUEST: dict[str, tuple[str, str, Callable[[list[Path], Options], Any]]] = {
    "scale": ("scale", "scale: our index and FTS5's on a corpus larger than 100,000 documents",
              lambda bulk, o: scale.scale_figures(bulk, o.profile, o.scale_docs, o.fresh)),
}


def _run_parts(run: Run, parts: tuple[str, ...]) -> dict[str, Any]:
    bulk = corpora.unpack_bulk()
    for part in parts:
        if part in ON_REQUEST:
            key, name, chosen = ON_REQUEST[part]
            run.figure(key, name, lambda chosen=chosen: chosen(bulk, run.options))  # type: ignore[misc]
            continue
        key, name, action = PARTS[part]
        run.figure(key, name, lambda action=action: action(bulk, run.profile))  # type: ignore[misc]
    run.results["targets"] = evaluate_targets(run.results)
    run.results["finished_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return run.results


def _chosen(bulk: list[Path], profile: Profile) -> list[Path]:
    """The real corpus: all bulk XMLs, or the profile's first ones."""
    return bulk[: profile.real_docs] if profile.real_docs else bulk


def _real_corpora(profile: Profile) -> tuple[list[Path], corpora.RealCorpus, corpora.RealCorpus]:
    bulk = corpora.unpack_bulk()
    chosen = _chosen(bulk, profile)
    return bulk, corpora.real_corpus(f"bulk{len(chosen)}", chosen, "bulk"), corpora.real_corpus(
        "bundled", corpora.bundled_files(), "bundled", ocr=False)


def _demo_steps(run: Run) -> None:
    demo_dir = workdir.fresh("demo-crawl") / "data"
    run.figure("demo_crawl", "`make demo` crawl of the bundled corpus", lambda: run_job(
        {"kind": "crawl", "config": str(DEMO_CONFIG), "data": str(demo_dir)}))
    run.figure("relevance", "relevance on the judged queries", lambda: integrations.relevance(demo_dir))


def _corpus_info(real: corpora.RealCorpus, bundled: corpora.RealCorpus) -> dict[str, Any]:
    words = text = count = 0
    for doc in workdir.read_documents(real.docs_path):
        words += len(doc.body.split())
        text += corpora.text_bytes(doc)
        count += 1
    return {"real": {"documents": count, "failed": real.failed, "text_mb": round(text / 1e6, 2),
                     "mean_words": round(words / max(count, 1)), "cached": real.cached,
                     "source": "bench/data/kst-moties-2024-2025-xml.tar.gz"},
            "bundled": {"documents": bundled.count, "failed": bundled.failed, "cached": bundled.cached}}


def _corpus_runs(run: Run, label: str, docs: Path, cache_key: tuple[str, str] | None, queries: Path,
                 run_dir: Path | None) -> dict[str, Any]:
    """Every available engine: build (cached when ``cache_key``), parallel build, query set."""
    figures: dict[str, Any] = {}
    for name, engine in ENGINES.items():
        if engine.missing():
            figures[name] = {"missing": engine.missing()}
            continue
        index = run.step(f"{label}: {name} build", lambda n=name: _build(run, n, docs, cache_key, run_dir))
        figures[name] = {"build": index[1] if index else None}
        if index and run_dir is not None and run.profile.parallel_build and engine.max_procs() > 1:
            figures[name]["build_parallel"] = run.step(
                f"{label}: {name} build, all cores", lambda n=name: _parallel_build(n, docs, run_dir))
        if index:
            figures[name]["queries"] = run.step(f"{label}: {name} queries", lambda n=name, i=index[0]: run_job(
                {"kind": "query", "engine": n, "index": str(i), "queries": str(queries),
                 "warmup": run.profile.warmup_queries}))
    return figures


def _engine_code(name: str) -> str:
    module = sys.modules[type(ENGINES[name]).__module__]
    return workdir.code_hash(Path(str(module.__file__)), *SHARED_ENGINE_CODE)


def _build(run: Run, name: str, docs: Path, cache_key: tuple[str, str] | None,
           run_dir: Path | None) -> tuple[Path, dict]:
    batch = Settings().crawl.batch_size if (name == OURS and cache_key is None) else 0
    job = {"kind": "build", "engine": name, "docs": str(docs), "procs": 1, "batch_size": batch}
    if cache_key is None:
        assert run_dir is not None
        path = run_dir / name
        return path, {**run_job({**job, "index": str(path)}), "index_path": str(path)}
    corpus, key = cache_key
    dirname = f"index-{name}-{corpus}-{workdir.key_of(key, _engine_code(name), batch)}"
    done = None if run.options.fresh else workdir.cached(dirname)
    if done is not None:
        return done / "index", {**workdir.completion_info(done), "cached": True}
    target = workdir.fresh(dirname)
    stats = {**run_job({**job, "index": str(target / "index")}), "index_path": str(target / "index"),
             "built_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    workdir.mark_complete(target, stats)
    return target / "index", {**stats, "cached": False}


def _parallel_build(name: str, docs: Path, run_dir: Path) -> dict[str, Any]:
    procs = os.cpu_count() or 1
    target = run_dir / f"{name}-procs{procs}"
    stats = run_job({"kind": "build", "engine": name, "docs": str(docs), "procs": procs,
                     "index": str(target)})
    shutil.rmtree(target, ignore_errors=True)
    return {**stats, "procs": procs}


def _server_steps(run: Run, queries: list[BenchQuery], real_index: Path) -> None:
    scaled_index = _scaled_index_of(run)
    if scaled_index is None:
        return
    sample = queries[:: max(1, len(queries) // run.profile.server_queries)][: run.profile.server_queries]
    run.figure("server", "server: peak memory under the query set", lambda: server_figures(scaled_index, sample))
    texts = [" ".join(q.words) for q in queries if q.cls in ("rare", "two_common")][:6]
    run.figure("federation", "federation: added latency", lambda: _federation(scaled_index, real_index, texts))
    run.figure("latency_probe", "latency probe (bench/latency_probe.py)", lambda: integrations.latency_probe(scaled_index))


def _scaled_index_of(run: Run) -> Path | None:
    build = (run.results.get("scaled") or {}).get(OURS, {}).get("build")
    if not build:
        return None
    return Path(build["index_path"]) if "index_path" in build else None


def _federation(remote_index: Path, local_index: Path, texts: list[str]) -> dict[str, Any] | None:
    with running_server(remote_index) as (_process, url):
        return integrations.federation_overhead(local_index, url, texts)
