"""``indexer check``: the health of a data directory (index, document store, crawl state),
reported in Dutch with what to do, and ``--repair``: each damaged part rebuilt from a
healthy one.

What can be rebuilt from what: the index from the document store (nothing refetched);
the crawl state from the store — but a state database holds more than the documents:
HTTP validators (ETag/Last-Modified), protocol cursors, failures and the run history are
lost, so the next crawl fetches every document once in full (unchanged ones are not
extracted or indexed again). The store is the one copy of every document (the index keeps
neither texts nor metadata since schema 9): a damaged store is set aside, what is still
readable in it is taken over, and the documents it lost are listed and forgotten by the
crawl state, so the next crawl fetches and extracts them again. Only an index of schema 5
or older, which still held the texts, can fill a store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from indexer.docstore import STORE_FILE, StoreDamaged, open_store, store_exists
from indexer.docstore.salvage import salvage
from indexer.fetch.lock import CrawlLock, CrawlLocked
from indexer.fetch.state import STATE_FILE, CrawlState, IndexedUrl, state_problems
from indexer.index import health
from indexer.index.docstore_sync import FILL_BATCH, fill_from_index
from indexer.model import Document

Log = Callable[[str], None]
Keys = Callable[[Document], set[str]]
#: ids listed by name when index and store differ; beyond this only the count
SHOWN_IDS = 5


@dataclass
class StoreReport:
    exists: bool = False
    filled: bool = False
    count: int = 0
    ids: set[str] | None = None
    hashes: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.exists and self.filled and not self.problems


@dataclass
class HealthReport:
    index: health.IndexReport
    store: StoreReport
    state_exists: bool
    state: list[str]  # problems of the crawl state database
    mismatch: list[str] = field(default_factory=list)  # index and store disagree
    crawl_running: bool = False  # then the store may be one batch ahead of the index


    @property
    def index_damaged(self) -> bool:
        missing_but_needed = not self.index.exists and self.store.usable and self.store.count > 0
        mismatch = self.mismatch and not self.crawl_running
        return bool(self.index.problems or mismatch or missing_but_needed)

    @property
    def damaged(self) -> bool:
        return self.index_damaged or bool(self.store.problems or self.state)

    def lines(self) -> list[str]:
        busy = ["let op: er loopt een crawl; dat de documentopslag een batch voorloopt op de index is "
                "dan normaal"] if self.crawl_running else []
        return [*busy, *self._index_lines(), *self._store_lines(), *self._state_lines(), self._verdict()]

    def _index_lines(self) -> list[str]:
        if not self.index.exists:
            return ["index: ontbreekt" + (" (nog niets gecrawld)" if not self.store.count else "")]
        if not self.index.problems and (not self.mismatch or self.crawl_running):
            return [f"index: in orde ({self.index.documents} documenten, {self.index.segments} segment(en))",
                    *(f"index: {m}" for m in self.mismatch)]
        return [f"index: BESCHADIGD — {p}" for p in self.index.problems + self.mismatch]

    def _store_lines(self) -> list[str]:
        if self.store.problems:
            return [f"documentopslag: BESCHADIGD — {p}" for p in self.store.problems]
        if not self.store.exists or not self.store.filled:
            return ["documentopslag: nog niet gevuld (gebeurt bij de volgende crawl of met --repair)"]
        return [f"documentopslag: in orde ({self.store.count} documenten)"]

    def _state_lines(self) -> list[str]:
        if not self.state_exists:
            return ["crawlstatus: ontbreekt (nog niet gecrawld)"]
        return [f"crawlstatus: BESCHADIGD — {p}" for p in self.state] or ["crawlstatus: in orde"]

    def _verdict(self) -> str:
        if not self.damaged:
            return "alles in orde"
        return "beschadigd: herstel met `indexer check --repair` " + self._how()

    def _how(self) -> str:
        if self.index_damaged and not self.store.usable:
            return ("— de index kan niet worden hersteld zonder documentopslag; haal de bronnen opnieuw "
                    "op (verwijder de index en draai `indexer crawl`)")
        parts = []
        if self.index_damaged:
            parts.append("de index wordt opnieuw opgebouwd uit de documentopslag")
        if self.store.problems and self.index.can_fill_store:
            parts.append("de documentopslag wordt opnieuw gevuld uit de index")
        elif self.store.problems:
            parts.append("de documentopslag is de enige kopie van de documenten: hij wordt opzijgezet, wat nog "
                         "leesbaar is wordt overgenomen, en wat verloren is haalt de volgende `indexer crawl` "
                         "opnieuw op (of zet een back-up van documents.sqlite terug)")
        if self.state:
            parts.append("de crawlstatus wordt opnieuw opgebouwd (ETag/Last-Modified, cursors en "
                         "crawlgeschiedenis gaan verloren; de volgende crawl haalt alles één keer opnieuw op)")
        return "(" + "; ".join(parts) + ")"


def check(data_dir: Path) -> HealthReport:
    """Read everything once; changes nothing (a missing store is not created)."""
    data_dir = Path(data_dir)
    index = health.inspect(data_dir)
    documents = inspect_store(data_dir)
    state_path = data_dir / STATE_FILE
    report = HealthReport(index, documents, state_path.is_file(),
                          state_problems(state_path) if state_path.is_file() else [])
    report.mismatch = _compare(index, documents)
    report.crawl_running = crawl_running(data_dir)
    return report


def crawl_running(data_dir: Path) -> bool:
    if not data_dir.is_dir():
        return False
    try:
        with CrawlLock(data_dir):
            return False
    except CrawlLocked:
        return True


def inspect_store(data_dir: Path) -> StoreReport:
    if not store_exists(data_dir):
        return StoreReport()
    try:
        opened = open_store(data_dir)
    except StoreDamaged as exc:
        return StoreReport(exists=True, problems=[str(exc)])
    with closing(opened) as documents:
        report = StoreReport(exists=True, problems=documents.problems())
        if not report.problems:
            report.filled, report.count = documents.is_filled(), documents.count()
            report.hashes = documents.hashes()
            report.ids = set(report.hashes)
    return report


def _compare(index: health.IndexReport, documents: StoreReport) -> list[str]:
    if index.ids is None or documents.ids is None or not documents.usable:
        return []
    problems = []
    differ = {i for i in documents.ids & index.ids if documents.hashes[i] != index.hashes.get(i, "")}
    for ids, where in ((documents.ids - index.ids, "in de documentopslag maar niet in de index"),
                       (index.ids - documents.ids, "in de index maar niet in de documentopslag"),
                       (differ, "met een andere versie in de index dan in de documentopslag")):
        if ids:
            shown = ", ".join(sorted(ids)[:SHOWN_IDS]) + (" …" if len(ids) > SHOWN_IDS else "")
            problems.append(f"{len(ids)} document(en) {where}: {shown}")
    return problems


def repair(data_dir: Path, keys: Keys, log: Log) -> HealthReport:
    """Rebuild each damaged part from a healthy one; returns the report after repairing.

    Raises :class:`CrawlLocked` while a crawl runs."""
    data_dir = Path(data_dir)
    lock = CrawlLock(data_dir)
    lock.acquire()  # never repair under a running crawl
    try:
        return _repair(data_dir, keys, log)
    finally:
        lock.release()


def _repair(data_dir: Path, keys: Keys, log: Log) -> HealthReport:
    from indexer.index import rebuild

    report = check(data_dir)
    if (report.store.problems or not report.store.filled) and report.index.healthy and report.index.can_fill_store:
        _refill_store(data_dir, log)
        report = check(data_dir)
    elif report.store.problems:
        _salvage_store(data_dir, report, log)
        report = check(data_dir)
    if report.index_damaged and report.store.usable:
        log(f"index opnieuw opgebouwd uit de documentopslag: {rebuild(data_dir, keys)} documenten")
    if report.state:
        _rebuild_state(data_dir, log)
    return check(data_dir)


def _refill_store(data_dir: Path, log: Log) -> None:
    if store_exists(data_dir):
        log(f"beschadigde documentopslag bewaard als {set_aside(data_dir / STORE_FILE).name}")
    with closing(open_store(data_dir)) as documents:
        log(f"documentopslag gevuld uit de index: {fill_from_index(documents, data_dir)} documenten")


def _salvage_store(data_dir: Path, report: HealthReport, log: Log) -> None:
    """A new store with what the damaged one still holds readable; the documents lost with it
    are listed and marked deleted in a healthy crawl state, so the next crawl fetches them in
    full (without validators) and extracts them again."""
    kept = set_aside(data_dir / STORE_FILE)
    log(f"beschadigde documentopslag bewaard als {kept.name}")
    saved = _copy_readable(kept, data_dir)
    log(f"documentopslag opnieuw gevuld met wat leesbaar was: {len(saved)} documenten")
    lost = sorted((report.index.ids or set()) - saved)
    if lost and report.state_exists and not report.state:
        with CrawlState(data_dir) as state:
            state.mark_deleted(lost)
    if lost:
        shown = ", ".join(lost[:SHOWN_IDS]) + (" …" if len(lost) > SHOWN_IDS else "")
        log(f"{len(lost)} document(en) verloren, de volgende `indexer crawl` haalt ze opnieuw op: {shown}")


def _copy_readable(damaged: Path, data_dir: Path) -> set[str]:
    saved: set[str] = set()
    with closing(open_store(data_dir)) as documents:
        batch: dict[str, Document | None] = {}
        for doc in salvage(damaged):
            batch[doc.id] = doc
            if len(batch) >= FILL_BATCH:
                documents.apply(batch)
                saved.update(batch)
                batch = {}
        documents.apply(batch)
        saved.update(batch)
        documents.mark_filled()
    return saved


def _rebuild_state(data_dir: Path, log: Log) -> None:
    kept = set_aside(data_dir / STATE_FILE)
    log(f"beschadigde crawlstatus bewaard als {kept.name}")
    with CrawlState(data_dir) as state:
        rows = [IndexedUrl(doc.file_url or doc.url, doc.source, doc.id, doc.content_hash)
                for doc in _surviving_documents(data_dir)]
        state.mark_indexed(rows)
    log(f"crawlstatus opnieuw opgebouwd: {len(rows)} documenten; ETag/Last-Modified, cursors en "
        "crawlgeschiedenis zijn verloren (de volgende crawl haalt alles één keer opnieuw op)")


def _surviving_documents(data_dir: Path) -> Iterable[Document]:
    """The store's documents (the index holds none since schema 9; a damaged store was
    salvaged before the state is rebuilt)."""
    if inspect_store(data_dir).usable:
        with closing(open_store(data_dir)) as documents:
            yield from documents.documents()


def set_aside(path: Path) -> Path:
    """Move a damaged SQLite file (and its WAL files) out of the way, never deleting it."""
    target = path.with_name(f"{path.name}.beschadigd-{time.strftime('%Y%m%dT%H%M%S')}")
    for extra in ("", "-wal", "-shm"):
        source = path.with_name(path.name + extra)
        if source.exists():
            source.replace(target.with_name(target.name + extra))
    return target
