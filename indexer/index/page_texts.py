"""Indexed documents read from the document store, their one copy: metadata and page texts.

The index stores neither (schema 9, issue #18): result lists, exports, snippets, document
pages and more-like-this read the documents here, by id, from the data directory's
document store — a page of results in one query (:meth:`PageTexts.documents`). The store
is SQLite, whose connections belong to one thread, so each serving thread opens its own
on first use.

A document the index lists but the store lacks is :class:`TextMissing`: a clear error
for a document page (the UI answers 503 and logs the reason, the CLI exits 2), and
a result without snippet, logged and counted, in a result list (:mod:`records`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from indexer.docstore import DocumentStore, open_store, store_exists
from indexer.errors import CannotRun
from indexer.index import store
from indexer.index.docstore_sync import stored_documents
from indexer.model import Document


class TextMissing(CannotRun):
    """The index lists a document whose text the document store does not hold."""


def missing_message(doc_id: str, data_dir: Path) -> str:
    return (f"de tekst van {doc_id} staat niet in de documentopslag van {data_dir}: `indexer check` zegt "
            "wat er ontbreekt, `indexer check --repair` haalt het uit de index en laat de volgende "
            "`indexer crawl` het opnieuw ophalen")


class PageTexts:
    """Page texts by document id, one store connection per thread."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._local = threading.local()
        self._lock = threading.Lock()
        self.missing = 0  # documents asked for whose text was not there (for status and tests)

    def document(self, doc_id: str) -> Document:
        """The document with its pages; :class:`TextMissing` when the store does not hold it."""
        found = self.documents([doc_id])
        if doc_id not in found:
            raise TextMissing(missing_message(doc_id, self.data_dir))
        return found[doc_id]

    def documents(self, doc_ids: Sequence[str]) -> dict[str, Document]:
        """The documents (with pages) the store holds of ``doc_ids``, read in one query; the
        ids it lacks are counted in :attr:`missing`."""
        documents = self._store()
        found = documents.get_many(doc_ids) if documents is not None and doc_ids else {}
        lacking = len(set(doc_ids) - set(found))
        if lacking:
            with self._lock:
                self.missing += lacking
        return found

    def pages(self, doc_id: str) -> tuple[str, ...]:
        """The document's pages; :class:`TextMissing` when the store does not hold it."""
        return self.document(doc_id).pages

    def with_text(self, doc: Document) -> Document:
        return doc.replace(pages=self.pages(doc.id))

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
