"""The SQLite document store: one row per document id, its JSON compressed (zstd with
dictionaries trained on the store's own documents, kept in the store: :mod:`compression`;
rows of format 1, zlib, stay readable).

Format 3 (issue #18) keeps a row under its sequence number, the table's rowid, and the id
only once, in ``ids`` (a WITHOUT ROWID table: the id's B-tree is the lookup itself). Format 2
had the id in the row, an index of the id beside it, an index of ``seq``, and the source and
content hash as columns (both are in the document): on the 8,041 motions 5.14 MB against
3.8 MB. A store of format 1 or 2 is migrated in place when it is opened (:func:`_migrate`).

A deletion keeps its row as a tombstone (no data, the id in ``gone``) so the change
sequence reports it; ``seq`` is unique and only grows (the next one is the highest so far
plus one, taken inside the writing transaction). WAL mode, so readers never wait for the crawl.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from indexer.docstore import Change, StoreDamaged, compression, migrate
from indexer.docstore.guard import Guard, damaged_message, disk_full
from indexer.model import Document

#: 1: zlib rows; 2: zstd rows with the dictionaries table (1's rows still read); 3: rows keyed
#: by seq, ids in their own table, no source and hash columns, dictionaries retrained as the store grows
FORMAT = "3"
#: a page's unused tail is smaller when a page holds more rows: 8,041 motions 4 KB pages 3.91 MB,
#: 8 KB 3.83, 16 KB 3.87; 100,000 bench documents 8 KB 56.15 MB, 16 KB 55.31, 32 KB 54.98, with
#: no measurable cost to ``get_many``. Set only when the file is created.
PAGE_SIZE = 16384
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY,           -- the change sequence number: a change writes a new row
    data BLOB,                         -- zstd (or zlib) of the Document's JSON; NULL: deleted
    gone TEXT                          -- a deletion's document id (data NULL)
);
CREATE TABLE IF NOT EXISTS ids (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL               -- the document's (or its tombstone's) row
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dictionaries (
    n INTEGER PRIMARY KEY,             -- the order they were trained in: the last one compresses
    id INTEGER NOT NULL UNIQUE,        -- the dictionary id a zstd frame names
    data BLOB NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0     -- the sequence number it was trained at
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
EXPECTED_TABLES = {"documents", "ids", "meta", "dictionaries"}
#: ids per ``SELECT … IN`` (SQLite's limit on bound parameters is 32,766 since 3.32; 999 before)
IN_CHUNK = 500
COMPRESSION_LEVEL = 6  # demo corpus: 3.0x at 27 MB/s CPU; 9 gained 0.3 % for 40 % more time, 1 gave only 2.6x


def pack(doc: Document) -> bytes:
    """zlib of the JSON: the catalogue's rows (the SQLite store's are :mod:`compression`'s)."""
    return zlib.compress(compression.encode(doc), COMPRESSION_LEVEL)


def unpack(data: bytes) -> Document:
    return Document.from_dict(json.loads(zlib.decompress(data).decode("utf-8")))


class SqliteDocumentStore:
    """:class:`indexer.docstore.DocumentStore` in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._staged_seq: int | None = None  # the last sequence number of an open (staged) transaction
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
            self._db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # before WAL: a new file only
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            if migrate.needs_migration(self._db):
                migrate.migrate(self._db)
            self._db.executescript(SCHEMA)
            if self._meta("format") != FORMAT:  # written only once: a crawl's batch may hold the write lock
                self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('format', ?)", (FORMAT,))
            self._codec = compression.Codec(self._dictionaries())
        except sqlite3.OperationalError as exc:
            self._db.close()
            if full := disk_full(path, exc):
                raise full from exc
            raise
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreDamaged(damaged_message(path, exc)) from exc

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def _dictionaries(self) -> dict[int, bytes]:
        rows = self._db.execute("SELECT id, data FROM dictionaries ORDER BY n")
        return {int(dict_id): bytes(data) for dict_id, data in rows}

    def apply(self, changes: Mapping[str, Document | None]) -> int:
        """Write ``changes`` and whatever was staged before, in one transaction."""
        seq = self.stage(changes)
        with self._guard():
            self._db.execute("COMMIT")
        self._staged_seq = None
        return seq

    def stage(self, changes: Mapping[str, Document | None]) -> int:
        """Write ``changes`` into the open transaction (begun here), which the next
        :meth:`apply` commits and :meth:`discard` rolls back: a large batch goes to the store
        as it is written instead of being held until its commit."""
        with self._guard():
            if self._staged_seq is None:
                self._db.execute("BEGIN IMMEDIATE")
                self._staged_seq = self.last_seq()
            try:
                self._train([doc for doc in changes.values() if doc is not None])
                for doc_id, doc in changes.items():
                    self._staged_seq = self._write(self._staged_seq, doc_id, doc)
                self._retrain(self._staged_seq)
            except BaseException:
                self.discard()
                raise
        return self._staged_seq

    def discard(self) -> None:
        """Roll back what was staged (nothing when nothing was)."""
        if self._staged_seq is not None:
            self._staged_seq = None
            self._db.execute("ROLLBACK")

    def _train(self, docs: list[Document]) -> None:
        """The store's first dictionary, from the first batch large enough (inside its transaction)."""
        if self._codec.newest:
            return
        if self._db.execute("SELECT 1 FROM dictionaries").fetchone():
            self._reload()  # another connection trained it
            return
        if trained := compression.train(docs):
            self._add_dictionary(trained, (self._staged_seq or 0) + len(docs))

    def _retrain(self, seq: int) -> None:
        """A new, larger dictionary once the store has grown :data:`compression.RETRAIN_GROWTH`
        times since the newest was trained, from rows spread over the whole store: the first
        batch may not be like what followed (the 100,000 bench documents begin with 8,041 real
        motions)."""
        row = self._db.execute("SELECT seq FROM dictionaries ORDER BY n DESC LIMIT 1").fetchone()
        if row is None or not compression.due(int(row[0]), seq):
            return
        wanted = compression.sample_seqs(seq)
        samples: list[bytes] = []
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[start:start + IN_CHUNK]
            rows = self._db.execute(f"SELECT data FROM documents WHERE seq IN ({','.join('?' * len(chunk))})"
                                    " AND data IS NOT NULL", chunk)
            samples.extend(self._codec.decompress(data) for (data,) in rows if self._codec.knows(data))
        if trained := compression.retrain(samples, self._ids()):
            self._add_dictionary(trained, seq)

    def _add_dictionary(self, trained: tuple[int, bytes], seq: int) -> None:
        self._db.execute("INSERT INTO dictionaries (id, data, seq) VALUES (?, ?, ?)", (*trained, seq))
        self._codec.add(*trained)

    def _ids(self) -> int:
        """Ids the store has held (deletions too): cheaper to count than the live rows."""
        return int(self._db.execute("SELECT COUNT(*) FROM ids").fetchone()[0])

    def _reload(self) -> None:
        """Dictionaries another connection added since this one opened."""
        self._codec = compression.Codec(self._dictionaries())

    def _unpack(self, data: bytes) -> Document:
        if not self._codec.knows(data):
            self._reload()
        return self._codec.unpack(data)

    def _write(self, seq: int, doc_id: str, doc: Document | None) -> int:
        """One change as a new row at ``seq + 1``, the document's previous row removed;
        returns the last sequence number (unchanged: a deletion of what is not there)."""
        row = self._db.execute("SELECT seq FROM ids WHERE id = ?", (doc_id,)).fetchone()
        if doc is None:
            if row is None or not self._db.execute("SELECT 1 FROM documents WHERE seq = ? AND data IS NOT NULL",
                                                   row).fetchone():
                return seq
            self._db.execute("INSERT INTO documents (seq, gone) VALUES (?, ?)", (seq + 1, doc_id))
        else:
            self._db.execute("INSERT INTO documents (seq, data) VALUES (?, ?)",
                             (seq + 1, self._codec.pack(compression.encode(doc))))
        if row is None:
            self._db.execute("INSERT INTO ids (id, seq) VALUES (?, ?)", (doc_id, seq + 1))
        else:
            self._db.execute("DELETE FROM documents WHERE seq = ?", row)
            self._db.execute("UPDATE ids SET seq = ? WHERE id = ?", (seq + 1, doc_id))
        return seq + 1

    def get(self, doc_id: str) -> Document | None:
        with self._guard():
            row = self._db.execute("SELECT data FROM ids CROSS JOIN documents USING (seq) WHERE id = ?"
                                   " AND data IS NOT NULL", (doc_id,)).fetchone()
        return self._unpack(row[0]) if row else None

    def get_many(self, doc_ids: Iterable[str]) -> dict[str, Document]:
        """The documents the store holds of ``doc_ids``, by id: one SELECT per
        :data:`IN_CHUNK` ids (a result page is one)."""
        wanted = list(dict.fromkeys(doc_ids))
        found: dict[str, Document] = {}
        with self._guard():
            for start in range(0, len(wanted), IN_CHUNK):
                chunk = wanted[start:start + IN_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT id, data FROM ids CROSS JOIN documents USING (seq)"
                                        f" WHERE id IN ({marks}) AND data IS NOT NULL", chunk).fetchall()
                found.update((doc_id, self._unpack(data)) for doc_id, data in rows)
        return found

    def documents(self) -> Iterator[Document]:
        with self._guard():
            rows = self._db.execute("SELECT data FROM ids CROSS JOIN documents USING (seq)"
                                    " WHERE data IS NOT NULL ORDER BY id")
            for (data,) in rows:
                yield self._unpack(data)

    def hashes(self) -> dict[str, str]:
        """id -> content hash, from the documents themselves (format 3 keeps no hash column:
        only ``indexer check`` asks, and it reads every row anyway)."""
        with self._guard():
            rows = self._db.execute("SELECT id, data FROM ids CROSS JOIN documents USING (seq)"
                                    " WHERE data IS NOT NULL")
            return {doc_id: self._unpack(data).content_hash for doc_id, data in rows}

    def count(self) -> int:
        with self._guard():
            return int(self._db.execute("SELECT COUNT(*) FROM documents WHERE data IS NOT NULL").fetchone()[0])

    def last_seq(self) -> int:
        with self._guard():
            return int(self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM documents").fetchone()[0])

    def changes(self, since: int = 0) -> Iterator[Change]:
        with self._guard():
            rows = self._db.execute("SELECT seq, gone, data FROM documents WHERE seq > ? ORDER BY seq", (since,))
            for seq, gone, data in rows:
                if data is None:
                    yield Change(seq, gone, None)
                else:
                    document = self._unpack(data)
                    yield Change(seq, document.id, document)

    def is_filled(self) -> bool:
        with self._guard():
            row = self._db.execute("SELECT value FROM meta WHERE key = 'filled'").fetchone()
        return bool(row and row[0] == "1")

    def mark_filled(self) -> None:
        with self._guard():
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('filled', '1')")

    def problems(self) -> list[str]:
        """SQLite's own integrity check, the expected tables, and every row readable."""
        try:
            found = [row[0] for row in self._db.execute("PRAGMA integrity_check")]
            if found != ["ok"]:
                return [f"documentopslag: SQLite meldt {'; '.join(found[:3])}"]
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if missing := EXPECTED_TABLES - tables:
                return [f"documentopslag: tabel(len) ontbreken: {', '.join(sorted(missing))}"]
            return self._unreadable_rows()
        except sqlite3.DatabaseError as exc:
            return [f"documentopslag niet te lezen: {exc}"]

    def _unreadable_rows(self) -> list[str]:
        bad = []
        for doc_id, data in self._db.execute("SELECT id, data FROM ids CROSS JOIN documents USING (seq)"
                                             " WHERE data IS NOT NULL"):
            try:
                self._unpack(data)
            except compression.UNREADABLE as exc:
                bad.append(f"documentopslag: {doc_id} niet te lezen ({exc})")
        return bad

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteDocumentStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _guard(self) -> Guard:
        return Guard(self.path)
