"""The one crawl loop: source -> fetch -> extract -> index, with the run summary.

Each configured source is run in turn. Requests are fetched one at a time; a
response is parsed by its source into more requests, records (documents) or
failures. A record is extracted (in a guarded child process) and upserted, a
deleted record is removed. One bad document is counted and recorded with its
reason; the crawl goes on.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from indexer.config import Config, SourceConfig
from indexer.extract import ExtractionError, extract_guarded
from indexer.extract.references import canonical_keys
from indexer.fetch import Fetcher, FetchError
from indexer.index import DocumentWriter, open_writer
from indexer.index.writer import existing_hashes
from indexer.model import Cursor, Failure, Record, Request, Response
from indexer.sources import Source, build_source

Log = Callable[[str], None]

EXIT_OK, EXIT_SOME_FAILED, EXIT_COULD_NOT_RUN = 0, 1, 2


@dataclass
class SourceSummary:
    name: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0
    skipped_robots: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.name}: {self.new} nieuw, {self.changed} gewijzigd, {self.unchanged} ongewijzigd, "
                f"{self.deleted} verwijderd, {self.failed} mislukt, {self.skipped_robots} overgeslagen (robots)")

    def fail(self, url: str, reason: str) -> None:
        self.failed += 1
        self.failures.append((url, reason))


@dataclass
class RunSummary:
    sources: list[SourceSummary] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float = 0.0

    @property
    def exit_code(self) -> int:
        return EXIT_SOME_FAILED if any(s.failed for s in self.sources) else EXIT_OK

    def to_dict(self) -> dict[str, object]:
        return {"started": self.started, "finished": self.finished, "exit_code": self.exit_code,
                "sources": [vars(s) for s in self.sources]}


def run_crawl(config: Config, data_dir: Path, only: Sequence[str] | None = None,
              log: Log = print) -> RunSummary:
    """Crawl the configured sources (or only the named ones) into the index."""
    chosen = [config.source(name) for name in only] if only else list(config.sources)
    fetcher = Fetcher(timeout=config.settings.timeout, max_bytes=config.settings.max_bytes)
    summary = RunSummary()
    with open_writer(data_dir, canonical_keys, config.settings.batch_size) as writer:
        for source_config in chosen:
            result = _crawl_source(source_config, config, fetcher, writer, log)
            summary.sources.append(result)
            log(result.line())
    summary.finished = time.time()
    return summary


def _crawl_source(source_config: SourceConfig, config: Config, fetcher: Fetcher,
                  writer: DocumentWriter, log: Log) -> SourceSummary:
    source = build_source(source_config.name, source_config.kind, source_config.options)
    known = existing_hashes(writer, source.name)
    result = SourceSummary(source.name)
    queue: deque[Request] = deque(source.start(None))
    while queue:
        request = queue.popleft()
        response = _fetch(fetcher, request, result)
        if response is not None:
            for item in _parse(source, response, result):
                _handle(item, queue, known, writer, config, result, log)
    return result


def _fetch(fetcher: Fetcher, request: Request, result: SourceSummary) -> Response | None:
    try:
        return fetcher.fetch(request)
    except FetchError as exc:
        result.fail(request.url, exc.reason)
        return None


def _parse(source: Source, response: Response, result: SourceSummary) -> Iterable[object]:
    try:
        return list(source.parse(response))
    except Exception as exc:  # noqa: BLE001 - a connector bug must not stop the crawl
        result.fail(response.url, f"could not parse response: {exc}")
        return []


def _handle(item: object, queue: deque[Request], known: dict[str, str], writer: DocumentWriter,
            config: Config, result: SourceSummary, log: Log) -> None:
    if isinstance(item, Request):
        queue.append(item)
    elif isinstance(item, Failure):
        result.fail(item.url, item.reason)
    elif isinstance(item, Record):
        _store(item, known, writer, config, result, log)
    elif isinstance(item, Cursor):
        pass  # cursors are kept by the incremental crawl state


def _store(record: Record, known: dict[str, str], writer: DocumentWriter, config: Config,
           result: SourceSummary, log: Log) -> None:
    if record.deleted:
        if record.doc_id in known:
            writer.delete(record.doc_id)
            result.deleted += 1
        return
    try:
        doc = extract_guarded(record, fetched_at=_now(), timeout=config.settings.extract_timeout,
                              max_memory_mb=config.settings.extract_memory_mb)
    except ExtractionError as exc:
        result.fail(record.url, exc.reason)
        log(f"mislukt: {record.url}: {exc.reason}")
        return
    previous = known.get(doc.id)
    if previous == doc.content_hash:
        result.unchanged += 1
        return
    writer.upsert(doc)
    if previous is None:
        result.new += 1
    else:
        result.changed += 1


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
