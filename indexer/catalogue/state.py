"""The crawl state in the catalogue: :class:`indexer.fetch.state.CrawlState`'s methods on PostgreSQL.

The same tables and meaning as the SQLite state (per URL validators, hash and status;
cursors; request trees of sweeping sources; runs), shared by every worker. Methods that
take ``conn`` write inside the caller's transaction, so a worker commits a document, its
URL row and its finished job together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg
from psycopg.rows import dict_row

from indexer.catalogue import connect
from indexer.catalogue.migrations import require_current
from indexer.fetch.state import GoneUrl, IndexedUrl, Link, UrlState, now_iso

INDEXED_SQL = (
    "INSERT INTO urls (url, source, doc_id, status, etag, last_modified, content_hash, last_fetch, error_count,"
    " last_error) VALUES (%s, %s, %s, 'indexed', %s, %s, %s, %s, 0, '') ON CONFLICT (url) DO UPDATE SET"
    " source = excluded.source, doc_id = excluded.doc_id, status = 'indexed', etag = excluded.etag,"
    " last_modified = excluded.last_modified, content_hash = excluded.content_hash,"
    " last_fetch = excluded.last_fetch, error_count = 0, last_error = ''")
GONE_SQL = (
    "INSERT INTO urls (url, source, doc_id, status, last_fetch, last_error) VALUES (%s, %s, %s, 'gone', %s, %s)"
    " ON CONFLICT (url) DO UPDATE SET status = 'gone', content_hash = '', etag = '', last_modified = '',"
    " last_fetch = excluded.last_fetch, error_count = 0, last_error = excluded.last_error")
FAILED_SQL = (
    "INSERT INTO urls (url, source, doc_id, status, last_fetch, error_count, last_error)"
    " VALUES (%s, %s, %s, %s, %s, 1, %s) ON CONFLICT (url) DO UPDATE SET"
    " error_count = urls.error_count + 1, last_error = excluded.last_error, last_fetch = excluded.last_fetch,"
    " status = CASE WHEN urls.status = 'indexed' THEN 'indexed' ELSE excluded.status END")


def mark_indexed(conn: psycopg.Connection[Any], rows: Iterable[IndexedUrl]) -> None:
    stamp = now_iso()
    with conn.cursor() as cur:
        cur.executemany(INDEXED_SQL, [(r.url, r.source, r.doc_id, r.etag, r.last_modified, r.content_hash, stamp)
                                      for r in rows])


def mark_deleted(conn: psycopg.Connection[Any], doc_ids: Iterable[str]) -> None:
    with conn.cursor() as cur:
        cur.executemany("UPDATE urls SET status = 'deleted', content_hash = '', etag = '', last_modified = '',"
                        " last_fetch = %s WHERE doc_id = %s", [(now_iso(), d) for d in doc_ids])


def mark_gone(conn: psycopg.Connection[Any], rows: Iterable[GoneUrl]) -> None:
    stamp = now_iso()
    with conn.cursor() as cur:
        cur.executemany(GONE_SQL, [(r.url, r.source, r.doc_id, stamp, f"HTTP {r.status}") for r in rows])


def save_cursor(conn: psycopg.Connection[Any], source: str, value: str) -> None:
    conn.execute("INSERT INTO cursors (source, value, updated) VALUES (%s, %s, %s) ON CONFLICT (source)"
                 " DO UPDATE SET value = excluded.value, updated = excluded.updated", (source, value, now_iso()))


def save_links(conn: psycopg.Connection[Any], source: str, links: Iterable[Link]) -> None:
    """Replace ``source``'s request tree (what the next sweep reads as the previous one)."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM links WHERE source = %s", (source,))
        cur.executemany("INSERT INTO links (source, parent, url, doc_id) VALUES (%s, %s, %s, %s)"
                        " ON CONFLICT DO NOTHING", [(source, k.parent, k.url, k.doc_id) for k in links])


def mark_failed(conn: psycopg.Connection[Any], url: str, source: str, doc_id: str, reason: str,
                status: str = "failed") -> None:
    conn.execute(FAILED_SQL, (url, source, doc_id, status, now_iso(), reason))


class PgCrawlState:
    """The shared crawl state; one connection per worker."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._db = connect(url)
        require_current(self._db)
        self._db.row_factory = dict_row  # type: ignore[assignment]

    @property
    def connection(self) -> psycopg.Connection[Any]:
        return self._db

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> PgCrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- per URL ---------------------------------------------------------------------

    def get(self, url: str) -> UrlState | None:
        row = self._db.execute("SELECT * FROM urls WHERE url = %s", (url,)).fetchone()
        return UrlState(**row) if row else None  # type: ignore[arg-type]

    def validators(self, url: str) -> tuple[str, str] | None:
        state = self.get(url)
        if state is None or state.status != "indexed" or not (state.etag or state.last_modified):
            return None
        return state.etag, state.last_modified

    def content_hash(self, url: str) -> str:
        state = self.get(url)
        return state.content_hash if state and state.status == "indexed" else ""

    def mark_indexed(self, rows: Iterable[IndexedUrl]) -> None:
        with self._db.transaction():
            mark_indexed(self._db, rows)

    def mark_unchanged(self, url: str) -> None:
        self._db.execute("UPDATE urls SET last_fetch = %s WHERE url = %s", (now_iso(), url))

    def mark_failed(self, url: str, source: str, doc_id: str, reason: str, status: str = "failed") -> None:
        mark_failed(self._db, url, source, doc_id, reason, status)

    def mark_deleted(self, doc_ids: Iterable[str]) -> None:
        with self._db.transaction():
            mark_deleted(self._db, doc_ids)

    def mark_gone(self, rows: Iterable[GoneUrl]) -> None:
        with self._db.transaction():
            mark_gone(self._db, rows)

    def was_removed(self, url: str) -> bool:
        state = self.get(url)
        return state is not None and (state.status in ("gone", "deleted") or (
            state.status == "failed" and state.last_error.startswith("niet gevonden (HTTP")))

    def gone_since(self, url: str, cutoff: str) -> bool:
        state = self.get(url)
        return state is not None and state.status == "gone" and state.last_fetch > cutoff

    def indexed_doc_ids(self, source: str) -> set[str]:
        rows = self._db.execute("SELECT DISTINCT doc_id FROM urls WHERE source = %s AND status = 'indexed'",
                                (source,)).fetchall()
        return {row["doc_id"] for row in rows}  # type: ignore[call-overload]

    def counts(self, source: str) -> dict[str, int]:
        rows = self._db.execute("SELECT status, COUNT(*) AS n FROM urls WHERE source = %s GROUP BY status",
                                (source,)).fetchall()
        return {row["status"]: int(row["n"]) for row in rows}  # type: ignore[call-overload]

    def url_states(self, source: str) -> Iterator[UrlState]:
        rows = self._db.execute("SELECT * FROM urls WHERE source = %s ORDER BY url", (source,)).fetchall()
        for row in rows:
            yield UrlState(**row)  # type: ignore[arg-type]

    # -- per source ------------------------------------------------------------------

    def links(self, source: str) -> list[Link] | None:
        rows = self._db.execute("SELECT parent, url, doc_id FROM links WHERE source = %s", (source,)).fetchall()
        return [Link(r["parent"], r["url"], r["doc_id"]) for r in rows] or None  # type: ignore[call-overload]

    def set_links(self, source: str, links: Iterable[Link]) -> None:
        with self._db.transaction():
            save_links(self._db, source, links)

    def cursor(self, source: str) -> str | None:
        row = self._db.execute("SELECT value FROM cursors WHERE source = %s", (source,)).fetchone()
        return row["value"] if row else None  # type: ignore[call-overload]

    def set_cursor(self, source: str, value: str) -> None:
        save_cursor(self._db, source, value)

    # -- per host --------------------------------------------------------------------

    def host_time(self, host: str) -> tuple[float, float] | None:
        row = self._db.execute("SELECT last_request, delay FROM hosts WHERE host = %s", (host,)).fetchone()
        return (float(row["last_request"]), float(row["delay"])) if row else None  # type: ignore[call-overload]

    def set_host_time(self, host: str, at: float, delay: float) -> None:
        self._db.execute("INSERT INTO hosts (host, last_request, delay) VALUES (%s, %s, %s) ON CONFLICT (host)"
                         " DO UPDATE SET last_request = excluded.last_request, delay = excluded.delay",
                         (host, at, delay))

    # -- runs ------------------------------------------------------------------------

    def add_run(self, started: str, finished: str, exit_code: int, summary: dict[str, Any]) -> int:
        row = self._db.execute("INSERT INTO runs (started, finished, exit_code, summary) VALUES (%s, %s, %s, %s)"
                               " RETURNING id", (started, finished, exit_code,
                                                 json.dumps(summary, ensure_ascii=False))).fetchone()
        return int(row["id"]) if row else 0  # type: ignore[call-overload]

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT %s", (limit,)).fetchall()
        return [dict(row) for row in rows]  # type: ignore[call-overload]
