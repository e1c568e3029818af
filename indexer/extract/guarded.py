"""Run :func:`indexer.extract.extract` in a forked child with a timeout and a memory cap.

A PDF bomb or a pathological file then ends as ``ExtractionError("timed out after 60 s")``
or ``ExtractionError("exceeded memory limit (1024 MB) …")`` instead of hanging or
swapping the crawler. The child is a worker that stays alive between documents (a fork
per document costs ~40 ms, more than extracting a KOOP XML); it is replaced after a
timeout, a crash, any failure, other extraction settings, or every :data:`RECYCLE_AFTER`
documents. The memory cap is RLIMIT_AS set in the worker to its inherited address
space plus ``extract_memory_mb``; the language model and word list are loaded in the
parent first so workers share them copy-on-write. A :class:`Pool` runs several such
workers side by side (the crawl sizes it to the machine); each calling thread has its own.
A pool may be given a function to run on each extracted document in the worker too (the
crawl analyses the document's index fields there, so its own process only writes them);
its result comes back with the document (:attr:`Pending.prepared`).
"""

from __future__ import annotations

import faulthandler
import math
import multiprocessing
import os
import resource
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import Any, Callable

from indexer.extract.errors import ExtractionError
from indexer.model import Document, Record
from indexer.settings import DEFAULTS, ExtractionSettings

_MB = 1024 * 1024
#: documents one worker extracts before it is replaced (bounds slow memory growth). A worker
#: also holds the analysis caches (what each word becomes), which a new one fills again: at 500
#: that cost the 8,041 real XMLs ~1.5 ms CPU per document; the caches themselves are bounded.
RECYCLE_AFTER = 2000
_local = threading.local()
#: work on an extracted document that the worker does too (its result travels with it)
After = Callable[[Document], Any]


def warm_up() -> None:
    """Load the shared data before forking (once per process)."""
    from indexer.extract.language import _identifier
    from indexer.extract.wordlist import dutch_words

    _identifier()
    dutch_words()


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _serve(conn: Connection, parent_end: Connection, max_memory_mb: int, after: After | None) -> None:
    """Worker loop: (record, fetched_at, settings) in, ("ok", (Document, after(Document)))
    or ("error", reason) out.

    The worker ends when the parent goes away (EOF on the pipe), and a task that outlives
    its timeout by 5 s ends it through SIGALRM, so an orphaned worker cannot linger.
    """
    from indexer.extract import extract

    parent_end.close()  # else this process keeps its own pipe open and never sees EOF
    _close_inherited_fds(keep=conn.fileno())
    faulthandler.disable()  # an abort at the memory cap is expected here, not a crash report
    try:
        limit = _address_space() + max_memory_mb * _MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        pass  # no /proc or limits not supported: run without the cap
    while True:
        try:
            record, fetched_at, settings = conn.recv()
        except (EOFError, OSError):
            return
        signal.alarm(math.ceil(settings.extract_timeout) + 5)
        try:
            document = extract(record, settings, fetched_at=fetched_at)
            conn.send(("ok", (document, after(document) if after else None)))
        except ExtractionError as exc:
            conn.send(("error", exc.reason))
        except MemoryError:
            conn.send(("error", f"exceeded memory limit ({max_memory_mb} MB)"))
        except Exception as exc:  # noqa: BLE001 - report any crash as this document's failure
            conn.send(("error", f"extractor crashed: {type(exc).__name__}: {str(exc)[:160]}"))
        finally:
            signal.alarm(0)


def _close_inherited_fds(keep: int) -> None:
    """Close every descriptor the fork copied from the parent but the worker's pipe.

    A copy of a parent's pipe or socket (a browser driver's stdin, a server's listening
    socket, another worker's pipe) held open here would keep the other end from ever
    seeing EOF, so the parent could hang waiting for a process it already let go.
    """
    max_fd = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    max_fd = max_fd if 0 < max_fd < 1 << 20 else 65536
    os.closerange(3, keep)
    os.closerange(keep + 1, max_fd)


class _Worker:
    """One long-lived extraction child and the settings it was started with."""

    def __init__(self, settings: ExtractionSettings, after: After | None) -> None:
        self.key = _settings_key(settings, after)
        self.done = 0
        context = multiprocessing.get_context("fork")
        self.conn, child_conn = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child_conn, self.conn, settings.extract_memory_mb, after),
                                       daemon=True)
        self.process.start()
        child_conn.close()

    def send(self, record: Record, fetched_at: str, settings: ExtractionSettings) -> bool:
        """Hand the worker a record; False when it is already gone."""
        self.done += 1
        try:
            self.conn.send((record, fetched_at, settings))
            return True
        except (EOFError, OSError):
            return False

    def receive(self, sent: bool, deadline: float, timeout: float, max_memory_mb: int) -> tuple[str, Any]:
        try:
            if sent and self.conn.poll(max(0.0, deadline - time.monotonic())):
                return self.conn.recv()
        except (EOFError, OSError):
            pass  # the worker died before answering
        if self.process.is_alive():
            return ("timeout", f"timed out after {timeout:g} s")
        self.process.join(1)
        code = self.process.exitcode
        if code is not None and code < 0:
            return ("dead", f"exceeded memory limit ({max_memory_mb} MB) or crashed (signal {-code})")
        return ("dead", f"extractor process ended without a result (exit code {code})")

    def stop(self) -> None:
        try:
            if self.process.is_alive() and self.process.pid is not None:
                os.kill(self.process.pid, signal.SIGKILL)
            self.process.join(5)
        finally:
            self.conn.close()


def _settings_key(settings: ExtractionSettings, after: After | None) -> tuple[Any, ...]:
    """A worker is only reused by the process that started it, for the same settings and work."""
    return (settings, os.getpid(), after)


def _usable(worker: _Worker, settings: ExtractionSettings, after: After | None) -> bool:
    return (worker.key == _settings_key(settings, after) and worker.done < RECYCLE_AFTER
            and worker.process.is_alive())


class Pool:
    """Up to ``size`` guarded workers, each extracting one document at a time.

    :meth:`submit` hands a record to an idle worker (starting one when fewer than ``size``
    run); the worker is busy until its :class:`Pending` gives its result. Submitting while
    all are busy is a caller error: take a result first. Results are taken in whatever
    order the caller chooses, so a caller that takes them first-in first-out gets the
    same sequence of documents as a single worker would give.
    """

    def __init__(self, size: int = 1, after: After | None = None) -> None:
        self.size = max(1, size)
        self.after = after
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()

    def submit(self, record: Record, settings: ExtractionSettings = DEFAULTS.extraction, *,
               fetched_at: str = "") -> Pending:
        """Start extracting ``record`` in an idle worker."""
        return Pending(record, fetched_at, settings, self)

    def resize(self, size: int) -> None:
        """Allow ``size`` workers from now on; idle ones above that stop at once."""
        self.size = max(1, size)
        while self._idle and len(self._idle) + len(self._busy) > self.size:
            self._idle.pop().stop()

    def shutdown(self) -> None:
        """Stop every worker, idle or busy (a busy one's result is lost)."""
        for worker in [*self._idle, *self._busy]:
            worker.stop()
        self._idle, self._busy = [], set()

    def _take(self, settings: ExtractionSettings) -> _Worker:
        while self._idle:
            worker = self._idle.pop()
            if _usable(worker, settings, self.after):
                self._busy.add(worker)
                return worker
            worker.stop()
        if len(self._busy) >= self.size:
            raise RuntimeError(f"all {self.size} extraction workers are busy: take a result first")
        warm_up()
        worker = _Worker(settings, self.after)
        self._busy.add(worker)
        return worker

    def _give_back(self, worker: _Worker, healthy: bool) -> None:
        self._busy.discard(worker)
        if healthy:
            self._idle.append(worker)
        else:
            worker.stop()  # after any failure a worker may be bloated or stuck: start afresh


def pool(size: int = 1, after: After | None = None) -> Pool:
    """This thread's pool, allowed ``size`` workers that run ``after`` on each document
    (one pool per calling thread; workers started for other work are replaced)."""
    current: Pool | None = getattr(_local, "pool", None)
    if current is None:
        current = _local.pool = Pool(size, after)
        return current
    current.after = after
    if current.size != size:
        current.resize(size)
    return current


class Pending:
    """An extraction handed to a pool's worker: the caller does other work (indexing
    earlier documents) while the worker extracts, then asks for the :meth:`result`."""

    def __init__(self, record: Record, fetched_at: str, settings: ExtractionSettings, owner: Pool) -> None:
        self.record = record
        self._timeout, self._max_memory_mb = settings.extract_timeout, settings.extract_memory_mb
        self._pool = owner
        self._worker = owner._take(settings)
        self._deadline = time.monotonic() + self._timeout
        self._sent = self._worker.send(record, fetched_at, settings)
        self._outcome: tuple[str, Any] | None = None

    def result(self) -> Document:
        """The Document, or ExtractionError with the reason; waits until the timeout."""
        return self._payload()[0]  # type: ignore[no-any-return]

    @property
    def prepared(self) -> Any:
        """What the pool's ``after`` made of the document in the worker (None without one)."""
        return self._payload()[1]

    def _payload(self) -> tuple[Document, Any]:
        if self._outcome is None:
            self._outcome = self._worker.receive(self._sent, self._deadline, self._timeout, self._max_memory_mb)
            self._pool._give_back(self._worker, self._outcome[0] == "ok")
        status, payload = self._outcome
        if status != "ok":
            raise ExtractionError(payload)
        return payload  # type: ignore[no-any-return]


def submit(record: Record, settings: ExtractionSettings = DEFAULTS.extraction, *, fetched_at: str = "") -> Pending:
    """Start extracting ``record`` in this thread's single guarded worker."""
    return pool(1).submit(record, settings, fetched_at=fetched_at)


def extract_guarded(record: Record, settings: ExtractionSettings = DEFAULTS.extraction, *,
                    fetched_at: str = "") -> Document:
    """Like ``extract`` but bounded in time (``extract_timeout``) and memory
    (``extract_memory_mb``); raises ExtractionError."""
    return submit(record, settings, fetched_at=fetched_at).result()


def shutdown() -> None:
    """Stop this thread's workers (tests, or a crawler that wants a clean exit)."""
    current: Pool | None = getattr(_local, "pool", None)
    if current is not None:
        current.shutdown()
        _local.pool = None
