"""tantivy (PyPI ``tantivy``), optional: used when installed (``pip install -e '.[bench]'``).

Default tokenizer (lowercase, no stemming), body stored for snippets, facet fields as
raw fast fields (terms aggregation), the date as an integer fast field for sorting.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Iterable

from bench.engines.base import PAGE_SIZE, QueryOutcome, identifier_words
from bench.queries import BenchQuery
from indexer.index import FACET_FIELDS
from indexer.index.schema import facet_values
from indexer.model import Document

HEAP_BYTES = 256 * 1024 * 1024
BOOSTS = {"title": 3.0, "ident": 4.0}

#: query class -> tantivy query language from the words
QUERIES = {
    "rare": lambda w: w[0],
    "two_common": lambda w: " AND ".join(w),
    "phrase": lambda w: '"' + " ".join(w) + '"',
    "identifier": lambda w: f'ident:"{identifier_words(w[0])}"',
    "facets_date": lambda w: w[0],
}


def _tantivy() -> Any:
    import tantivy

    return tantivy


class TantivyEngine:
    name = "tantivy"
    label = "tantivy (optional)"

    def missing(self) -> str | None:
        try:
            _tantivy()
        except ImportError:
            return "not installed"
        return None

    def version(self) -> str:
        try:
            return f"tantivy {version('tantivy')}"
        except PackageNotFoundError:
            return "tantivy not installed"

    def max_procs(self) -> int:
        return 64

    def build(self, docs: Iterable[Document], path: Path, procs: int, batch_size: int) -> dict[str, object]:
        tantivy = _tantivy()
        path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(_schema(), path=str(path))
        writer = index.writer(HEAP_BYTES, max(1, procs))
        for doc in docs:
            writer.add_document(tantivy.Document(**_fields(doc)))
        writer.commit()
        writer.wait_merging_threads()
        return {"writer": f"writer(heap 256 MB, {max(1, procs)} thread(s))"}

    def open(self, path: Path) -> TantivySearcher:
        return TantivySearcher(path)


def _schema() -> Any:
    builder = _tantivy().SchemaBuilder()
    builder.add_text_field("title")
    builder.add_text_field("body", stored=True)
    builder.add_text_field("ident")
    builder.add_text_field("canonical", stored=True, tokenizer_name="raw")
    builder.add_integer_field("date", stored=True, indexed=True, fast=True)
    for name in FACET_FIELDS:
        builder.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    return builder.build()


def _fields(doc: Document) -> dict[str, Any]:
    date = int((doc.date.replace("-", "") + "0000")[:8]) if doc.date[:4].isdigit() else 0
    return {"title": doc.title, "body": " ".join([doc.summary, doc.body]),
            "ident": identifier_words(" ".join([doc.id, *doc.identifiers.values()])),
            "canonical": doc.identifiers.get("canonical", ""), "date": date,
            **{k: v for k, v in facet_values(doc).items() if v}}


class TantivySearcher:
    def __init__(self, path: Path) -> None:
        tantivy = _tantivy()
        self._index = tantivy.Index.open(str(path))
        self._searcher = self._index.searcher()
        self._order = tantivy.Order
        self._snippets = tantivy.SnippetGenerator

    def run(self, query: BenchQuery) -> QueryOutcome:
        parsed = self._index.parse_query(QUERIES[query.cls](query.words), ["title", "body", "ident"],
                                         field_boosts=BOOSTS)
        sort = {"order_by_field": "date", "order": self._order.Desc} if query.cls == "facets_date" else {}
        result = self._searcher.search(parsed, PAGE_SIZE, count=True, **sort)
        generator = self._snippets.create(self._searcher, parsed, self._index.schema, "body")
        docs = [self._searcher.doc(address) for _score, address in result.hits]
        marked = sum(1 for doc in docs if "<b>" in generator.snippet_from_doc(doc).to_html())
        if query.cls == "facets_date":
            self._searcher.aggregate(parsed, {name: {"terms": {"field": name}} for name in FACET_FIELDS})
        first = docs[0].get_first("canonical") if docs else ""
        return QueryOutcome(result.count or 0, first or "", marked)

    def close(self) -> None:
        pass
