"""The work queue in the catalogue: rounds per source, one job per request, leases.

A source is crawled in rounds. Starting one is the single place that decides a source is
due: the source's row is locked, and only when no round is open (and the last one ended
at least ``crawl_every`` seconds ago) is a new round opened with its start requests as
jobs — so two workers never list the same source at once; a worker that finds a round
open joins it. Workers claim jobs with ``FOR UPDATE SKIP LOCKED`` and a lease; every claim
bumps the job's token, and a job is finished only by the holder of the current token in
the same transaction as everything it produced. A live worker renews its lease while it
works (:class:`LeaseKeeper`), so work a killed worker held is taken over once its short
lease expires, and committed exactly once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import psycopg

from indexer.catalogue import connect
from indexer.fetch.state import Link
from indexer.model import Request

NOW = "extract(epoch from clock_timestamp())::float8"
#: claims of one job before it counts as failed (each one ended by a killed or stuck worker)
MAX_ATTEMPTS = 5


class LeaseLost(Exception):
    """Another worker took this job over (the lease had expired): its result is discarded."""


@dataclass(frozen=True)
class Job:
    id: int
    source: str
    round: int
    request: Request
    token: int
    attempts: int


def encode(request: Request) -> str:
    return json.dumps({**asdict(request), "meta": dict(request.meta), "headers": dict(request.headers)},
                      ensure_ascii=False, default=str)


def decode(data: dict[str, Any]) -> Request:
    return Request(**data)


def start_round(conn: psycopg.Connection[Any], name: str, requests: Iterable[Request],
                every: float = 0.0) -> bool:
    """Open a new round of ``name`` with ``requests`` unless one is open or the last ended less than
    ``every`` seconds ago; True when this call opened it."""
    with conn.transaction():
        conn.execute("INSERT INTO sources (name) VALUES (%s) ON CONFLICT DO NOTHING", (name,))
        row = conn.execute(f"SELECT open, finished, {NOW} FROM sources WHERE name = %s FOR UPDATE",
                           (name,)).fetchone()
        assert row is not None, "the row was inserted above"
        is_open, finished, now = row
        if is_open or (finished and now - finished < every):
            return False
        found = conn.execute(f"UPDATE sources SET round = round + 1, open = true, blocked = false, cursor = '',"
                             f" started = {NOW}, finished = 0 WHERE name = %s RETURNING round", (name,)).fetchone()
        assert found is not None
        requests = list(requests)
        add_jobs(conn, name, int(found[0]), requests)
        add_links(conn, name, int(found[0]), "", requests)
    return True


def request_doc_id(request: Request) -> str:
    """The document a request asks for ('' for a listing), as the crawl names it."""
    return f"{request.source}:{request.native_id}" if request.native_id else ""


def add_links(conn: psycopg.Connection[Any], name: str, round_: int, parent: str,
              requests: Iterable[Request]) -> None:
    """Record which response led to which request (the round's request tree, for the per-URL sweep)."""
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO round_links (source, round, parent, url, doc_id) VALUES (%s, %s, %s, %s, %s)"
                        " ON CONFLICT DO NOTHING",
                        [(name, round_, parent, r.url, request_doc_id(r)) for r in requests])


def add_jobs(conn: psycopg.Connection[Any], name: str, round_: int, requests: Iterable[Request]) -> None:
    """Enqueue requests in the caller's transaction; one asked twice in a round is one job."""
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO jobs (source, round, url, role, request) VALUES (%s, %s, %s, %s, %s)"
                        " ON CONFLICT DO NOTHING",
                        [(name, round_, r.url, r.role, encode(r)) for r in requests])


def claim(conn: psycopg.Connection[Any], sources: Sequence[str], worker: str, lease: float) -> Job | None:
    """The oldest pending job of ``sources`` that nobody holds a live lease on, leased to ``worker``."""
    row = conn.execute(
        f"UPDATE jobs SET lease_until = {NOW} + %s, token = token + 1, worker = %s, attempts = attempts + 1"
        f" WHERE id = (SELECT id FROM jobs WHERE state = 'pending' AND source = ANY(%s) AND lease_until < {NOW}"
        "  ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)"
        " RETURNING id, source, round, request, token, attempts", (lease, worker, list(sources))).fetchone()
    if row is None:
        return None
    job_id, source, round_, request, token, attempts = row
    return Job(int(job_id), source, int(round_), decode(request), int(token), int(attempts))


class LeaseKeeper:
    """Renews the lease of the job a worker is on, every third of the lease, from a thread of
    its own: a short lease (a killed worker's job is taken over soon) survives a long
    extraction. ``with LeaseKeeper(url, job, lease): ...``"""

    def __init__(self, url: str, job: Job, lease: float) -> None:
        self.url, self.job, self.lease = url, job, lease
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{job.id}", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with connect(self.url) as conn:
            while not self._stop.wait(self.lease / 3):
                conn.execute(f"UPDATE jobs SET lease_until = {NOW} + %s WHERE id = %s AND token = %s",
                             (self.lease, self.job.id, self.job.token))


def finish(conn: psycopg.Connection[Any], job: Job) -> None:
    """Mark ``job`` done inside the caller's transaction, or raise :class:`LeaseLost`."""
    row = conn.execute("SELECT token, state FROM jobs WHERE id = %s FOR UPDATE", (job.id,)).fetchone()
    if row is None or int(row[0]) != job.token or row[1] != "pending":
        raise LeaseLost(f"job {job.id} ({job.request.url}) is taken over by another worker")
    conn.execute("UPDATE jobs SET state = 'done', lease_until = 0 WHERE id = %s", (job.id,))


def note_round(conn: psycopg.Connection[Any], job: Job, cursor: str, failed: Iterable[str],
               reached: Iterable[str], blocked: bool = False) -> None:
    """What a job tells its round: the highest cursor, the URLs that failed (they block the cursor
    and protect what lies below them from the sweep), documents reached."""
    failed = set(failed)
    conn.execute("UPDATE sources SET cursor = GREATEST(cursor, %s), blocked = blocked OR %s"
                 " WHERE name = %s AND round = %s", (cursor, blocked or bool(failed), job.source, job.round))
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO reached (source, round, doc_id) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                        [(job.source, job.round, doc_id) for doc_id in reached])
        cur.executemany("INSERT INTO round_failures (source, round, url) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                        [(job.source, job.round, url) for url in failed])


def outstanding(conn: psycopg.Connection[Any], sources: Sequence[str]) -> int:
    """Jobs of ``sources`` not yet done (pending, or leased to a worker)."""
    row = conn.execute("SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND source = ANY(%s)",
                       (list(sources),)).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class RoundEnd:
    """A round that has just been closed, for the closer to sweep and save the cursor of."""

    source: str
    round: int
    blocked: bool
    cursor: str


def close_round(conn: psycopg.Connection[Any], name: str) -> RoundEnd | None:
    """Close ``name``'s open round when its last job is done (in the caller's transaction); the
    row lock makes exactly one worker the closer."""
    row = conn.execute("SELECT round, open, blocked, cursor FROM sources WHERE name = %s FOR UPDATE",
                       (name,)).fetchone()
    if row is None or not row[1]:
        return None
    if outstanding(conn, [name]):
        return None
    conn.execute(f"UPDATE sources SET open = false, finished = {NOW} WHERE name = %s", (name,))
    conn.execute("DELETE FROM jobs WHERE source = %s AND round < %s", (name, row[0]))
    for table in ("reached", "round_links", "round_failures"):
        conn.execute(f"DELETE FROM {table} WHERE source = %s AND round < %s", (name, row[0]))
    return RoundEnd(name, int(row[0]), bool(row[2]), str(row[3]))


def reached_ids(conn: psycopg.Connection[Any], end: RoundEnd) -> set[str]:
    rows = conn.execute("SELECT doc_id FROM reached WHERE source = %s AND round = %s",
                        (end.source, end.round)).fetchall()
    return {row[0] for row in rows}


def round_tree(conn: psycopg.Connection[Any], end: RoundEnd) -> tuple[list[Link], set[str]]:
    """The closed round's request tree and the URLs that failed in it."""
    links = conn.execute("SELECT parent, url, doc_id FROM round_links WHERE source = %s AND round = %s",
                         (end.source, end.round)).fetchall()
    failed = conn.execute("SELECT url FROM round_failures WHERE source = %s AND round = %s",
                          (end.source, end.round)).fetchall()
    return [Link(*row) for row in links], {row[0] for row in failed}
