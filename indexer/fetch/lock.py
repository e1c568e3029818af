"""One crawl at a time per data directory: an exclusive POSIX record lock on ``crawl.lock``.

The kernel drops the lock when the holding process dies (even by SIGKILL), so a killed
run never leaves a stale lock behind. A POSIX lock (``lockf``), unlike ``flock``, is not
shared with forked children, so an extraction worker that outlives a killed crawl
cannot keep the next run out. The file keeps the holder's PID and start time for the
message a second run prints.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import IO

from indexer.errors import CannotRun

LOCK_FILE = "crawl.lock"


class CrawlLocked(CannotRun):
    """Another crawl holds the data directory's lock."""


class CrawlLock:
    """``with CrawlLock(data_dir): ...`` or raises :class:`CrawlLocked` at once."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / LOCK_FILE
        self._handle: IO[str] | None = None

    def __enter__(self) -> CrawlLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown process"
            handle.close()
            raise CrawlLocked(f"er loopt al een crawl op {self.path.parent} ({holder}); "
                              "deze run stopt zonder iets te doen") from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}, gestart {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
            handle.flush()
        except OSError:
            pass  # a full disk: the lock holds without the note, and the run can clean up first
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            fcntl.lockf(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
