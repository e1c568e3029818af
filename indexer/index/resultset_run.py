"""One run of the result-set check (:mod:`indexer.index.resultset`) over a data directory:
bronzoeker, the rule-only analysis of schema 4 and SQLite FTS5, side by side.

The schema-4 baseline is a temporary index of the same stored documents whose Dutch fields
use :func:`indexer.index.analysis.dutch_stem_analyzer`, queried as schema 4 did: the tokens
of the word, alternatives at a shared position, positions ANDed (``mensenhandel`` ->
``(mensenhandel OR mensen) AND handel``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Callable

import numpy as np
from whoosh.fields import TEXT, Schema
from whoosh.query import And, Or, Query

from indexer.index.analysis import DutchStemFilter, dutch_stem_analyzer
from indexer.index.compound_query import by_position
from indexer.index.eval import reanalysed_copy
from indexer.index.knownitem import Fts5Rankers, backend_ranker, build_known_items, evaluate_known_items
from indexer.index.page_texts import indexed_documents
from indexer.index.query import DEFAULT_FIELDS, build_query
from indexer.index.resultset import fts5_sets, load_queries, measure, relevant_sets
from indexer.index.schema import build_schema
from indexer.index.search import WhooshBackend
from indexer.index.whoosh_compat import stem_function

QueryFn = Callable[[Schema, str], Query]


def result_set_report(data_dir: Path, queries_path: Path, baseline: bool = True) -> dict[str, Any]:
    """Pooled precision/recall of every engine on the compound queries of ``queries_path``."""
    queries = load_queries(queries_path)
    docs = list(indexed_documents(data_dir))
    relevant = relevant_sets(queries, docs)
    report: dict[str, Any] = {"documents": len(docs)}
    backend = WhooshBackend(data_dir)
    try:
        report["bronzoeker"] = measure(queries, _sets(backend, queries, build_query), relevant)
    finally:
        backend.close()
    if baseline:
        with schema4_baseline(data_dir) as legacy:
            report["schema4"] = measure(queries, _sets(legacy, queries, legacy_query), relevant)
        for name, found in fts5_sets(queries, docs).items():
            report[name] = measure(queries, found, relevant)
    report["known_items"] = known_item_report(data_dir, docs, baseline)
    return report


def known_item_report(data_dir: Path, docs: list, baseline: bool) -> dict[str, Any]:
    """MRR and zero-result rate per kind of the known-item queries built from ``docs``."""
    items = build_known_items(docs)
    backend = WhooshBackend(data_dir)
    try:
        rankers = {"bronzoeker": backend_ranker(backend)}
        fts5 = Fts5Rankers(docs, stem_function(DutchStemFilter())) if baseline else None
        rankers.update(fts5.rankers() if fts5 else {})
        report = evaluate_known_items(items, rankers)
    finally:
        backend.close()
    if fts5:
        fts5.close()
    return {"examples": {item.kind: item.query for item in items}, **report}


def print_result_sets(report: dict[str, Any], echo: Callable[[str], None]) -> None:
    """One line per engine: pooled precision and recall of the whole result sets."""
    echo(f"resultaatverzamelingen ({report['documents']} documenten):")
    for name, figures in report.items():
        if isinstance(figures, dict) and "precision" in figures:
            echo(f"  {name:12} {figures['queries']} vragen  precisie {figures['precision']:.3f}  "
                 f"recall {figures['recall']:.3f}  ({figures['returned']} gevonden, {figures['relevant']} te vinden)")
    print_known_items(report["known_items"], echo)


def print_known_items(report: dict[str, Any], echo: Callable[[str], None]) -> None:
    echo("bekende documenten (MRR, aandeel zonder resultaat):")
    for name, kinds in report.items():
        if name != "examples":
            echo(f"  {name:20} " + "  ".join(f"{kind} {f['mrr']:.3f}/{f['zero_results']:.2f} (n={f['queries']})"
                                             for kind, f in kinds.items()))


def legacy_query(schema: Schema, word: str) -> Query:
    """The word as schema 4 searched it: per field, its tokens by position, ANDed."""
    fields = []
    for name in DEFAULT_FIELDS:
        if name not in schema:
            continue
        tokens = [(t.pos, t.text) for t in schema[name].analyzer(word, mode="query", positions=True)]
        if tokens:
            clauses = by_position(name, tokens)
            fields.append(clauses[0] if len(clauses) == 1 else And(clauses))
    return Or(fields)


def schema4_baseline(data_dir: Path) -> AbstractContextManager[WhooshBackend]:
    """A backend over a temporary copy of the index analysed with the rule-only Dutch recipe."""
    return reanalysed_copy(data_dir, _stem_schema(), "schema4")


def _stem_schema() -> Schema:
    schema = build_schema()
    for name in ("title_nl", "body_nl"):
        boost = schema[name].format.field_boost
        schema.remove(name)
        schema.add(name, TEXT(analyzer=dutch_stem_analyzer(), field_boost=boost, phrase=True))
    return schema


def _sets(backend: WhooshBackend, queries: list, make: QueryFn) -> dict[str, set[str]]:
    view = backend.view()
    searcher = view.searcher
    ids = view.columns.ids(np.arange(searcher.doc_count_all(), dtype=np.int64))  # the id column (schema 12 stores none)
    found = {}
    for query in queries:
        docnums = np.flatnonzero(view.mask(make(searcher.schema, query.word)))
        found[query.word] = {ids[n] for n in docnums.tolist()}
    return found
