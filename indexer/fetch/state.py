"""The crawl state: what was fetched, with which validators and content hash, where each
source's protocol cursor stands, when each host was last asked (so the delay between
requests holds across runs), and one row per run. SQLite in WAL mode, so a status
page can read while a crawl writes.

Crash safety rests on one rule the pipeline follows: a URL's new hash is written here
only after the index commit that holds its document, so a killed run re-does at most
the uncommitted batch and never skips it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from indexer.errors import CannotRun

STATE_FILE = "crawl-state.sqlite"
#: Tables and the columns the code reads; a state database without them is damaged.
EXPECTED_COLUMNS = {
    "urls": {"url", "source", "doc_id", "status", "etag", "last_modified", "content_hash", "last_fetch",
             "error_count", "last_error"},
    "cursors": {"source", "value", "updated"},
    "runs": {"id", "started", "finished", "exit_code", "summary"},
}


class StateDamaged(CannotRun):
    """The crawl state database cannot be read: ``indexer check --repair`` rebuilds it."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    doc_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,              -- indexed, failed, deleted, skipped, gone (404/410)
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    last_fetch TEXT NOT NULL DEFAULT '',
    error_count INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS urls_doc_id ON urls (doc_id);
CREATE INDEX IF NOT EXISTS urls_source ON urls (source);
CREATE TABLE IF NOT EXISTS cursors (
    source TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS links (  -- which response led to which request, per sweeping source
    source TEXT NOT NULL,
    parent TEXT NOT NULL,              -- '' for a source's start requests
    url TEXT NOT NULL,
    doc_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source, parent, url)
);
CREATE TABLE IF NOT EXISTS hosts (
    host TEXT PRIMARY KEY,
    last_request REAL NOT NULL,        -- Unix time the last exchange with the host ended
    delay REAL NOT NULL                -- the spacing in force then (ours or Crawl-delay)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    exit_code INTEGER NOT NULL,
    summary TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class UrlState:
    url: str
    source: str
    doc_id: str
    status: str
    etag: str
    last_modified: str
    content_hash: str
    last_fetch: str
    error_count: int
    last_error: str


@dataclass(frozen=True)
class IndexedUrl:
    """What to remember about a URL once its document is committed to the index."""

    url: str
    source: str
    doc_id: str
    content_hash: str
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class GoneUrl:
    """A URL that answered 404 or 410."""

    url: str
    source: str
    doc_id: str
    status: int


@dataclass(frozen=True)
class Link:
    """``url`` was requested because of the response to ``parent`` ('' for a start request)."""

    parent: str
    url: str
    doc_id: str = ""


def now_iso(days_ago: float = 0.0) -> str:
    stamp = datetime.now(UTC) - timedelta(days=days_ago)
    return stamp.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class CrawlState:
    """``CrawlState(path)``: ``path`` is the SQLite file or the data directory holding it;
    ``readonly=True`` opens an existing state without ever writing to it."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        path = Path(path)
        if path.is_dir():
            path = path / STATE_FILE
        self.path = path
        if readonly:  # status pages: never create or change the state
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            self._db.row_factory = sqlite3.Row
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            if isinstance(exc, sqlite3.OperationalError):
                raise
            raise StateDamaged(damaged_message(path, exc)) from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- per URL ---------------------------------------------------------------------

    def get(self, url: str) -> UrlState | None:
        row = self._db.execute("SELECT * FROM urls WHERE url = ?", (url,)).fetchone()
        return UrlState(**dict(row)) if row else None

    def validators(self, url: str) -> tuple[str, str] | None:
        """Stored (ETag, Last-Modified) of an indexed URL, for a conditional GET."""
        state = self.get(url)
        if state is None or state.status != "indexed" or not (state.etag or state.last_modified):
            return None
        return state.etag, state.last_modified

    def content_hash(self, url: str) -> str:
        state = self.get(url)
        return state.content_hash if state and state.status == "indexed" else ""

    def mark_indexed(self, rows: Iterable[IndexedUrl]) -> None:
        """Call only after the index commit that holds these documents."""
        stamp = now_iso()
        with self._transaction():
            self._db.executemany(
                "INSERT INTO urls (url, source, doc_id, status, etag, last_modified, content_hash,"
                " last_fetch, error_count, last_error) VALUES (?, ?, ?, 'indexed', ?, ?, ?, ?, 0, '')"
                " ON CONFLICT(url) DO UPDATE SET source=excluded.source, doc_id=excluded.doc_id,"
                " status='indexed', etag=excluded.etag, last_modified=excluded.last_modified,"
                " content_hash=excluded.content_hash, last_fetch=excluded.last_fetch,"
                " error_count=0, last_error=''",
                [(r.url, r.source, r.doc_id, r.etag, r.last_modified, r.content_hash, stamp)
                 for r in rows])

    def mark_unchanged(self, url: str) -> None:
        self._db.execute("UPDATE urls SET last_fetch = ? WHERE url = ?", (now_iso(), url))

    def mark_failed(self, url: str, source: str, doc_id: str, reason: str, status: str = "failed") -> None:
        """A fetch or extraction failure (``status='skipped'`` for robots.txt)."""
        self._db.execute(
            "INSERT INTO urls (url, source, doc_id, status, last_fetch, error_count, last_error)"
            " VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT(url) DO UPDATE SET"
            " error_count = urls.error_count + 1, last_error = excluded.last_error,"
            " last_fetch = excluded.last_fetch,"
            " status = CASE WHEN urls.status = 'indexed' THEN 'indexed' ELSE excluded.status END",
            (url, source, doc_id, status, now_iso(), reason))

    def mark_deleted(self, doc_ids: Iterable[str]) -> None:
        """Call after the index commit that removed these documents."""
        with self._transaction():
            self._db.executemany(
                "UPDATE urls SET status='deleted', content_hash='', etag='', last_modified='',"
                " last_fetch=? WHERE doc_id = ?", [(now_iso(), d) for d in doc_ids])

    def mark_gone(self, rows: Iterable[GoneUrl]) -> None:
        """A URL that answered 404/410: after the commit that removed its document, if any."""
        stamp = now_iso()
        with self._transaction():
            self._db.executemany(
                "INSERT INTO urls (url, source, doc_id, status, last_fetch, last_error)"
                " VALUES (?, ?, ?, 'gone', ?, ?) ON CONFLICT(url) DO UPDATE SET status='gone',"
                " content_hash='', etag='', last_modified='', last_fetch=excluded.last_fetch,"
                " error_count=0, last_error=excluded.last_error",
                [(r.url, r.source, r.doc_id, stamp, f"HTTP {r.status}") for r in rows])

    def was_removed(self, url: str) -> bool:
        """True when ``url`` is known to have gone: remembered as gone, its document deleted,
        or (before gone was remembered) failed as not found."""
        state = self.get(url)
        return state is not None and (state.status in ("gone", "deleted") or (
            state.status == "failed" and state.last_error.startswith("niet gevonden (HTTP")))

    def gone_since(self, url: str, cutoff: str) -> bool:
        """True when ``url`` is remembered as gone and was last tried after ``cutoff``
        (an ISO time as :func:`now_iso` writes it)."""
        state = self.get(url)
        return state is not None and state.status == "gone" and state.last_fetch > cutoff

    def indexed_doc_ids(self, source: str) -> set[str]:
        rows = self._db.execute("SELECT DISTINCT doc_id FROM urls WHERE source = ? AND status = 'indexed'",
                                (source,))
        return {row["doc_id"] for row in rows}

    def counts(self, source: str) -> dict[str, int]:
        rows = self._db.execute("SELECT status, COUNT(*) AS n FROM urls WHERE source = ? GROUP BY status",
                                (source,))
        return {row["status"]: row["n"] for row in rows}

    def url_states(self, source: str) -> Iterator[UrlState]:
        """All URL rows of one source (for status pages and tests)."""
        rows = self._db.execute("SELECT * FROM urls WHERE source = ? ORDER BY url", (source,))
        for row in rows.fetchall():
            yield UrlState(**dict(row))

    # -- per source ------------------------------------------------------------------

    def links(self, source: str) -> list[Link] | None:
        """The request tree of a source's last sweeping run; None when none was recorded."""
        rows = self._db.execute("SELECT parent, url, doc_id FROM links WHERE source = ?", (source,)).fetchall()
        return [Link(row["parent"], row["url"], row["doc_id"]) for row in rows] or None

    def set_links(self, source: str, links: Iterable[Link]) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM links WHERE source = ?", (source,))
            self._db.executemany("INSERT OR IGNORE INTO links (source, parent, url, doc_id) VALUES (?, ?, ?, ?)",
                                 [(source, link.parent, link.url, link.doc_id) for link in links])

    def cursor(self, source: str) -> str | None:
        row = self._db.execute("SELECT value FROM cursors WHERE source = ?", (source,)).fetchone()
        return row["value"] if row else None

    def set_cursor(self, source: str, value: str) -> None:
        self._db.execute(
            "INSERT INTO cursors (source, value, updated) VALUES (?, ?, ?)"
            " ON CONFLICT(source) DO UPDATE SET value=excluded.value, updated=excluded.updated",
            (source, value, now_iso()))

    # -- per host (politeness across runs) -------------------------------------------

    def host_time(self, host: str) -> tuple[float, float] | None:
        """(Unix time of the last request to ``host``, the delay then in force), if any."""
        row = self._db.execute("SELECT last_request, delay FROM hosts WHERE host = ?", (host,)).fetchone()
        return (float(row["last_request"]), float(row["delay"])) if row else None

    def set_host_time(self, host: str, at: float, delay: float) -> None:
        self._db.execute(
            "INSERT INTO hosts (host, last_request, delay) VALUES (?, ?, ?) ON CONFLICT(host)"
            " DO UPDATE SET last_request=excluded.last_request, delay=excluded.delay", (host, at, delay))

    # -- runs ------------------------------------------------------------------------

    def add_run(self, started: str, finished: str, exit_code: int, summary: dict[str, Any]) -> int:
        cur = self._db.execute(
            "INSERT INTO runs (started, finished, exit_code, summary) VALUES (?, ?, ?, ?)",
            (started, finished, exit_code, json.dumps(summary, ensure_ascii=False, sort_keys=True)))
        return int(cur.lastrowid or 0)

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return [{**dict(row), "summary": json.loads(row["summary"])} for row in rows]

    def _transaction(self) -> _Tx:
        return _Tx(self._db)


def damaged_message(path: Path, exc: BaseException) -> str:
    return (f"de crawlstatus ({path.name}) is onleesbaar of beschadigd ({exc}): `indexer check --repair` "
            "bouwt hem opnieuw op uit de documentopslag")


def state_problems(path: Path) -> list[str]:
    """What is wrong with a state database file (empty: healthy); Dutch, for ``indexer check``."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        return [f"crawlstatus niet te openen: {exc}"]
    try:
        found = [row[0] for row in db.execute("PRAGMA integrity_check")]
        if found != ["ok"]:
            return [f"crawlstatus: SQLite meldt {'; '.join(found[:3])}"]
        return [f"crawlstatus: tabel {table} ontbreekt of mist kolommen"
                for table, columns in EXPECTED_COLUMNS.items()
                if not columns <= {row[1] for row in db.execute(f"PRAGMA table_info({table})")}]
    except sqlite3.DatabaseError as exc:
        return [f"crawlstatus niet te lezen: {exc}"]
    finally:
        db.close()


class _Tx:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on error (autocommit connection)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")

