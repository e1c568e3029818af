"""Search quality: judged queries -> nDCG@10, recall@100, MRR.

A judgments file (JSON) lists queries with graded judgments made by reading the
documents: 3 exactly what was asked for, 2 relevant, 1 marginal, 0 not relevant
(unjudged documents count as 0). :func:`evaluate` runs every query through a
:class:`SearchBackend` and averages the measures; :func:`plain_baseline` builds, from
the same stored documents, a temporary index whose text fields are analysed plainly
(lowercase words: no stemming, no stop words, no compound splitting), so the gain of
the real analysis is measured in the same run. (Query speed per class is the
benchmark's: ``bench/latency_probe.py``.)
"""

from __future__ import annotations

import json
import math
import statistics
import tempfile
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from whoosh import index as whoosh_index
from whoosh.fields import TEXT, Schema

from indexer.docstore import open_store
from indexer.index import store
from indexer.index.backend import SearchBackend, SearchRequest
from indexer.index.page_texts import indexed_documents
from indexer.index.schema import SCHEMA_VERSION, build_schema, document_fields, plain_analyzer
from indexer.index.search import WhooshBackend

COPY_BATCH = 500  # documents per store transaction while a baseline copy is written
RELEVANT = 2  # grade from which a document counts as relevant for recall and MRR
NDCG_AT, RECALL_AT = 10, 100


@dataclass(frozen=True)
class Judged:
    query: str
    grades: Mapping[str, int]  # document id -> 0..3
    kind: str = ""  # compound, inflection, identifier, phrase, cross-language, ...
    language: str = "nl"


@dataclass(frozen=True)
class QueryScore:
    judged: Judged
    ndcg: float
    recall: float
    rr: float
    ranked: tuple[str, ...] = ()


@dataclass
class Report:
    scores: list[QueryScore] = field(default_factory=list)

    def mean(self, name: str) -> float:
        values = [getattr(s, name) for s in self.scores]
        return statistics.fmean(values) if values else 0.0

    def summary(self) -> dict[str, float]:
        return {"queries": len(self.scores), "ndcg@10": round(self.mean("ndcg"), 4),
                "recall@100": round(self.mean("recall"), 4), "mrr": round(self.mean("rr"), 4)}

    def by_kind(self) -> dict[str, dict[str, float]]:
        kinds: dict[str, Report] = {}
        for score in self.scores:
            kinds.setdefault(score.judged.kind or "other", Report()).scores.append(score)
        return {kind: report.summary() for kind, report in sorted(kinds.items())}


def load_judgments(path: Path) -> list[Judged]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Judged(item["query"], {k: int(v) for k, v in item["judgments"].items()},
                   item.get("kind", ""), item.get("language", "nl")) for item in data["queries"]]


def evaluate(backend: SearchBackend, judgments: Iterable[Judged], partial: bool = False) -> Report:
    """The measures over the complete matches (the analysis and ranking), or with
    ``partial`` over the list the search page shows, partial matches included."""
    report = Report()
    for judged in judgments:
        result = backend.search(SearchRequest(query=judged.query, page_size=RECALL_AT,
                                              facets=False, snippets=False, partial=partial))
        ranked = tuple(hit.document.id for hit in result.hits)
        report.scores.append(score_query(judged, ranked))
    return report


def score_query(judged: Judged, ranked: tuple[str, ...]) -> QueryScore:
    grades = judged.grades
    gains = [grades.get(doc_id, 0) for doc_id in ranked]
    ideal = sorted(grades.values(), reverse=True)
    relevant = {d for d, g in grades.items() if g >= RELEVANT}
    found = relevant & set(ranked[:RECALL_AT])
    first = next((i for i, g in enumerate(gains) if g >= RELEVANT), None)
    return QueryScore(judged, ndcg(gains[:NDCG_AT], ideal[:NDCG_AT]),
                      len(found) / len(relevant) if relevant else 1.0,
                      1.0 / (first + 1) if first is not None else 0.0, ranked[:NDCG_AT])


def ndcg(gains: list[int], ideal: list[int]) -> float:
    """Normalised discounted cumulative gain with exponential gains (2^grade - 1)."""
    def dcg(values: list[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(values))

    best = dcg(ideal)
    return dcg(gains) / best if best > 0 else 0.0


# -- the plain baseline ---------------------------------------------------------------------

def plain_schema() -> Schema:
    """The real schema with every title/body field analysed as plain lowercase words."""
    schema = build_schema()
    for name in list(schema.names()):
        if name.startswith(("title_", "body_")):
            boost = schema[name].format.field_boost
            schema.remove(name)
            schema.add(name, TEXT(analyzer=plain_analyzer(), field_boost=boost, phrase=True))
    return schema


def plain_baseline(data_dir: Path) -> AbstractContextManager[WhooshBackend]:
    """A backend over a temporary plain-analysed copy of the index in ``data_dir``."""
    return reanalysed_copy(data_dir, plain_schema(), "baseline")


@contextmanager
def reanalysed_copy(data_dir: Path, schema: Schema, name: str) -> Iterator[WhooshBackend]:
    """A backend over a temporary copy of the index in ``data_dir``, analysed by ``schema``:
    the baselines a figure is measured against in the same run."""
    from indexer.citekeys import canonical_keys

    with tempfile.TemporaryDirectory(prefix=f"bronzoeker-{name}-") as tmp:
        target = Path(tmp) / store.DEFAULT_NAME
        target.mkdir()
        ix = whoosh_index.create_in(str(target), schema)
        (target / store.VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
        writer, batch = ix.writer(), {}
        # the copy's result pages read their documents from a store of its own (since
        # schema 9 the index holds only ids): without one every hit is "not in the store"
        documents = open_store(Path(tmp))
        try:
            for doc in indexed_documents(data_dir):
                writer.add_document(**document_fields(doc, canonical_keys(doc)))
                batch[doc.id] = doc
                if len(batch) >= COPY_BATCH:
                    documents.apply(batch)
                    batch = {}
            documents.apply(batch)
        finally:
            documents.close()
        writer.commit()
        backend = WhooshBackend(Path(tmp))
        try:
            yield backend
        finally:
            backend.close()
