"""The one writer: upserts and deletes documents by id, committing in batches.

A batch becomes visible to readers only when it is committed, all at once. The
crawl commits every ``batch_size`` changes and at the end; a crash between commits
loses only the uncommitted batch, which the next run redoes (the crawl state records
a document as done only after the commit that holds it).

Each batch goes to the document store first, then into the index: a run killed
between the two leaves the store ahead of the index, and the next run, which compares
against the index, fetches and writes those documents again (nothing is lost; a
rebuild from the store is never behind the index).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, Callable

from whoosh.index import Index
from whoosh.writing import IndexWriter

from indexer.docstore import DocumentStore, store_exists
from indexer.index import flat_postings_writer, merge_policy, store, whoosh_compat
from indexer.index.docstore_sync import filled_store, index_exists, stored_documents
from indexer.index.schema import document_fields
from indexer.index.stored_fields import searcher_ids_and_hashes
from indexer.model import Document

KeysFn = Callable[[Document], set[str]]
WRITER_TIMEOUT = 60.0  # seconds to wait for another process's write lock
#: changes handed to the store's open transaction at a time (:meth:`DocumentStore.stage`), so a
#: large batch is not held in memory until its commit (100,000 documents: some 300 MB)
STAGE_CHANGES = 2000


class DocumentWriter:
    """Collects changes and commits them; use as a context manager."""

    def __init__(self, ix: Index, keys: KeysFn, batch_size: int = 200,
                 on_commit: Callable[[], None] | None = None, documents: DocumentStore | None = None) -> None:
        self._ix = ix
        self._documents = documents
        self._changes: dict[str, Document | None] = {}  # for the store, in the order given
        self._staged = False  # changes of this batch were handed to the store's open transaction
        self._keys = keys
        self._batch_size = batch_size
        self._on_commit = on_commit
        self._writer: IndexWriter | None = None
        self.pending = 0
        self._commits = 0

    @property
    def index(self) -> Index:
        return self._ix

    def upsert(self, doc: Document, fields: dict[str, Any] | None = None) -> None:
        """Add or replace ``doc``; ``fields``: its index fields when they are ready already
        (analysed in an extraction worker, :mod:`indexer.index.analysed`)."""
        self._active().update_document(**(fields or document_fields(doc, self._keys(doc))))
        self._changes.pop(doc.id, None)
        self._changes[doc.id] = doc
        self._count()

    def delete(self, doc_id: str) -> None:
        self._active().delete_by_term("id", doc_id)
        self._changes.pop(doc_id, None)
        self._changes[doc_id] = None
        self._count()

    def commit(self, final: bool = False) -> None:
        """Make everything written so far visible to readers, atomically. The ``final``
        commit of a writer that committed anything also merges segments (:mod:`merge_policy`)."""
        if final and self._writer is None and self._commits and self._needs_settling():
            self._active()
        if self._writer is not None:
            if self._documents is not None and (self._changes or self._staged):
                self._documents.apply(self._changes)  # with what was staged
            self._staged = False
            self._changes = {}
            self._writer.commit(mergetype=merge_policy.settle if final else merge_policy.small)
            self._writer = None
            self.pending = 0
            self._commits += 1
            if self._on_commit:
                self._on_commit()
            flat_postings_writer.write_missing(self._ix)

    def cancel(self) -> None:
        self._changes, self._staged = {}, False
        if self._documents is not None:
            self._documents.discard()
        writer, self._writer, self.pending = self._writer, None, 0
        if writer is None:
            return
        try:
            writer.cancel()
        except BaseException:
            # Cancelling writes too (it closes the segment): on a full disk it fails before
            # Whoosh lets go of the write lock, and the next writer of this process would
            # wait for it in vain.
            whoosh_compat.release_write_lock(writer)
            raise

    def __enter__(self) -> DocumentWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self.commit(final=True)
            else:
                self.cancel()
        finally:
            if self._documents is not None:
                self._documents.close()

    def _needs_settling(self) -> bool:
        counts = [segment.doc_count_all() for segment in self._ix._segments()]
        return bool(merge_policy.to_merge(counts))

    def _active(self) -> IndexWriter:
        if self._writer is None:
            self._writer = whoosh_compat.cache_field_lengths(self._ix.writer(timeout=WRITER_TIMEOUT))
        return self._writer

    def _count(self) -> None:
        self.pending += 1
        if self.pending >= self._batch_size:
            self.commit()
        elif self._documents is not None and len(self._changes) >= STAGE_CHANGES:
            self._documents.stage(self._changes)
            self._changes, self._staged = {}, True


def open_writer(data_dir: Path, keys: KeysFn, batch_size: int = 200,
                on_commit: Callable[[], None] | None = None) -> DocumentWriter:
    """The crawl's writer; the document store is filled from the index first if this data
    directory predates it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    ix = store.open_or_create(data_dir)
    return DocumentWriter(ix, keys, batch_size, on_commit, filled_store(data_dir))


def rebuild(data_dir: Path, keys: KeysFn, transform: Callable[[Document], Document] | None = None) -> int:
    """Rebuild the index from the document store into a new directory, then swap it in.

    The old index is not read (it may be the broken thing), except to fill a store that
    this data directory does not have yet.
    """
    if not store_exists(data_dir) and not index_exists(data_dir):
        raise store.IndexMissing(f"no index in {data_dir} to rebuild: run `indexer crawl` first")
    with closing(filled_store(data_dir)) as documents:
        built = store.new_build_dir(data_dir)
        try:
            count = _copy_documents(documents.documents(), store.create_at(built), keys, transform)
            store.publish(data_dir, built)
        except BaseException:
            shutil.rmtree(built, ignore_errors=True)  # never leave a half-built index behind
            raise
    return count


def _copy_documents(documents: Iterator[Document], target: Index, keys: KeysFn,
                    transform: Callable[[Document], Document] | None) -> int:
    count = 0
    writer = whoosh_compat.cache_field_lengths(target.writer())
    for doc in documents:
        doc = transform(doc) if transform else doc
        writer.add_document(**document_fields(doc, keys(doc)))
        count += 1
    writer.commit()
    flat_postings_writer.write_missing(target)
    return count


__all__ = ["DocumentWriter", "open_writer", "rebuild", "stored_documents", "existing_hashes"]


def existing_hashes(writer: DocumentWriter, source: str) -> dict[str, str]:
    """id -> content hash of the committed documents of one source."""
    return hashes_of_source(writer.index, source)


def hashes_of_source(ix: Index, source: str) -> dict[str, str]:
    """The hashes the *index* holds (the store, written first, may be ahead of it after a crash)."""
    with ix.searcher() as searcher:
        pairs = searcher_ids_and_hashes(searcher, searcher.document_numbers(source=source))
        return {doc_id: content_hash or "" for doc_id, content_hash in pairs if doc_id}
