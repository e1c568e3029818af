"""bronzoeker's engine, used only through its public functions: open_writer / DocumentWriter
for indexing, open_backend + SearchRequest for queries (snippets with pages, facets, sort)."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Iterable

from bench.engines.base import PAGE_SIZE, QueryOutcome
from bench.queries import BenchQuery
from indexer.citekeys import canonical_keys
from indexer.index import SearchRequest, open_backend, open_writer
from indexer.index.schema import document_fields
from indexer.model import Document

ONE_COMMIT = 10**9  # batch size that means "commit once at the end", as a rebuild does

#: query class -> (query text from the words, facets, sort)
REQUESTS = {
    "rare": lambda w: (w[0], False, "relevance"),
    "two_common": lambda w: (" ".join(w), False, "relevance"),
    "phrase": lambda w: ('"' + " ".join(w) + '"', False, "relevance"),
    "identifier": lambda w: (w[0], False, "relevance"),
    "facets_date": lambda w: (w[0], True, "date-desc"),
}


class OurEngine:
    name = "bronzoeker"
    label = "bronzoeker (Whoosh)"

    def missing(self) -> str | None:
        return None

    def version(self) -> str:
        return f"bronzoeker {version('bronzoeker')}, Whoosh-Reloaded {version('Whoosh-Reloaded')}"

    def max_procs(self) -> int:
        return 64

    def build(self, docs: Iterable[Document], path: Path, procs: int, batch_size: int) -> dict[str, object]:
        if procs <= 1:
            with open_writer(path, canonical_keys, batch_size or ONE_COMMIT) as writer:
                for doc in docs:
                    writer.upsert(doc)
            how = f"DocumentWriter, commit every {batch_size} docs" if batch_size else "DocumentWriter, one commit"
            return {"writer": how}
        return self._build_parallel(docs, path, procs)

    def _build_parallel(self, docs: Iterable[Document], path: Path, procs: int) -> dict[str, object]:
        # The project's DocumentWriter is single-process. Whoosh's own multiprocess writer
        # is driven here with the project's schema and field mapping to show what N cores give.
        ix = open_writer(path, canonical_keys).index
        writer = ix.writer(procs=procs, multisegment=True, limitmb=128)
        for doc in docs:
            writer.add_document(**document_fields(doc, canonical_keys(doc)))
        writer.commit()
        return {"writer": f"Whoosh writer(procs={procs}, multisegment=True) on the project's schema "
                          "(DocumentWriter itself is single-process)"}

    def open(self, path: Path) -> OurSearcher:
        return OurSearcher(path)


class OurSearcher:
    def __init__(self, path: Path) -> None:
        self._backend = open_backend(path)

    def run(self, query: BenchQuery) -> QueryOutcome:
        text, facets, sort = REQUESTS[query.cls](query.words)
        result = self._backend.search(SearchRequest(query=text, facets=facets, sort=sort,
                                                    page_size=PAGE_SIZE, snippets=True))
        first = result.hits[0].document.identifiers.get("canonical", "") if result.hits else ""
        marked = sum(1 for hit in result.hits if "<mark>" in hit.snippet)
        return QueryOutcome(result.total, first, marked)

    def close(self) -> None:
        self._backend.close()  # type: ignore[attr-defined]
