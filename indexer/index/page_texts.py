"""The page texts of indexed documents, read from the document store, their one copy.

The index stores each document's metadata (``record``) but not its text (schema 6,
issue #18): snippets, document pages and more-like-this read the pages here, by id,
from the data directory's document store. The store is SQLite, whose connections
belong to one thread, so each serving thread opens its own on first use.

A document the index lists but the store lacks is :class:`TextMissing`: a clear error
for a document page (the UI answers 503 and logs the reason, the CLI exits 2), and
a result without snippet, logged and counted, in a result list.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from indexer.docstore import DocumentStore, open_store, store_exists
from indexer.errors import CannotRun
from indexer.index import store
from indexer.index.docstore_sync import stored_documents
from indexer.model import Document

LOG = logging.getLogger(__name__)


class TextMissing(CannotRun):
    """The index lists a document whose text the document store does not hold."""


def missing_message(doc_id: str, data_dir: Path) -> str:
    return (f"de tekst van {doc_id} staat niet in de documentopslag van {data_dir}: `indexer check` zegt "
            "wat er ontbreekt, `indexer check --repair` haalt het uit de index en de volgende `indexer crawl` "
            "haalt het opnieuw op")


class PageTexts:
    """Page texts by document id, one store connection per thread."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._local = threading.local()
        self._lock = threading.Lock()
        self.missing = 0  # documents asked for whose text was not there (for status and tests)

    def pages(self, doc_id: str) -> tuple[str, ...]:
        """The document's pages; :class:`TextMissing` when the store does not hold it."""
        documents = self._store()
        found = documents.get(doc_id) if documents is not None else None
        if found is None:
            with self._lock:
                self.missing += 1
            raise TextMissing(missing_message(doc_id, self.data_dir))
        return found.pages

    def with_text(self, doc: Document) -> Document:
        return doc.replace(pages=self.pages(doc.id))

    def with_text_or_none(self, doc: Document) -> Document | None:
        """The document with its pages, or None (logged) when the store lacks them."""
        try:
            return self.with_text(doc)
        except TextMissing as missing:
            LOG.warning("%s", missing)
            return None

    def close(self) -> None:
        """Close this thread's connection (the others close with their threads)."""
        documents = getattr(self._local, "store", None)
        if documents is not None:
            documents.close()
            self._local.store = None

    def _store(self) -> DocumentStore | None:
        documents = getattr(self._local, "store", None)
        if documents is None and store_exists(self.data_dir):
            documents = self._local.store = open_store(self.data_dir)
        return documents


def indexed_documents(data_dir: Path) -> Iterator[Document]:
    """Every document of the live index, with its pages from the store (for evaluation and
    tests; :class:`TextMissing` when one lacks them)."""
    texts = PageTexts(data_dir)
    try:
        for doc in stored_documents(store.open_index(data_dir)):
            yield texts.with_text(doc)
    finally:
        texts.close()
