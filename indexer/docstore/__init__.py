"""The document store: the second copy of every extracted document, beside the index.

The Whoosh index is derived data; this store holds each document (metadata and text,
compressed) under its id, with a change sequence that grows with every upsert and
deletion, so an index can be rebuilt from it at any time and a follower can replay
what changed since a sequence number. The interface is small on purpose: SQLite in
the data directory, PostgreSQL for a fleet (:func:`open_catalogue_store`, issue #19); the only
copy of the text (issue #18) later, behind the same methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from indexer.errors import CannotRun
from indexer.model import Document

STORE_FILE = "documents.sqlite"


class StoreDamaged(CannotRun):
    """The document store cannot be read; the index may still hold the documents."""


@dataclass(frozen=True)
class Change:
    """One entry of the change sequence: an upsert (``document`` set) or a deletion."""

    seq: int
    doc_id: str
    document: Document | None


class DocumentStore(Protocol):
    """What the crawl, the rebuild and ``indexer check`` need from a store."""

    def apply(self, changes: Mapping[str, Document | None]) -> int:
        """Upsert (a Document) or delete (None) by id, all in one transaction; returns the
        last sequence number."""

    def stage(self, changes: Mapping[str, Document | None]) -> int:
        """Write ``changes`` ahead of the next :meth:`apply`, which commits them with its own
        (:meth:`discard` drops them): readers see none of them before that."""

    def discard(self) -> None: ...

    def get(self, doc_id: str) -> Document | None: ...

    def get_many(self, doc_ids: Iterable[str]) -> dict[str, Document]:
        """The documents held of ``doc_ids``, by id (absent ids left out), in few queries."""

    def documents(self) -> Iterator[Document]:
        """Every live document, in id order."""

    def hashes(self) -> dict[str, str]:
        """id -> content hash of every live document."""

    def count(self) -> int: ...

    def last_seq(self) -> int: ...

    def changes(self, since: int = 0) -> Iterator[Change]:
        """Upserts and deletions after ``since``, in sequence order."""

    def is_filled(self) -> bool:
        """True once the store holds everything the index held when the store was made."""

    def mark_filled(self) -> None: ...

    def problems(self) -> list[str]:
        """What is wrong with the store itself (empty when it is healthy); Dutch."""

    def close(self) -> None: ...


Opener = Callable[[Path], DocumentStore]


def _sqlite(data_dir: Path) -> DocumentStore:
    from indexer.docstore.sqlite_store import SqliteDocumentStore

    return SqliteDocumentStore(data_dir / STORE_FILE)


#: Store backends of a data directory by name (the PostgreSQL catalogue is opened by its URL).
BACKENDS: dict[str, Opener] = {"sqlite": _sqlite}


def open_catalogue_store(url: str) -> DocumentStore:
    """The document store of a shared PostgreSQL catalogue (:mod:`indexer.catalogue`)."""
    from indexer.catalogue.documents import PgDocumentStore

    return PgDocumentStore(url)


def open_store(data_dir: Path, backend: str = "sqlite") -> DocumentStore:
    """The document store of a data directory (created empty when missing)."""
    return BACKENDS[backend](Path(data_dir))


def store_exists(data_dir: Path) -> bool:
    return (Path(data_dir) / STORE_FILE).is_file()


__all__ = ["BACKENDS", "STORE_FILE", "Change", "DocumentStore", "StoreDamaged", "open_catalogue_store", "open_store",
           "store_exists"]
