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
import pickle
import resource
import signal
import socket
import threading
import time
from collections import deque
from multiprocessing.connection import Connection
from typing import Any, Callable

from indexer.extract.errors import ExtractionError
from indexer.model import Document, Record
from indexer.settings import DEFAULTS, ExtractionSettings

_MB = 1024 * 1024
#: documents one worker extracts before it is replaced (bounds slow memory growth; the memory
#: cap is the other guard). A worker also holds the analysis caches (what each word becomes),
#: which a new one fills again: at 500 that cost the 8,041 real XMLs ~1.5 ms CPU per document,
#: at 2,000 still ~0.1 (docs/ingest.md); the caches themselves are bounded. A worker forked
#: late also starts from the crawl process's grown memory: its peak was ~270 MB against ~215.
RECYCLE_AFTER = 10_000
#: how much lower a worker's priority is than its crawl's: workers that run ahead are always
#: ready to run, and on a machine with as many workers as cores they took CPU from the crawl
#: process, the one step that cannot be shared out (docs/ingest.md)
WORKER_NICENESS = 5
#: bytes each end of a worker's pipe may hold unread (records sent ahead, answers not yet taken)
PIPE_BUFFER = 4 * _MB
#: a pool with records waiting worth this many bytes takes a result before it sends another
#: (a few large PDFs, not thousands, are then in flight)
MAX_QUEUED_BYTES = 64 * _MB
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
        os.nice(WORKER_NICENESS)  # the crawl process, which indexes one document at a time, goes first
    except OSError:
        pass
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
    """One long-lived extraction child, the settings it was started with, and the jobs it
    has been sent, oldest first. A thread receives its answers as they come (the crawl
    process may be busy committing), so the child never waits to hand one over."""

    def __init__(self, settings: ExtractionSettings, after: After | None) -> None:
        self.key = _settings_key(settings, after)
        self.done = 0
        self.jobs: deque[Pending] = deque()  # sent, not yet answered, oldest first
        self.answers: deque[tuple[bytes, float]] = deque()  # (pickled answer, when it came)
        self.closed = False  # the child's end is gone: no more answers
        self.answered_at = 0.0  # when the last answer taken came: the next job started then
        self._arrived = threading.Condition()
        context = multiprocessing.get_context("fork")
        self.conn, child_conn = context.Pipe(duplex=True)
        _large_buffers(self.conn, child_conn)
        self.process = context.Process(target=_serve, args=(child_conn, self.conn, settings.extract_memory_mb, after),
                                       daemon=True)
        self.process.start()
        child_conn.close()
        self._receiver = threading.Thread(target=self._receive_all, name="extraction-answers", daemon=True)
        self._receiver.start()

    def send(self, record: Record, fetched_at: str, settings: ExtractionSettings) -> bool:
        """Hand the worker a record; False when it is already gone."""
        self.done += 1
        try:
            self.conn.send((record, fetched_at, settings))
            return True
        except (EOFError, OSError):
            return False

    def _receive_all(self) -> None:
        while True:
            try:
                data = self.conn.recv_bytes()
            except (EOFError, OSError):
                with self._arrived:
                    self.closed = True
                    self._arrived.notify_all()
                return
            with self._arrived:
                self.answers.append((data, time.monotonic()))
                self._arrived.notify_all()

    def answer(self, job: Pending) -> tuple[str, Any]:
        """The outcome of the oldest job (``job``): its answer, or why there is none by its
        deadline (its timeout counted from when the worker could start it)."""
        deadline = max(job.sent_at, self.answered_at) + job.timeout
        with self._arrived:
            while job.sent and not self.answers and not self.closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._arrived.wait(left)
            data: bytes | None = None
            if self.answers:
                data, self.answered_at = self.answers.popleft()
        if data is not None:
            return pickle.loads(data)  # type: ignore[no-any-return]  # not holding the receiver up
        if self.process.is_alive():
            return ("timeout", f"timed out after {job.timeout:g} s")
        self.process.join(1)
        code = self.process.exitcode
        if code is not None and code < 0:
            return ("dead", f"exceeded memory limit ({job.max_memory_mb} MB) or crashed (signal {-code})")
        return ("dead", f"extractor process ended without a result (exit code {code})")

    def stop(self) -> None:
        try:
            if self.process.is_alive() and self.process.pid is not None:
                os.kill(self.process.pid, signal.SIGKILL)
            self.process.join(5)
            self._receiver.join(5)  # the child's end closed with it: the thread sees EOF
        finally:
            self.conn.close()


def _large_buffers(*ends: Connection) -> None:
    """Let each end of the pipe hold up to :data:`PIPE_BUFFER` unread bytes (as far as the
    system allows), so records queued for a worker wait in the pipe, not in the sender."""
    for end in ends:
        sock = socket.socket(fileno=end.fileno())
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, PIPE_BUFFER)
        except OSError:
            pass  # the system's default then bounds how far a worker runs ahead
        finally:
            sock.detach()


def _settings_key(settings: ExtractionSettings, after: After | None) -> tuple[Any, ...]:
    """A worker is only reused by the process that started it, for the same settings and work."""
    return (settings, os.getpid(), after)


def _usable(worker: _Worker, settings: ExtractionSettings, after: After | None) -> bool:
    return (worker.key == _settings_key(settings, after) and worker.done < RECYCLE_AFTER
            and worker.process.is_alive())


class Pool:
    """Up to ``size`` guarded workers, each with up to ``depth`` documents sent to it.

    :meth:`submit` hands a record to the least loaded usable worker (starting one when fewer
    than ``size`` run); the worker extracts its records one after the other, and its answers
    wait, received, until their :class:`Pending` is asked. With ``depth`` above 1 the workers
    run ahead of a caller busy elsewhere (the crawl's commits); :meth:`full` says when the
    caller must take a result first (every worker at ``depth``, or ``max_bytes`` of records
    waiting). Results may be taken in any order, so a caller that takes them first-in
    first-out gets the same sequence of documents as a single worker would give. A worker
    is replaced after any failure: the records queued behind the failed one go to a new
    worker, and what the old one made of them is thrown away (as if they had been sent after).
    """

    def __init__(self, size: int = 1, after: After | None = None, depth: int = 1,
                 max_bytes: int = MAX_QUEUED_BYTES) -> None:
        self.size = max(1, size)
        self.after = after
        self.depth = max(1, depth)
        self.max_bytes = max_bytes
        self._workers: list[_Worker] = []
        self._queued_bytes = 0

    def submit(self, record: Record, settings: ExtractionSettings = DEFAULTS.extraction, *,
               fetched_at: str = "") -> Pending:
        """Start extracting ``record`` in a worker (a caller error when :meth:`full`)."""
        if self.full():
            raise RuntimeError(f"all {self.size} extraction workers are busy: take a result first")
        return Pending(record, fetched_at, settings, self)

    def full(self) -> bool:
        """True when no record may be submitted before a result is taken."""
        jobs = sum(len(worker.jobs) for worker in self._workers)
        return jobs >= self.size * self.depth or (jobs > 0 and self._queued_bytes >= self.max_bytes)

    def resize(self, size: int) -> None:
        """Allow ``size`` workers from now on; idle ones above that stop at once."""
        self.size = max(1, size)
        for worker in list(self._workers):
            if len(self._workers) <= self.size:
                break
            if not worker.jobs:
                self._retire(worker)

    def shutdown(self) -> None:
        """Stop every worker, idle or busy (a busy one's results are lost)."""
        for worker in self._workers:
            worker.stop()
        self._workers, self._queued_bytes = [], 0

    def _send(self, job: Pending) -> None:
        worker = self._worker_for(job.settings)
        worker.jobs.append(job)
        job.worker, job.sent_at = worker, time.monotonic()
        job.sent = worker.send(job.record, job.fetched_at, job.settings)

    def _worker_for(self, settings: ExtractionSettings) -> _Worker:
        for worker in [w for w in self._workers if not w.jobs and not _usable(w, settings, self.after)]:
            self._retire(worker)
        usable = [w for w in self._workers if _usable(w, settings, self.after)]
        if usable and (len(usable) >= self.size or min(len(w.jobs) for w in usable) == 0):
            return min(usable, key=lambda w: len(w.jobs))
        warm_up()
        worker = _Worker(settings, self.after)
        self._workers.append(worker)
        return worker

    def _answer(self, job: Pending) -> None:
        """Take the answers of ``job``'s worker up to its own, oldest first (a failure on
        the way sends the rest, ``job`` too, to a new worker)."""
        while job.outcome is None:
            worker = job.worker
            assert worker is not None, "a job waiting for an answer was sent"
            oldest = worker.jobs.popleft()
            self._queued_bytes -= len(oldest.record.body or b"")
            oldest.outcome = worker.answer(oldest)
            if oldest.outcome[0] != "ok":
                self._replace(worker)  # after any failure a worker may be bloated or stuck
            elif not worker.jobs and worker.done >= RECYCLE_AFTER:
                self._retire(worker)  # used up: it gets no more records

    def _replace(self, worker: _Worker) -> None:
        queued = list(worker.jobs)
        worker.jobs.clear()
        self._retire(worker)
        for job in queued:
            self._send(job)

    def _retire(self, worker: _Worker) -> None:
        self._workers.remove(worker)
        worker.stop()


def pool(size: int = 1, after: After | None = None, depth: int = 1) -> Pool:
    """This thread's pool, allowed ``size`` workers that run ``after`` on each document,
    ``depth`` documents ahead each (one pool per calling thread; workers started for other
    work are replaced)."""
    current: Pool | None = getattr(_local, "pool", None)
    if current is None:
        current = _local.pool = Pool(size, after, depth)
        return current
    current.after = after
    current.depth = max(1, depth)
    if current.size != size:
        current.resize(size)
    return current


class Pending:
    """An extraction handed to a pool's worker: the caller does other work (indexing
    earlier documents) while the worker extracts, then asks for the :meth:`result`."""

    def __init__(self, record: Record, fetched_at: str, settings: ExtractionSettings, owner: Pool) -> None:
        self.record, self.fetched_at, self.settings = record, fetched_at, settings
        self.timeout, self.max_memory_mb = settings.extract_timeout, settings.extract_memory_mb
        self.pool = owner
        self.worker: _Worker | None = None
        self.sent, self.sent_at = False, 0.0
        self.outcome: tuple[str, Any] | None = None
        owner._queued_bytes += len(record.body or b"")
        owner._send(self)

    def result(self) -> Document:
        """The Document, or ExtractionError with the reason; waits until the timeout."""
        return self._payload()[0]  # type: ignore[no-any-return]

    @property
    def prepared(self) -> Any:
        """What the pool's ``after`` made of the document in the worker (None without one)."""
        return self._payload()[1]

    def _payload(self) -> tuple[Document, Any]:
        if self.outcome is None:
            self.pool._answer(self)
        assert self.outcome is not None
        status, payload = self.outcome
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
