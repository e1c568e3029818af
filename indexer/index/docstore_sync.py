"""Keeping the document store and the index in step: reading documents out of an index,
and filling the store from the index of a data directory made before the store existed.

The fill is the migration of an old data directory: it runs on first use (a crawl, a
rebuild, a repair), in batches, and the store is marked filled only at the end, so a
fill cut short is simply done again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index

from indexer.docstore import DocumentStore, open_store, store_exists
from indexer.errors import CannotRun
from indexer.index import store, whoosh_compat
from indexer.index.schema import LEGACY_RECORD_FIELD, LEGACY_TEXT_FIELD, stored_document
from indexer.index.stored_fields import searcher_ids_and_hashes
from indexer.model import Document

FILL_BATCH = 500  # documents per store transaction while filling, and per read of a whole index


class IndexDamaged(CannotRun):
    """The index cannot be read; ``indexer check --repair`` rebuilds it from the store."""


class TextsNotInIndex(CannotRun):
    """The store is to be filled from an index that holds no page texts (schema 6 and later)."""


def stored_documents(ix: Index) -> Iterator[Document]:
    """Every document in an index, without its pages: rebuilt from its stored record (an
    index of schema 8 or older), else read from the document store beside the index, in
    batches (a document the store lacks is left out; ``indexer check`` reports it)."""
    if LEGACY_RECORD_FIELD in ix.schema:
        with ix.searcher() as searcher:
            for fields in searcher.all_stored_fields():
                yield stored_document(fields)
        return
    yield from _documents_from_store(ix)


def _documents_from_store(ix: Index) -> Iterator[Document]:
    data_dir = Path(ix.storage.folder).parent  # CURRENT names a folder directly inside the data directory
    with ix.searcher() as searcher:
        ids = [doc_id for doc_id, _ in searcher_ids_and_hashes(searcher, searcher.reader().all_doc_ids()) if doc_id]
    if not ids or not store_exists(data_dir):
        return
    with closing(open_store(data_dir)) as documents:
        for start in range(0, len(ids), FILL_BATCH):
            found = documents.get_many(ids[start:start + FILL_BATCH])
            yield from (found[i].replace(pages=()) for i in ids[start:start + FILL_BATCH] if i in found)


def live_index_documents(data_dir: Path) -> Iterator[Document]:
    """Every document of the data directory's live index."""
    yield from stored_documents(whoosh_compat.open_dir(store.current_dir(data_dir)))


def filled_store(data_dir: Path) -> DocumentStore:
    """The data directory's document store, filled from its index first when new."""
    if not store_exists(data_dir) and not index_exists(data_dir):
        documents = open_store(data_dir)
        documents.mark_filled()  # a fresh data directory: nothing to copy
        return documents
    documents = open_store(data_dir)
    if not documents.is_filled():
        try:
            fill_from_index(documents, data_dir)
        except BaseException:
            documents.close()
            raise
    return documents


def index_exists(data_dir: Path) -> bool:
    return whoosh_index.exists_in(str(store.current_dir(data_dir)))


def fill_from_index(documents: DocumentStore, data_dir: Path) -> int:
    """Copy every document of the live index into the store; returns how many."""
    count = 0
    if index_exists(data_dir):
        try:
            count = _copy(whoosh_compat.open_dir(store.current_dir(data_dir)), documents)
        except TextsNotInIndex:
            raise
        except Exception as exc:  # noqa: BLE001 - any Whoosh read error means the same thing here
            raise IndexDamaged(f"de index is beschadigd en er is nog geen documentopslag om hem uit te "
                               f"herstellen ({type(exc).__name__}: {exc}); haal de bronnen opnieuw op "
                               f"(`indexer crawl`) na het verwijderen van de index") from exc
    documents.mark_filled()
    return count


def _copy(ix: Index, documents: DocumentStore) -> int:
    if LEGACY_TEXT_FIELD not in ix.schema and ix.doc_count():
        raise TextsNotInIndex("de documentopslag ontbreekt of is leeg, en de index bewaart geen teksten (die "
                              "staan alleen in de opslag): zet een back-up van documents.sqlite terug, of haal "
                              "de bronnen opnieuw op (verwijder de index en draai `indexer crawl`)")
    batch: dict[str, Document | None] = {}
    count = 0
    for doc in stored_documents(ix):
        batch[doc.id] = doc
        count += 1
        if len(batch) >= FILL_BATCH:
            documents.apply(batch)
            batch = {}
    if batch:
        documents.apply(batch)
    return count
