"""The catalogue's schema, as numbered migrations recorded in ``schema_migrations``.

``indexer db upgrade`` applies the missing ones in order, each in its own transaction
(under an advisory lock, so two upgrades at once apply each step once); every other
command checks that the catalogue is at :data:`LATEST` and otherwise says to upgrade.
A migration is never edited once released: a change is a new entry at the end.
"""

from __future__ import annotations

from typing import Any

import psycopg

from indexer.catalogue import CatalogueError

UPGRADE_LOCK = 190001  # pg_advisory_xact_lock key: one upgrade at a time

#: version -> (what it does, SQL)
MIGRATIONS: dict[int, tuple[str, str]] = {
    1: ("crawl state, documents with change sequence, work queue", """
CREATE TABLE urls (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    doc_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    last_fetch TEXT NOT NULL DEFAULT '',
    error_count INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX urls_doc_id ON urls (doc_id);
CREATE INDEX urls_source ON urls (source);
CREATE TABLE cursors (source TEXT PRIMARY KEY, value TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE links (
    source TEXT NOT NULL, parent TEXT NOT NULL, url TEXT NOT NULL, doc_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source, parent, url)
);
CREATE TABLE hosts (host TEXT PRIMARY KEY, last_request DOUBLE PRECISION NOT NULL, delay DOUBLE PRECISION NOT NULL);
CREATE TABLE runs (
    id BIGSERIAL PRIMARY KEY, started TEXT NOT NULL, finished TEXT NOT NULL,
    exit_code INTEGER NOT NULL, summary JSONB NOT NULL
);
CREATE SEQUENCE change_seq;
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    data BYTEA                     -- zlib(JSON of the Document); NULL: deleted (a tombstone)
);
CREATE INDEX documents_source ON documents (source) WHERE data IS NOT NULL;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    name TEXT PRIMARY KEY,
    round BIGINT NOT NULL DEFAULT 0,       -- the current (or last) round of this source
    open BOOLEAN NOT NULL DEFAULT false,   -- its jobs are still being worked on
    blocked BOOLEAN NOT NULL DEFAULT false,-- a request failed this round: keep cursor, sweep nothing
    cursor TEXT NOT NULL DEFAULT '',       -- the highest cursor a response of this round gave
    started DOUBLE PRECISION NOT NULL DEFAULT 0,
    finished DOUBLE PRECISION NOT NULL DEFAULT 0,
    summary JSONB NOT NULL DEFAULT '{}'
);
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    round BIGINT NOT NULL,
    url TEXT NOT NULL,
    role TEXT NOT NULL,
    request JSONB NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',  -- pending, done
    lease_until DOUBLE PRECISION NOT NULL DEFAULT 0,
    token BIGINT NOT NULL DEFAULT 0,        -- bumped by every claim: a stale worker cannot finish it
    worker TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source, round, url, role)
);
CREATE INDEX jobs_pending ON jobs (source, id) WHERE state = 'pending';
CREATE TABLE reached (source TEXT NOT NULL, round BIGINT NOT NULL, doc_id TEXT NOT NULL,
                      PRIMARY KEY (source, round, doc_id));
"""),
    2: ("search nodes report their position; per-URL sweeps (request tree and failed URLs per round)", """
CREATE TABLE nodes (
    name TEXT PRIMARY KEY,                 -- host:data directory of a search node
    applied BIGINT NOT NULL,               -- the last change sequence in its index
    catalogue BIGINT NOT NULL,             -- the catalogue's last sequence when it last looked
    seen DOUBLE PRECISION NOT NULL         -- when it last reported (the database's clock)
);
CREATE TABLE round_links (
    source TEXT NOT NULL, round BIGINT NOT NULL, parent TEXT NOT NULL, url TEXT NOT NULL,
    doc_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source, round, parent, url)
);
CREATE TABLE round_failures (source TEXT NOT NULL, round BIGINT NOT NULL, url TEXT NOT NULL,
                             PRIMARY KEY (source, round, url));
"""),
}
LATEST = max(MIGRATIONS)

TRACKING = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied TIMESTAMPTZ NOT NULL DEFAULT now())"""


def current_version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    found = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
    return int(found[0]) if found else 0


def upgrade(conn: psycopg.Connection[Any]) -> list[int]:
    """Apply every missing migration; returns the versions applied now."""
    applied = []
    for version, (description, sql) in sorted(MIGRATIONS.items()):
        with conn.transaction():
            conn.execute(TRACKING)
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (UPGRADE_LOCK,))
            if current_version(conn) >= version:
                continue
            conn.execute(sql.encode("utf-8"))
            conn.execute("INSERT INTO schema_migrations (version, description) VALUES (%s, %s)",
                         (version, description))
            applied.append(version)
    return applied


def require_current(conn: psycopg.Connection[Any]) -> None:
    """Stop with one line when the catalogue is not at the version this program writes."""
    version = current_version(conn)
    if version < LATEST:
        raise CatalogueError(f"de catalogus staat op schemaversie {version}, dit programma heeft {LATEST} "
                             "nodig: draai eerst `indexer db upgrade`")
    if version > LATEST:
        raise CatalogueError(f"de catalogus staat op schemaversie {version}, nieuwer dan dit programma "
                             f"({LATEST}): werk bronzoeker bij")
