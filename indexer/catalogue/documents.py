"""The document store in the catalogue: :class:`indexer.docstore.DocumentStore` on PostgreSQL.

Rows as in the SQLite store (a deletion keeps a tombstone so the change sequence reports it),
the same packing (zlib of the Document's JSON). Sequence numbers come from ``change_seq``,
taken under a transaction-level advisory lock: writers of documents commit one after the
other, so sequence order is commit order and a follower reading ``seq > last`` never
skips a change that commits later with a smaller number.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import psycopg

from indexer.catalogue import connect
from indexer.catalogue.migrations import require_current
from indexer.docstore import Change
from indexer.docstore.sqlite_store import pack, unpack
from indexer.model import Document

SEQ_LOCK = 190002  # pg_advisory_xact_lock key held while numbering and committing changes
READ_BATCH = 200  # rows fetched per round trip when reading many documents


def write_changes(conn: psycopg.Connection[Any], changes: Mapping[str, Document | None]) -> int:
    """Upsert or delete by id inside the caller's transaction; returns the last sequence number
    written (0 when nothing changed)."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (SEQ_LOCK,))
    last = 0
    for doc_id, doc in changes.items():
        if doc is None:
            row = conn.execute("UPDATE documents SET seq = nextval('change_seq'), data = NULL, content_hash = ''"
                               " WHERE id = %s AND data IS NOT NULL RETURNING seq", (doc_id,)).fetchone()
        else:
            row = conn.execute(
                "INSERT INTO documents (id, seq, source, content_hash, data)"
                " VALUES (%s, nextval('change_seq'), %s, %s, %s) ON CONFLICT (id) DO UPDATE SET"
                " seq = excluded.seq, source = excluded.source, content_hash = excluded.content_hash,"
                " data = excluded.data RETURNING seq",
                (doc_id, doc.source, doc.content_hash, pack(doc))).fetchone()
        last = int(row[0]) if row else last
    return last


class PgDocumentStore:
    """The catalogue's documents behind the document-store interface."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._staged: dict[str, Document | None] = {}
        self._db = connect(url)
        require_current(self._db)

    @property
    def connection(self) -> psycopg.Connection[Any]:
        return self._db

    def apply(self, changes: Mapping[str, Document | None]) -> int:
        staged, self._staged = {**self._staged, **changes}, {}
        with self._db.transaction():
            written = write_changes(self._db, staged)
        return written or self.last_seq()

    def stage(self, changes: Mapping[str, Document | None]) -> int:
        """Kept until :meth:`apply` (the catalogue's batches are small: nothing to stream)."""
        self._staged.update(changes)
        return self.last_seq()

    def discard(self) -> None:
        self._staged = {}

    def get(self, doc_id: str) -> Document | None:
        row = self._db.execute("SELECT data FROM documents WHERE id = %s AND data IS NOT NULL",
                               (doc_id,)).fetchone()
        return unpack(row[0]) if row else None

    def get_many(self, doc_ids: Iterable[str]) -> dict[str, Document]:
        rows = self._db.execute("SELECT id, data FROM documents WHERE id = ANY(%s) AND data IS NOT NULL",
                                (list(dict.fromkeys(doc_ids)),)).fetchall()
        return {doc_id: unpack(data) for doc_id, data in rows}

    def documents(self) -> Iterator[Document]:
        for (data,) in self._stream("SELECT data FROM documents WHERE data IS NOT NULL ORDER BY id"):
            yield unpack(data)

    def hashes(self) -> dict[str, str]:
        rows = self._db.execute("SELECT id, content_hash FROM documents WHERE data IS NOT NULL").fetchall()
        return {doc_id: digest for doc_id, digest in rows}

    def source_hashes(self, source: str) -> dict[str, str]:
        rows = self._db.execute("SELECT id, content_hash FROM documents WHERE data IS NOT NULL AND source = %s",
                                (source,)).fetchall()
        return {doc_id: digest for doc_id, digest in rows}

    def count(self) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM documents WHERE data IS NOT NULL").fetchone()
        return int(row[0]) if row else 0

    def last_seq(self) -> int:
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM documents").fetchone()
        return int(row[0]) if row else 0

    def changes(self, since: int = 0) -> Iterator[Change]:
        rows = self._stream("SELECT seq, id, data FROM documents WHERE seq > %s ORDER BY seq", (since,))
        for seq, doc_id, data in rows:
            yield Change(int(seq), doc_id, unpack(data) if data is not None else None)

    def change_batch(self, since: int, limit: int) -> list[Change]:
        """At most ``limit`` changes after ``since``, read whole (a follower's batch)."""
        rows = self._db.execute("SELECT seq, id, data FROM documents WHERE seq > %s ORDER BY seq LIMIT %s",
                                (since, limit)).fetchall()
        return [Change(int(seq), doc_id, unpack(data) if data is not None else None) for seq, doc_id, data in rows]

    def is_filled(self) -> bool:
        return True  # the catalogue is the first copy: there is no older index to fill it from

    def mark_filled(self) -> None:
        return None

    def problems(self) -> list[str]:
        bad = []
        for doc_id, data in self._stream("SELECT id, data FROM documents WHERE data IS NOT NULL"):
            try:
                unpack(data)
            except (ValueError, TypeError, Exception) as exc:  # noqa: BLE001 - zlib.error and JSON errors alike
                bad.append(f"catalogus: {doc_id} niet te lezen ({exc})")
        return bad

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> PgDocumentStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _stream(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows through a server-side cursor: a million documents never sit in memory at once."""
        with self._db.transaction(), self._db.cursor(name="bronzoeker_read") as cur:
            cur.itersize = READ_BATCH
            cur.execute(sql, params)
            yield from cur
