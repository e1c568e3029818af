"""A crawl worker of the fleet: ``indexer crawl`` when a catalogue is configured.

The worker opens (or joins) a round of each chosen source (:func:`queue.start_round`), then
claims one request at a time, fetches it politely for the whole fleet
(:class:`hosts.FleetScheduler`), parses it with its source, extracts new or changed records
in the guarded child process, and commits everything the request produced — documents with
their change sequence, URL rows, new requests, failures, what it reached — in one
transaction with the job itself. The decisions are the embedded crawl's
(:mod:`indexer.pipeline`): same sources, same hashes, 304/404/410 and robots handling;
only the order of work is the queue's. The worker that finishes a round's last job closes
it: sweeps what a complete run of a listing kind no longer reached and saves the cursor.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass, field

from indexer.catalogue import connect, queue
from indexer.catalogue.documents import write_changes
from indexer.catalogue.hosts import FleetScheduler
from indexer.catalogue.migrations import require_current
from indexer.catalogue.state import (
    PgCrawlState,
    mark_deleted,
    mark_failed,
    mark_gone,
    mark_indexed,
    save_cursor,
    save_links,
)
from indexer.config import Config, SourceConfig
from indexer.extract import ExtractionError, guarded
from indexer.fetch import USER_AGENT, Fetcher, FetchError, IndexedUrl, RobotsDisallowed
from indexer.fetch.state import GoneUrl, now_iso
from indexer.model import Cursor, Document, Failure, Record, Request, Response
from indexer.pipeline import (
    GONE_STATUSES,
    SWEEP_KINDS,
    Log,
    RunSummary,
    SourceSummary,
)
from indexer.sources import Source, SourceConfigError, build_source
from indexer.sweep import Sweep

POLL_SECONDS = 0.2  # how often an idle worker looks again while others still hold jobs


@dataclass
class Outcome:
    """Everything one request produced, committed together with its job (or not at all)."""

    result: SourceSummary
    changes: dict[str, Document | None] = field(default_factory=dict)
    indexed: list[IndexedUrl] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    gone: list[GoneUrl] = field(default_factory=list)
    failed: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # url, source, doc id, reason, status
    children: list[Request] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)
    cursor: str = ""
    failed_urls: set[str] = field(default_factory=set)  # they block the cursor and shield their subtree

    def fail(self, url: str, source: str, doc_id: str, reason: str, status: str = "failed") -> None:
        self.failed.append((url, source, doc_id, reason, status))


def run_fleet_crawl(config: Config, url: str, chosen: list[SourceConfig], log: Log = print,
                    refetch: bool = False) -> RunSummary:
    """Work on the chosen sources' rounds until none of their requests is left."""
    worker = FleetWorker(config, url, chosen, log, refetch)
    try:
        return worker.run()
    finally:
        guarded.shutdown()
        worker.close()


class FleetWorker:
    def __init__(self, config: Config, url: str, chosen: list[SourceConfig], log: Log, refetch: bool) -> None:
        self.config, self.log, self.refetch = config, log, refetch
        self.url = url
        self.db = connect(url)
        require_current(self.db)
        self.state = PgCrawlState(url)
        self.fetcher = fleet_fetcher(config, self.state, url, refetch)
        self.summaries = {c.name: SourceSummary(c.name) for c in chosen}
        self.sources: dict[str, Source] = {}
        for c in chosen:
            try:
                self.sources[c.name] = build_source(c.name, c.kind, c.options)
            except SourceConfigError as exc:  # a misconfigured source fails alone, as in the embedded crawl
                self.summaries[c.name].fail(c.name, f"configuratie: {exc}")
        self.lease = config.settings.fleet.lease_seconds
        self.every = config.settings.fleet.crawl_every
        self.gone_cutoff = now_iso(days_ago=config.settings.crawl.gone_recheck_days)
        self.name = f"{socket.gethostname()}:{os.getpid()}"

    def run(self) -> RunSummary:
        summary = RunSummary(sources=list(self.summaries.values()))
        self._start_rounds()
        self._work_until_done(list(self.sources))
        for result in summary.sources:
            self.log(result.line())
        summary.finished = time.time()
        data = summary.to_dict()
        self.state.add_run(str(data["started"]), str(data["finished"]), summary.exit_code, {**data, "worker": self.name})
        return summary

    def _start_rounds(self) -> None:
        """Open a round of every chosen source that is due; join the ones already open."""
        for name, source in list(self.sources.items()):
            cursor = None if self.refetch else self.state.cursor(name)
            try:
                requests = list(source.start(cursor))  # a bad option raises here
            except SourceConfigError as exc:
                self.summaries[name].fail(name, f"configuratie: {exc}")
                del self.sources[name]
                continue
            if queue.start_round(self.db, name, requests, self.every):
                self.log(f"{name}: nieuwe ronde gestart door {self.name}")

    def _work_until_done(self, names: list[str]) -> None:
        while True:
            job = queue.claim(self.db, names, self.name, self.lease)
            if job is not None:
                with queue.LeaseKeeper(self.url, job, self.lease):
                    self._work(job)
                self._close_round(job.source)
            elif queue.outstanding(self.db, names):
                time.sleep(POLL_SECONDS)  # others hold the rest: their leases may yet expire
            else:
                break
        for name in names:
            self._close_round(name)

    def close(self) -> None:
        self.state.close()
        self.db.close()
        if isinstance(self.fetcher.scheduler, FleetScheduler):
            self.fetcher.scheduler.close()

    # -- one job ---------------------------------------------------------------------

    def _work(self, job: queue.Job) -> None:
        request, source = job.request, self.sources[job.source]
        out = Outcome(SourceSummary(job.source))
        if job.attempts > queue.MAX_ATTEMPTS:
            self._failed(out, request, f"afgebroken: {job.attempts - 1} keer niet afgemaakt")
        else:
            if request.native_id:
                out.reached.add(self._doc_id(request))
            response = self._fetch(request, out)
            if response is not None:
                for item in self._parse(source, response, out):
                    self._handle(item, response, out)
        self._commit(job, out)

    def _commit(self, job: queue.Job, out: Outcome) -> None:
        try:
            with self.db.transaction():
                queue.finish(self.db, job)
                write_changes(self.db, out.changes)
                mark_indexed(self.db, out.indexed)
                mark_deleted(self.db, out.removed)
                mark_gone(self.db, out.gone)
                for failed in out.failed:
                    mark_failed(self.db, *failed)
                queue.add_jobs(self.db, job.source, job.round, out.children)
                queue.add_links(self.db, job.source, job.round, job.request.url, out.children)
                queue.note_round(self.db, job, out.cursor, out.failed_urls, out.reached)
        except queue.LeaseLost as exc:
            self.log(f"{job.source}: {exc}; dit resultaat vervalt")
            return
        merge(self.summaries[job.source], out.result)

    def _fetch(self, request: Request, out: Outcome) -> Response | None:
        doc_id = self._doc_id(request)
        if request.native_id and self.state.gone_since(request.url, self.gone_cutoff):
            out.result.gone += 1
            return None
        try:
            response = self.fetcher.fetch(request)
        except RobotsDisallowed as exc:
            out.result.skipped_robots += 1
            out.fail(request.url, request.source, doc_id, exc.reason, "skipped")
            return None
        except FetchError as exc:
            self._failed(out, request, exc.reason)
            return None
        if response.status == 304:
            out.result.unchanged += 1
            self.state.mark_unchanged(request.url)
            return None
        if response.status in GONE_STATUSES:
            self._gone(request, response.status, out)
            return None
        return response

    def _gone(self, request: Request, status: int, out: Outcome) -> None:
        doc_id = self._doc_id(request)
        gone = GoneUrl(request.url, request.source, doc_id, status)
        if doc_id and self._known(doc_id) is not None:
            self._delete(doc_id, out)
            out.gone.append(gone)
        elif doc_id and self.state.was_removed(request.url):
            out.result.gone += 1
            out.gone.append(gone)
        else:
            self._failed(out, request, f"niet gevonden (HTTP {status})")
            if doc_id:
                out.gone.append(gone)

    def _failed(self, out: Outcome, request: Request, reason: str) -> None:
        out.failed_urls.add(request.url)
        out.result.fail(request.url, reason)
        out.fail(request.url, request.source, self._doc_id(request), reason)

    @staticmethod
    def _parse(source: Source, response: Response, out: Outcome) -> list[object]:
        try:
            return list(source.parse(response))
        except Exception as exc:  # noqa: BLE001 - a connector bug must not stop the worker
            out.failed_urls.add(response.request.url)
            out.result.fail(response.request.url, f"antwoord niet te lezen: {exc}")
            return []

    def _handle(self, item: object, response: Response, out: Outcome) -> None:
        if isinstance(item, Request):
            out.children.append(item)
        elif isinstance(item, Failure):
            if item.retry:  # a page that could not be read hides its links
                out.failed_urls.add(response.request.url)
            out.result.fail(item.url, item.reason)
        elif isinstance(item, Record):
            self._store(item, response, out)
        elif isinstance(item, Cursor):
            out.cursor = max(out.cursor, item.value)

    def _store(self, record: Record, response: Response, out: Outcome) -> None:
        out.reached.add(record.doc_id)
        if record.deleted:
            if self._known(record.doc_id) is not None:
                self._delete(record.doc_id, out)
            return
        key, digest = record.file_url or record.url, record.digest
        known = self._known(record.doc_id)
        if known == digest:
            out.result.unchanged += 1
            out.indexed.append(indexed_url(record, record.doc_id, key, digest, response))
            return
        try:
            doc = guarded.extract_guarded(record, self.config.settings.extraction, fetched_at=now_iso())
        except ExtractionError as exc:
            out.result.fail(record.url, exc.reason)
            out.fail(key, record.source, record.doc_id, exc.reason)
            return
        if known is None:
            out.result.new += 1
        else:
            out.result.changed += 1
        out.changes[doc.id] = doc
        out.indexed.append(indexed_url(record, doc.id, key, digest, response))

    def _delete(self, doc_id: str, out: Outcome) -> None:
        out.changes[doc_id] = None
        out.removed.append(doc_id)
        out.result.deleted += 1

    def _known(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT content_hash FROM documents WHERE id = %s AND data IS NOT NULL",
                              (doc_id,)).fetchone()
        return str(row[0]) if row else None

    @staticmethod
    def _doc_id(request: Request) -> str:
        return queue.request_doc_id(request)

    # -- the end of a round ----------------------------------------------------------

    def _close_round(self, name: str) -> None:
        if queue.outstanding(self.db, [name]):
            return
        source = self.sources[name]
        with self.db.transaction():
            end = queue.close_round(self.db, name)
            if end is None:
                return
            if source.options.get("sweep", source.kind in SWEEP_KINDS):
                self._sweep(end)
            if end.cursor and not end.blocked:
                save_cursor(self.db, name, end.cursor)
                self.summaries[name].cursor = end.cursor

    def _sweep(self, end: queue.RoundEnd) -> None:
        """Per URL, as the embedded crawl (:mod:`indexer.sweep`): what the round no longer reached
        has gone, except what the previous round's tree puts below a URL that failed now. Each
        removal is a change of its own in the sequence, so every node drops it."""
        links, failed = queue.round_tree(self.db, end)
        sweep = Sweep(self.state.links(end.source))
        for link in links:
            sweep.requested(link.parent, link.url, link.doc_id)
        for url in failed:
            sweep.fail(url)
        rows = self.db.execute("SELECT id FROM documents WHERE source = %s AND data IS NOT NULL",
                               (end.source,)).fetchall()
        gone = sweep.removable((row[0] for row in rows), queue.reached_ids(self.db, end))
        write_changes(self.db, dict.fromkeys(gone))
        mark_deleted(self.db, gone)
        save_links(self.db, end.source, sweep.links_to_save())
        self.summaries[end.source].deleted += len(gone)


def fleet_fetcher(config: Config, state: PgCrawlState, url: str, refetch: bool) -> Fetcher:
    """The embedded crawl's fetcher (:func:`indexer.pipeline.make_fetcher`), its validators from
    the catalogue and its politeness held for the fleet."""
    fetch, politeness = config.settings.fetch, config.settings.politeness
    fetcher = Fetcher(timeout=fetch.timeout, max_bytes=fetch.max_bytes, settings=politeness,
                      validators=(lambda _: None) if refetch else state.validators,
                      user_agent=fetch.user_agent or USER_AGENT, obey_robots=fetch.obey_robots,
                      max_redirects=fetch.max_redirects)
    fetcher.scheduler = FleetScheduler(politeness, url, reserve=fetch.timeout)
    for host, seconds in politeness.host_delay.items():
        fetcher.scheduler.set_host_delay(host, seconds)
    return fetcher


def indexed_url(record: Record, doc_id: str, key: str, digest: str, response: Response) -> IndexedUrl:
    # validators belong to the fetched URL only (not to records read off a listing page)
    headers = response.headers if key == response.request.url else {}
    return IndexedUrl(key, record.source, doc_id, digest, headers.get("etag", ""), headers.get("last-modified", ""))


def merge(total: SourceSummary, part: SourceSummary) -> None:
    for name in ("new", "changed", "unchanged", "deleted", "failed", "skipped_robots", "gone"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.failures.extend(part.failures)


