"""The index: the only package that imports Whoosh.

Callers use :func:`open_backend` (read side: the :class:`SearchBackend` interface)
and :func:`open_writer` (the crawl's single writer).
"""

from __future__ import annotations

from pathlib import Path

from indexer.index.backend import SORTS, Hit, SearchBackend, SearchRequest, SearchResult
from indexer.index.schema import FACET_FIELDS
from indexer.index.search import WhooshBackend
from indexer.index.store import IndexMissing, SchemaMismatch
from indexer.index.writer import DocumentWriter, open_writer, rebuild


def open_backend(data_dir: Path) -> SearchBackend:
    """The read side over a data directory (opened lazily, refreshed on each query)."""
    return WhooshBackend(Path(data_dir))


__all__ = [
    "FACET_FIELDS", "SORTS", "DocumentWriter", "Hit", "IndexMissing", "SchemaMismatch",
    "SearchBackend", "SearchRequest", "SearchResult", "open_backend", "open_writer", "rebuild",
]
