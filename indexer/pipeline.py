"""The one crawl loop: source -> fetch -> extract -> index, with the run summary.

A run holds the data directory's lock (a second run stops at once), then crawls each
configured source in turn. Requests are fetched politely one at a time; a response is
parsed by its source into more requests, records, cursors or failures. A record whose
bytes are unchanged (304, or the same content hash) is neither extracted nor indexed;
a changed one is extracted (in a pool of guarded child processes, one per core unless
``[settings] extract_workers`` says otherwise) and upserted in the order the records came,
so the index is the same whatever the number of workers; a deleted one
(OAI ``status="deleted"``, OData ``Verwijderd``, HTTP 404/410) leaves the index. A
404/410 URL is remembered as gone: asked again only every ``gone_recheck_days`` and
never again counted as a failure; when it answers again it is indexed again. Sweeps
are per URL (:mod:`indexer.sweep`): a failing URL keeps what lies below it.

Crash safety: the crawl state records a URL's new hash only in the writer's commit
callback, i.e. after the index commit holding its document, and a source's protocol
cursor only after its last commit, so a run killed at any point and started again
ends with the same index. Each batch reaches the document store just before the index
(see :mod:`indexer.index.writer`), so a kill between the two leaves the store ahead,
and the restart, comparing with the index, writes those documents again. One bad document is counted with its reason; the crawl
goes on.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer.citekeys import canonical_keys
from indexer.config import Config, SourceConfig
from indexer.errors import EXIT_OK, EXIT_SOME_FAILED
from indexer.extract import ExtractionError, guarded
from indexer.fetch import (
    USER_AGENT,
    CrawlState,
    Fetcher,
    FetchError,
    IndexedUrl,
    RobotsDisallowed,
)
from indexer.fetch.lock import CrawlLock, CrawlLocked
from indexer.fetch.state import STATE_FILE, GoneUrl, StateDamaged, damaged_message, now_iso
from indexer.index import analysed, health, open_writer, rebuild, store
from indexer.index.writer import existing_hashes
from indexer.model import Cursor, Document, Failure, Record, Request, Response
from indexer.progress import Progress
from indexer.sources import Source, SourceConfigError, build_source
from indexer.sweep import Sweep

Log = Callable[[str], None]

GONE_STATUSES = (404, 410)
#: Kinds whose every run lists everything they hold, so a document a complete run no longer
#: reaches has gone (a source may set ``sweep = true/false`` to override).
SWEEP_KINDS = {"folder", "website"}

__all__ = ["CrawlLocked", "RunSummary", "SourceSummary", "run_crawl"]


@dataclass
class InFlight:
    """A record in the extraction worker, with what indexing it will need."""

    pending: guarded.Pending
    key: str
    digest: str
    response: Response
    document: Document | None = None
    fields: dict[str, object] | None = None  # its index fields, analysed in the worker
    error: str | None = None

    def wait(self) -> None:
        try:
            self.document = self.pending.result()
            self.fields = self.pending.prepared
        except ExtractionError as exc:
            self.error = exc.reason


@dataclass
class SourceSummary:
    name: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0
    skipped_robots: int = 0
    gone: int = 0  # 404/410 URLs already removed earlier: not asked again yet, or still gone
    failures: list[tuple[str, str]] = field(default_factory=list)
    cursor: str = ""  # the protocol cursor saved at the end of this run ("" = unchanged)

    @property
    def handled(self) -> int:
        """Documents dealt with so far, whatever the outcome."""
        return (self.new + self.changed + self.unchanged + self.deleted + self.failed + self.skipped_robots
                + self.gone)

    def line(self) -> str:
        return (f"{self.name}: {self.new} nieuw, {self.changed} gewijzigd, {self.unchanged} ongewijzigd, "
                f"{self.deleted} verwijderd, {self.failed} mislukt, {self.skipped_robots} overgeslagen (robots)"
                + (f", {self.gone} verdwenen (404/410)" if self.gone else ""))

    def fail(self, url: str, reason: str) -> None:
        self.failed += 1
        self.failures.append((url, reason))


@dataclass
class RunSummary:
    sources: list[SourceSummary] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float = 0.0
    record_path: str = ""  # data_dir/runs/<timestamp>.json
    extract_workers: int = 1  # guarded extraction workers side by side

    @property
    def exit_code(self) -> int:
        return EXIT_SOME_FAILED if any(s.failed for s in self.sources) else EXIT_OK

    def to_dict(self) -> dict[str, object]:
        return {"started": _iso(self.started), "finished": _iso(self.finished), "exit_code": self.exit_code,
                "extract_workers": self.extract_workers,
                "sources": [{**vars(s), "failures": [list(f) for f in s.failures]} for s in self.sources]}


def run_crawl(config: Config, data_dir: Path, only: Sequence[str] | None = None,
              log: Log = print, refetch: bool = False) -> RunSummary:
    """Crawl the configured sources (or only the named ones) into the index.

    ``refetch`` asks every URL in full (no conditional GET) and every protocol listing
    from the start (no cursor), so an upgraded extractor sees remote documents again.

    Raises :class:`CrawlLocked` at once when another crawl holds the data directory, and
    :class:`IndexDamaged`, :class:`StateDamaged` or :class:`StoreDamaged` (nothing is
    fetched) when a part of it cannot be read.
    """
    chosen = [config.source(name) for name in only] if only else list(config.sources)
    data_dir = Path(data_dir)
    lock = CrawlLock(data_dir)
    lock.acquire()
    try:
        _clean_leftovers(data_dir, log)
        _upgrade_index(data_dir, log)
        health.assert_openable(data_dir)  # a damaged index stops the run before anything is fetched
        return _run(chosen, config, data_dir, log, refetch)
    except BaseException as exc:
        _clean_after_failure(data_dir)
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            raise StateDamaged(damaged_message(data_dir / STATE_FILE, exc)) from exc
        raise
    finally:
        guarded.shutdown()  # no extraction worker outlives the crawl that started it
        lock.release()


def _clean_leftovers(data_dir: Path, log: Log) -> None:
    """What a killed or failed run left (partial segments, build directories) goes first:
    on a disk that filled up, that is what frees the space this run needs."""
    removed = store.clean_leftovers(data_dir)
    if removed:
        log(f"opgeruimd na een afgebroken run: {len(removed)} bestand(en)/map(pen) ({', '.join(removed[:5])})")


def _clean_after_failure(data_dir: Path) -> None:
    """A run that stops (disk full, Ctrl-C) leaves only committed files: the segment files of
    the cancelled commit go at once, not only at the next run."""
    try:
        store.clean_leftovers(data_dir)
    except Exception:  # noqa: BLE001 - the original error is the one to report
        pass


def _upgrade_index(data_dir: Path, log: Log) -> None:
    """An index built by an older version is rebuilt from its stored text (no refetching,
    swapped in whole) before the crawl continues on it: an upgrade needs no manual step."""
    if store.is_outdated(data_dir):
        log("index: gebouwd met een oudere versie, wordt opnieuw opgebouwd uit de opgeslagen tekst")
        log(f"index: {rebuild(data_dir, canonical_keys)} documenten opnieuw geïndexeerd")


def _run(chosen: list[SourceConfig], config: Config, data_dir: Path, log: Log, refetch: bool) -> RunSummary:
    with CrawlState(data_dir) as state:
        summary = RunSummary(extract_workers=extract_workers(config))
        fetcher = make_fetcher(config, state, refetch)
        for source_config in chosen:
            result = _run_source(source_config, config, fetcher, state, data_dir, log, refetch)
            summary.sources.append(result)
            log(result.line())
        summary.finished = time.time()
        summary.record_path = str(_record_run(summary, state, data_dir))
    return summary


def _run_source(source_config: SourceConfig, config: Config, fetcher: Fetcher, state: CrawlState,
                data_dir: Path, log: Log, refetch: bool = False) -> SourceSummary:
    """One source; a misconfigured one fails alone (the others still run)."""
    try:
        return SourceRun(source_config, config, fetcher, state, data_dir, log, refetch).run()
    except SourceConfigError as exc:
        result = SourceSummary(source_config.name)
        result.fail(source_config.name, f"configuratie: {exc}")
        return result


def make_fetcher(config: Config, state: CrawlState, refetch: bool = False) -> Fetcher:
    """The polite fetcher from the fetch and politeness settings; with ``refetch`` it sends
    no validators, so every answer carries the bytes."""
    fetch, politeness = config.settings.fetch, config.settings.politeness
    fetcher = Fetcher(timeout=fetch.timeout, max_bytes=fetch.max_bytes,
                      settings=politeness, validators=_no_validators if refetch else state.validators,
                      user_agent=fetch.user_agent or USER_AGENT, obey_robots=fetch.obey_robots,
                      max_redirects=fetch.max_redirects)
    for host, seconds in politeness.host_delay.items():
        fetcher.scheduler.set_host_delay(host, seconds)
    fetcher.scheduler.times = state  # the delay per host holds across runs
    return fetcher


def _no_validators(url: str) -> None:
    return None


def extract_workers(config: Config) -> int:
    """How many guarded extraction workers run side by side: ``[settings] extract_workers``,
    or one per core when it is 0."""
    return max(1, config.settings.extraction.extract_workers or os.cpu_count() or 1)


class SourceRun:
    """One source's crawl: the request queue, the pending state rows, the summary."""

    def __init__(self, source_config: SourceConfig, config: Config, fetcher: Fetcher, state: CrawlState,
                 data_dir: Path, log: Log, refetch: bool = False) -> None:
        self.refetch = refetch  # list from the start: no cursor this run
        self.source: Source = build_source(source_config.name, source_config.kind, source_config.options)
        self.config, self.fetcher, self.state = config, fetcher, state
        self.data_dir = data_dir
        self.result = SourceSummary(self.source.name)
        self.indexed: list[IndexedUrl] = []  # waiting for the next index commit
        self.removed: list[str] = []
        self.gone: list[GoneUrl] = []  # 404/410 URLs whose documents the next commit removes
        self.cursor = ""
        self.cursor_blocked = False  # a fetch or listing failed: keep the old cursor, retry next run
        self.reached: set[str] = set()  # documents this run asked for or received
        self.in_flight: deque[InFlight] = deque()  # in the extraction workers while we index, oldest first
        analysed.warm_up()  # before the workers fork, so they share the lexicons
        self.pool = guarded.pool(extract_workers(config), after=analysed_fields,
                                 depth=config.settings.extraction.extract_run_ahead)
        self.progress = Progress(self.source.name, log)
        sweeping = self.source.options.get("sweep", self.source.kind in SWEEP_KINDS)
        self.sweep = Sweep(state.links(self.source.name)) if sweeping else None
        self.gone_cutoff = now_iso(days_ago=config.settings.crawl.gone_recheck_days)

    def run(self) -> SourceSummary:
        with open_writer(self.data_dir, canonical_keys, self.config.settings.crawl.batch_size,
                         on_commit=self._committed) as writer:
            self.writer = writer
            self.known = existing_hashes(writer, self.source.name)
            cursor = None if self.refetch else self.state.cursor(self.source.name)
            self.progress.start(cursor)
            self._crawl(deque(self._started(self.source.start(cursor))))  # a bad option raises here
            self._drain()
            self._sweep()
            writer.commit()
        self._committed()  # rows of unchanged documents: their index state is already committed
        self.progress.done()
        if self.sweep is not None:
            self.state.set_links(self.source.name, self.sweep.links_to_save())
        if self.cursor and not self.cursor_blocked:
            self.state.set_cursor(self.source.name, self.cursor)
            self.result.cursor = self.cursor
        return self.result

    def _started(self, requests: Iterable[Request]) -> Iterator[Request]:
        for request in requests:
            self._link("", request)
            yield request

    def _link(self, parent: str, request: Request) -> None:
        if self.sweep is not None:
            self.sweep.requested(parent, request.url, self._doc_id(request))

    def _sweep(self) -> None:
        """After a run of a listing kind: drop what it no longer reaches, except what a
        failing URL may have hidden."""
        if self.sweep is not None:
            for doc_id in self.sweep.removable(self.known, self.reached):
                self._delete(doc_id)

    def _committed(self) -> None:
        """The writer's commit callback: only now is the new state true."""
        self.state.mark_indexed(self.indexed)
        self.state.mark_deleted(self.removed)
        self.state.mark_gone(self.gone)
        self.indexed, self.removed, self.gone = [], [], []

    def _crawl(self, queue: deque[Request]) -> None:
        seen: set[tuple[str, str]] = set()
        while queue:
            request = queue.popleft()
            if (request.url, request.role) in seen:
                continue
            seen.add((request.url, request.role))
            if request.native_id:
                self.reached.add(self._doc_id(request))
            self.progress.tick(len(queue), self.result.handled)
            response = self._fetch(request)
            if response is not None:
                for item in self._parse(response):
                    self._handle(item, queue, response)

    def _fetch(self, request: Request) -> Response | None:
        if request.native_id and self.state.gone_since(request.url, self.gone_cutoff):
            self.result.gone += 1  # removed after a 404/410 not long ago: not asked again yet
            return None
        try:
            response = self.fetcher.fetch(request)
        except RobotsDisallowed as exc:
            self.result.skipped_robots += 1
            self.state.mark_failed(request.url, self.source.name, self._doc_id(request), exc.reason, "skipped")
            return None
        except FetchError as exc:
            self._failed(request, exc.reason)
            return None
        if response.status == 304:
            self.result.unchanged += 1
            self.state.mark_unchanged(request.url)
            return None
        if response.status in GONE_STATUSES:
            self._gone(request, response.status)
            return None
        return response

    def _gone(self, request: Request, status: int) -> None:
        """404/410: the document leaves the index once; later answers like it are no failure."""
        doc_id = self._doc_id(request)
        gone = GoneUrl(request.url, self.source.name, doc_id, status)
        if doc_id in self.known:
            self._delete(doc_id)
            self.gone.append(gone)  # remembered once the commit has removed the document
        elif doc_id and self.state.was_removed(request.url):
            self.result.gone += 1
            self.state.mark_gone([gone])
        else:
            self._failed(request, f"niet gevonden (HTTP {status})")
            if doc_id:
                self.state.mark_gone([gone])  # reported once, then remembered as gone

    def _failed(self, request: Request, reason: str) -> None:
        self.cursor_blocked = True
        if self.sweep is not None:
            self.sweep.fail(request.url)
        self.result.fail(request.url, reason)
        self.state.mark_failed(request.url, self.source.name, self._doc_id(request), reason)

    def _parse(self, response: Response) -> Iterable[object]:
        try:
            return list(self.source.parse(response))
        except Exception as exc:  # noqa: BLE001 - a connector bug must not stop the crawl
            self._failed(response.request, f"antwoord niet te lezen: {exc}")
            return []

    def _handle(self, item: object, queue: deque[Request], response: Response) -> None:
        if isinstance(item, Request):
            self._link(response.request.url, item)
            queue.append(item)
        elif isinstance(item, Failure):
            self.cursor_blocked = self.cursor_blocked or item.retry
            if self.sweep is not None and item.retry:  # a page that could not be read hides its links
                self.sweep.fail(response.request.url)
            self.result.fail(item.url, item.reason)
        elif isinstance(item, Record):
            self._store(item, response)
        elif isinstance(item, Cursor):
            self.cursor = max(self.cursor, item.value)

    def _store(self, record: Record, response: Response) -> None:
        self.reached.add(record.doc_id)
        if record.deleted:
            if record.doc_id in self.known:
                self._delete(record.doc_id)
            return
        key = record.file_url or record.url
        digest = record.digest
        if self.known.get(record.doc_id) == digest:
            self.result.unchanged += 1
            self.state.mark_unchanged(key)
            # refresh the validators, and repair a state row lost between commit and write
            self.indexed.append(self._indexed_url(record, record.doc_id, key, digest, response))
            return
        self._index(record, key, digest, response)

    def _index(self, record: Record, key: str, digest: str, response: Response) -> None:
        """Hand the record to an extraction worker; when the workers are as far ahead as
        they may run, first take the oldest extractions and index them once the new one is
        started (extraction in the workers and indexing here overlap, and the workers go on
        while this process commits). Oldest first keeps the single-worker order of upserts."""
        taken: list[InFlight] = []
        while self.pool.full():
            taken.append(self.in_flight.popleft())
            taken[-1].wait()  # frees its place for the record below
        self.in_flight.append(InFlight(self.pool.submit(record, self.config.settings.extraction,
                                                        fetched_at=_iso(time.time())),
                                       key, digest, response))
        for job in taken:
            self._upsert(job)

    def _drain(self) -> None:
        """Index every extraction still in the workers, oldest first (before a deletion, the end)."""
        while self.in_flight:
            oldest = self.in_flight.popleft()
            oldest.wait()
            self._upsert(oldest)

    def _upsert(self, job: InFlight) -> None:
        """Upsert an extracted document; an extraction failure is the document's (the cursor
        moves on: the same bytes would fail again, and a corrected file comes back as a change)."""
        record, key, digest, response = job.pending.record, job.key, job.digest, job.response
        if job.error is not None:
            self.result.fail(record.url, job.error)
            self.state.mark_failed(key, record.source, record.doc_id, job.error)
            return
        doc = job.document
        assert doc is not None, "a job without an error holds its document"
        previous = self.known.get(doc.id)
        if previous is None:
            self.result.new += 1
        else:
            self.result.changed += 1
        self.known[doc.id] = digest
        self.indexed.append(self._indexed_url(record, doc.id, key, digest, response))
        self.writer.upsert(doc, job.fields)

    @staticmethod
    def _indexed_url(record: Record, doc_id: str, key: str, digest: str, response: Response) -> IndexedUrl:
        # validators belong to the fetched URL only (not to records read off a listing page)
        headers = response.headers if key == response.request.url else {}
        return IndexedUrl(key, record.source, doc_id, digest, headers.get("etag", ""),
                          headers.get("last-modified", ""))

    def _delete(self, doc_id: str) -> None:
        self._drain()  # a document still being extracted is indexed before anything is removed
        self.known.pop(doc_id, None)
        self.removed.append(doc_id)
        self.result.deleted += 1
        self.writer.delete(doc_id)

    def _doc_id(self, request: Request) -> str:
        return f"{self.source.name}:{request.native_id}" if request.native_id else ""


def analysed_fields(doc: Document) -> dict[str, object]:
    """The document's index fields, analysed: run in the extraction worker, so the crawl
    process only hands the writer ready terms (analysis costs as much as writing them)."""
    return analysed.index_fields(doc, canonical_keys)


def _record_run(summary: RunSummary, state: CrawlState, data_dir: Path) -> Path:
    data = summary.to_dict()
    state.add_run(data["started"], data["finished"], summary.exit_code, data)  # type: ignore[arg-type]
    runs = data_dir / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    path = runs / (time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(summary.started)) + ".json")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _iso(stamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))
