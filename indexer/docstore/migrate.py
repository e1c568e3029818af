"""Bringing a document store of format 1 or 2 to format 3, in place, when it is opened.

Formats 1 and 2 kept a row per id (``id`` the primary key, with an index beside the rowid
table, ``seq`` unique, ``source`` and ``content_hash`` as columns); format 3 keys a row by its
sequence number and keeps the ids in a table of their own (:mod:`sqlite_store`). The rows'
bytes are copied as they are (zlib rows of format 1 and zstd rows of format 2 stay readable),
so the migration costs a copy of the file, once, and no decompression. Migrating rather than
reading both layouts keeps one set of queries; a store of 100,000 documents migrates in
seconds. The file shrinks only with the VACUUM that follows, which is skipped (and done at a
later opening) while another connection reads the store.
"""

from __future__ import annotations

import sqlite3

MIGRATION = """
ALTER TABLE documents RENAME TO documents_before_format_3;
CREATE TABLE documents (seq INTEGER PRIMARY KEY, data BLOB, gone TEXT);
CREATE TABLE ids (id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO documents (seq, data, gone)
    SELECT seq, data, CASE WHEN data IS NULL THEN id END FROM documents_before_format_3 ORDER BY seq;
INSERT INTO ids (id, seq) SELECT id, seq FROM documents_before_format_3 ORDER BY id;
DROP TABLE documents_before_format_3;
"""


def needs_migration(db: sqlite3.Connection) -> bool:
    """True for a store whose documents table is keyed by id (format 1 or 2)."""
    return "id" in _columns(db, "documents")


def migrate(db: sqlite3.Connection) -> None:
    """Rewrite a format 1 or 2 store as format 3 in one transaction, then VACUUM it."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if needs_migration(db):  # not migrated meanwhile by another connection
            for statement in filter(str.strip, MIGRATION.split(";")):  # executescript would commit first
                db.execute(statement)
            if "seq" not in _columns(db, "dictionaries") and _columns(db, "dictionaries"):
                db.execute("ALTER TABLE dictionaries ADD COLUMN seq INTEGER NOT NULL DEFAULT 0")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    try:
        db.execute("VACUUM")  # gives back the pages the old table and its indexes held
    except sqlite3.OperationalError:
        pass  # another connection reads the store: the space is reused by the next writes


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
