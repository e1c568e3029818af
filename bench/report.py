"""The terminal table: every figure of a run (the JSON has them all), with ratios to the
baseline and a target column saying met or MISSED."""

from __future__ import annotations

import math
from typing import Any

from bench.engines import BASELINE, ENGINES, OURS
from bench.queries import CLASSES
from bench.targets import _get, end_to_end_docs_per_s, index_ratio
from indexer.settings import Settings

NA = "n/a"
NOT_YET = "n/a (not yet available)"


def num(value: Any, spec: str = ".1f", unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NA
    return f"{value:{spec}}{unit}"


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    line = lambda cells: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()
    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _engines(results: dict[str, Any]) -> list[str]:
    return list(ENGINES)


def _cell(results: dict[str, Any], corpus: str, engine: str, fn: Any) -> str:
    entry = _get(results, corpus, engine)
    if entry and entry.get("missing"):
        return entry["missing"]
    return fn(entry or {})


def _ratio(a: float | None, b: float | None, spec: str = ".2f") -> str:
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return NA
    return f"{a / b:{spec}}x"


def header(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    load = ", ".join(f"{x:.1f}" for x in m["load_average_at_start"])
    lines = [f"bronzoeker bench ({results['profile']['name']}) {results['started_utc']}, "
             f"git {m['git_commit']}, {results.get('wall_seconds', NA)} s",
             f"machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB, Python {m['python']}, "
             f"load average at start {load} (other work on the machine slows every engine alike)"]
    for name, info in (results.get("engines") or {}).items():
        lines.append(f"  {name}: {info['missing'] or info['version']}")
    return lines


def corpora_lines(results: dict[str, Any]) -> list[str]:
    c = results["corpora"]
    real, scaled = c["real"], c.get("scaled") or {}
    return [f"real: {real['documents']:,} KOOP XMLs ({real['text_mb']} MB text, {real['mean_words']} words/doc "
            f"on average), {real['failed']} failed to extract",
            f"scaled: {scaled.get('documents', 0):,} docs = {scaled.get('real', 0):,} real + "
            f"{scaled.get('generated', 0):,} generated from {scaled.get('paragraph_pool', 0):,} real paragraphs "
            f"(real + bundled corpus), {scaled.get('words_per_generated_doc', ['?', '?'])[0]}-"
            f"{scaled.get('words_per_generated_doc', ['?', '?'])[1]} words each, seed {scaled.get('seed')}"]


def extraction_lines(results: dict[str, Any]) -> list[str]:
    e = results.get("extraction") or {}
    d = results.get("demo_crawl") or {}
    engines = ", ".join(f"{k} {num(v, '.0f')}" for k, v in (e.get("pdf_engines_pages_per_s") or {}).items())
    by_engine = ", ".join(f"{k} {num(v, '.0f')}" for k, v in (e.get("pdf_extract_pages_per_s_by_engine") or {}).items())
    rows = [["KOOP XML, extract() in-process", f"{num(e.get('xml_docs_per_s'), '.0f')} docs/s",
             f"sample of {e.get('xml_sample')}"],
            ["KOOP XML, extract_guarded (crawl path)", f"{num(e.get('xml_guarded_docs_per_s'), '.0f')} docs/s",
             f"sample of {e.get('xml_guarded_sample')}"],
            ["PDF, extract() (OCR off)", f"{num(e.get('pdf_pages_per_s'), '.0f')} pages/s",
             f"{e.get('pdf_files')} bundled PDFs, {e.get('pdf_pages')} pages; raw engines: {engines}"],
            ["PDF, extract() per engine (OCR off)", by_engine or NA, "pages/s, the whole extraction"],
            ["HTML, extract()", f"{num(e.get('html_docs_per_s'), '.0f')} docs/s", f"{e.get('html_files')} bundled"],
            ["`make demo` crawl (corpus/demo.toml)", num(d.get("seconds"), ".1f", " s"),
             _absent(d) or f"{d.get('docs')} docs, {d.get('failed')} failed, "
                           f"peak {num(d.get('peak_rss_mb'), '.0f')} MB"]]
    return table(["extraction", "figure", "notes"], rows)


def ingest_lines(results: dict[str, Any]) -> list[str]:
    """End-to-end ingest (files in, searchable index out) per engine, 1 worker and all cores."""
    figures = results.get("ingest") or {}
    runs, pool = figures.get("runs") or {}, figures.get("pool_size", 1)
    if not runs:
        return [f"end-to-end ingest: {_absent(figures) or NOT_YET}"]
    rate = lambda engine, n: (runs.get(f"{engine}/{n}") or {}).get("docs_per_s")  # noqa: E731
    rows = [[engine, *(num(rate(engine, n), ".0f") for n in (1, pool)),
             " / ".join(num((runs.get(f"{engine}/{n}") or {}).get("peak_rss_mb"), ".0f") for n in (1, pool)),
             " / ".join(num((runs.get(f"{engine}/{n}") or {}).get("worker_peak_rss_mb"), ".0f") for n in (1, pool)),
             " / ".join(_cpu_split(runs.get(f"{engine}/{n}") or {}) for n in (1, pool))]
            for engine in ("bronzoeker", "fts5")]
    ratios = figures.get("ratios") or {}
    rows.append(["ours/baseline", *(num(ratios[str(n)], ".2f") + "x" if ratios.get(str(n)) is not None
                                    else _ratio(rate("bronzoeker", n), rate("fts5", n)) for n in (1, pool)), "", "", ""])
    rounds = figures.get("rounds") or []
    return [f"end-to-end ingest of the real XMLs ({figures.get('files'):,} files -> searchable index, extraction "
            "included): bronzoeker = `indexer crawl` of a folder (guarded extraction workers, document store, "
            "index, crawl state); fts5 = extract() in the same number of processes + FTS5 inserts"
            + (f"; {len(rounds)} rounds, each engine's median run, the median of the rounds' ratios"
               if len(rounds) > 1 else ""),
            *table(["engine", "docs/s, 1 worker", f"docs/s, {pool} workers", "peak RSS MB (1 / N)",
                    "largest child MB (1 / N)", "CPU ms/doc own+workers (1 / N)"], rows),
            *([_rounds_line(rounds, pool)] if len(rounds) > 1 else [])]


def _rounds_line(rounds: list[dict[str, float]], pool: int) -> str:
    """Every round's docs/s, ours against the baseline, 1 worker and all cores."""
    pairs = [" / ".join(f"{num(one.get(f'bronzoeker/{n}'), '.0f')} vs {num(one.get(f'fts5/{n}'), '.0f')}"
                        for n in (1, pool)) for one in rounds]
    return f"rounds (docs/s ours vs fts5, 1 / {pool} workers): " + "; ".join(pairs)


def _cpu_split(run: dict[str, Any]) -> str:
    return f"{num(run.get('cpu_ms_per_doc'), '.2f')}+{num(run.get('workers_cpu_ms_per_doc'), '.2f')}"


def catalogue_lines(results: dict[str, Any]) -> list[str]:
    """The PostgreSQL catalogue (#19): crawl workers against the embedded crawl of the same
    PDFs (the baseline), catalogue writes, and a search node's build rate and follow lag."""
    figures = results.get("catalogue") or {}
    if "extraction" not in figures:
        return [f"PostgreSQL catalogue: {_absent(figures) or NOT_YET}"]
    base = (figures.get("embedded") or {}).get("documents_per_s")
    crawls = [("embedded crawl (baseline, no catalogue)", figures.get("embedded") or {})]
    crawls += [(f"catalogue, {run['workers']} worker(s)", run) for run in figures["extraction"]]
    rows = [[name, str(run.get("documents")), num(run.get("seconds"), ".1f"), num(run.get("documents_per_s"), ".2f"),
             _ratio(run.get("documents_per_s"), base)] for name, run in crawls]
    writes, node = figures.get("catalogue_writes") or {}, figures.get("node") or {}
    return ["PostgreSQL catalogue (bundled Kamerstuk PDFs; a temporary PostgreSQL 15 on this machine: workers "
            "share its 2 cores, so this shows the cost of the catalogue, not the gain of more machines)",
            *table(["crawl", "documents", "seconds", "docs/s", "vs baseline"], rows),
            f"catalogue writes: {writes.get('one_per_transaction_per_s')} docs/s one per transaction, "
            f"{writes.get('hundred_per_transaction_per_s')} docs/s 100 per transaction; new node builds at "
            f"{node.get('node_build_per_s')} docs/s; follow lag (commit -> searchable) median "
            f"{node.get('follow_lag_median_s')} s, p95 {node.get('follow_lag_p95_s')} s"]


def scale_lines(results: dict[str, Any]) -> list[str]:
    """The scale part: build and p95 per query class of our index and FTS5's on one larger corpus."""
    figures = results.get("scale") or {}
    if "documents" not in figures:
        return [f"scale: {_absent(figures) or NOT_YET}"]
    engines = [name for name in (OURS, BASELINE) if "build" in (figures.get(name) or {})]
    build = lambda name, key: (figures[name]["build"] or {}).get(key)  # noqa: E731
    rows = [["index MB", *(num(build(n, "index_bytes") / 1e6, ".0f") for n in engines)],
            ["index size / text", *(num(build(n, "index_to_text"), ".2f", "x") for n in engines)],
            ["build s (wall / CPU)", *(f"{num(build(n, 'seconds'), '.0f')} / {num(build(n, 'cpu_seconds'), '.0f')}"
                                       for n in engines)],
            ["peak RSS MB, build", *(num(build(n, "peak_rss_mb"), ".0f") for n in engines)]]
    for cls, title in CLASSES.items():
        rows.append([f"p95 ms (wall / CPU), {title}", *(_p95_cell(figures[n], cls) for n in engines)])
    return [f"scale: {figures['documents']:,} documents (bench/scaled.py)", *table(["", *engines], rows)]


def _p95_cell(engine: dict[str, Any], cls: str) -> str:
    figures = ((engine.get("queries") or {}).get("classes") or {}).get(cls, {})
    return f"{num(figures.get('p95_ms'), '.1f')} / {num(figures.get('p95_cpu_ms'), '.1f')}"


def indexing_lines(results: dict[str, Any], corpus: str) -> list[str]:
    engines = _engines(results)
    ours, base = _get(results, corpus, OURS, "build"), _get(results, corpus, BASELINE, "build")
    rate = lambda b: b["docs"] / b["seconds"] if b else None  # noqa: E731
    mbs = lambda b: b["text_bytes"] / 1e6 / b["seconds"] if b else None  # noqa: E731
    rows = [
        _row(results, corpus, engines, "docs/s, 1 process", lambda x: num(rate(x.get("build")), ".0f"),
             _ratio(rate(ours), rate(base))),
        _row(results, corpus, engines, "MB text/s, 1 process", lambda x: num(mbs(x.get("build")), ".2f"),
             _ratio(mbs(ours), mbs(base))),
        _row(results, corpus, engines, "index MB", lambda x: num((x.get("build") or {}).get("index_bytes", 0) / 1e6,
                                                               ".1f"),
             _ratio(ours and ours["index_bytes"], base and base["index_bytes"])),
        _row(results, corpus, engines, "index size / text", lambda x: num(index_ratio(x.get("build")), ".2f", "x"),
             ""),
        _row(results, corpus, engines, "peak RSS MB, build", lambda x: num((x.get("build") or {}).get("peak_rss_mb"),
                                                                         ".0f"), ""),
    ]
    if corpus == "real":
        rows[0][0] = "docs/s, 1 process (ours: crawl commits)"
        rows.insert(1, ["docs/s, all cores (ours: one commit)", *(_parallel_cell(results, e) for e in engines), ""])
        e2e = {e: end_to_end_docs_per_s(results, e) for e in engines}
        rows.append([*_row(results, corpus, engines, "end-to-end docs/s (extract+index)",
                           lambda x, e2e=e2e: "", "")[:1],
                     *(num(e2e[e], ".0f") if not _get(results, corpus, e, "missing") else
                       _get(results, corpus, e, "missing") for e in engines),
                     _ratio(e2e[OURS], e2e[BASELINE])])
    docs = (ours or {}).get("docs", 0)
    cached = " (build figures from the cached build of " + ours["built_utc"] + ")" if ours and ours.get("cached") else ""
    return [f"indexing, {corpus} corpus ({docs:,} docs){cached}",
            *table(["", *engines, "ours/baseline"], rows)]


def _parallel_cell(results: dict[str, Any], engine: str) -> str:
    entry = _get(results, "real", engine) or {}
    if entry.get("missing"):
        return entry["missing"]
    par = entry.get("build_parallel")
    if par:
        return f"{par['docs'] / par['seconds']:.0f} ({par['procs']} procs)"
    if ENGINES[engine].max_procs() <= 1:
        return "1 writer only"
    return "not run" if results["profile"].get("parallel_build") is False else NA


def _row(results: dict[str, Any], corpus: str, engines: list[str], label: str, fn: Any, ratio: str) -> list[str]:
    return [label, *(_cell(results, corpus, e, fn) for e in engines), ratio]


def latency_lines(results: dict[str, Any], corpus: str) -> list[str]:
    engines = _engines(results)
    rows = []
    for cls, title in CLASSES.items():
        cells = []
        for engine in engines:
            figures = _get(results, corpus, engine, "queries", "classes", cls)
            missing = _get(results, corpus, engine, "missing")
            cells.append(missing or (f"{num(figures['median_ms'], '.1f')} / {num(figures['p95_ms'], '.1f')}"
                                     if figures else NA))
        ours = _get(results, corpus, OURS, "queries", "classes", cls) or {}
        base = _get(results, corpus, BASELINE, "queries", "classes", cls) or {}
        rows.append([title, *cells, _ratio(ours.get("p95_ms"), base.get("p95_ms"), ".1f"),
                     f"{num(ours.get('mean_hits'), '.0f')} / {num(base.get('mean_hits'), '.0f')}"])
    n = results["queries"]["per_class"]
    return [f"query latency, {corpus} corpus: median / p95 ms over {n} queries per class, first page of 10 "
            "with highlighted snippets, each engine's files read once before (warm page cache, as "
            "`indexer serve` reads ours when it starts)",
            *table(["class", *engines, "p95 ours/baseline", "mean hits ours / baseline"], rows)]


def _absent(entry: dict[str, Any] | None) -> str | None:
    """Why a figure is missing: skipped, failed (see the notes) or not yet available."""
    if not entry:
        return NOT_YET
    if "skipped" in entry:
        return f"skipped ({entry['skipped']})"
    if "error" in entry:
        return "failed (see notes)"
    if "missing" in entry:
        return NOT_YET
    return None


def _server_line(s: dict[str, Any]) -> str:
    return (f"peak RSS {num(s['peak_rss_mb'], '.0f')} MB after {s['queries']} API queries (RSS after start "
            f"{num(s['rss_after_start_mb'], '.0f')} MB; own memory without mapped index pages, peak "
            f"{num(s.get('peak_anon_mb'), '.0f')} MB), HTTP median / p95 {num(s['http_median_ms'], '.1f')} / "
            f"{num(s['http_p95_ms'], '.1f')} ms, index in the page cache")


RELEVANCE_RUNS = {"bronzoeker": "bronzoeker", "plain": "plain analysis", "fts5": "FTS5 baseline"}


def _relevance_line(r: dict[str, Any]) -> str:
    parts = [f"{label} nDCG@10 {s['ndcg@10']:.3f}, recall@100 {s['recall@100']:.3f}, MRR {s['mrr']:.3f}"
             for key, label in RELEVANCE_RUNS.items() if (s := r.get(key))]
    return "; ".join(parts) + f" ({r['bronzoeker']['queries']} queries, {r['judgments']})"


def _result_sets_line(r: dict[str, Any]) -> str:
    sets = [f"{name} P {s['precision']:.3f} R {s['recall']:.3f}" for name, s in r.items()
            if isinstance(s, dict) and "precision" in s]
    known = r.get("known_items", {})
    mrr = [f"{name} " + "/".join(f"{kind} {f['mrr']:.2f}" for kind, f in kinds.items())
           for name, kinds in known.items() if name in ("bronzoeker", "fts5_plain_and", "fts5_stemmed_or")]
    zero = {kind: f["zero_results"] for kind, f in known.get("bronzoeker", {}).items()}
    return (f"{'; '.join(sets)} ({r['documents']} docs); known-item MRR {'; '.join(mrr)}; "
            f"bronzoeker zero-result rate {zero}")


def _federation_line(f: dict[str, Any]) -> str:
    return (f"local {f['local_ms']} ms, fan-out local only {f['fanout_local_ms']} ms, federated "
            f"{f['federated_ms']} ms (medians): +{f['overhead_ms']} ms")


def _probe_line(probe: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v['median_ms']:.0f}/{v['p95_ms']:.0f}" for k, v in probe.items())


EXTRA_LINES = {
    "server": ("server (indexer serve, waitress, scaled index)", _server_line),
    "relevance": ("relevance (judged queries, demo corpus)", _relevance_line),
    "result_sets": ("result sets of 70 compound queries, known items (real corpus)", _result_sets_line),
    "federation": ("federation, one bronzoeker remote (scaled index) on 127.0.0.1", _federation_line),
    "latency_probe": ("latency probe (bench/latency_probe.py, scaled index, median/p95 ms)", _probe_line),
}


def extra_lines(results: dict[str, Any]) -> list[str]:
    lines = []
    for key, (title, render_line) in EXTRA_LINES.items():
        entry = results.get(key)
        lines.append(f"{title}: {_absent(entry) or render_line(entry)}")
    return lines


def target_lines(results: dict[str, Any]) -> list[str]:
    verdict = {True: "met", False: "MISSED", None: NA}
    rows = [[t["target"], t["figure"], verdict[t["met"]]] for t in results.get("targets", [])]
    return table(["target (bronzoeker vs baseline fts5)", "figure", "target"], rows)


def notes(results: dict[str, Any]) -> list[str]:
    batch = Settings().crawl.batch_size
    lines = ["notes: every engine gets the same extracted Documents; end-to-end in the indexing table = extraction "
             "at the measured in-process rate + indexing (the ingest table measures it: files in, index out, and "
             "the ingest target uses that when it ran). bronzoeker builds the real corpus with the crawl's DocumentWriter "
             f"(commit every {batch}), the scaled one with one commit (as `indexer index --rebuild`); 'all cores' "
             "for bronzoeker is Whoosh's procs=N multisegment writer on the project's schema, since DocumentWriter "
             f"is single-process; FTS5 has one writer. The crawl's commits every {batch} docs leave several Whoosh "
             "segments, and the real documents are short (per-document overhead weighs more), which is why the "
             "real-corpus index is larger relative to its text than the one-commit scaled index. FTS5 facets: "
             "one pass over the matching rows, counted in Python. Peak RSS is VmHWM of the child process of "
             "each job."]
    for name, message in (results.get("errors") or {}).items():
        lines.append(f"FAILED step {name}: {message}")
    return lines


def render(results: dict[str, Any]) -> str:
    """The whole table; a ``--only`` run shows the parts it ran (and the targets they feed)."""
    if "corpora" not in results:
        parts = [extraction_lines(results)] if "extraction" in results else []
        parts += [ingest_lines(results)] if "ingest" in results else []
        parts += [catalogue_lines(results)] if "catalogue" in results else []
        parts += [scale_lines(results)] if "scale" in results else []
        sections = [header(results), *parts, target_lines(results), notes(results)]
    else:
        sections = [header(results), corpora_lines(results), extraction_lines(results), ingest_lines(results),
                    indexing_lines(results, "real"), indexing_lines(results, "scaled"),
                    latency_lines(results, "real"), latency_lines(results, "scaled"),
                    extra_lines(results), catalogue_lines(results), target_lines(results), notes(results)]
    return "\n\n".join("\n".join(section) for section in sections)
