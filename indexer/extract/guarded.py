"""Run :func:`indexer.extract.extract` in a forked child with a timeout and a memory cap.

A PDF bomb or a pathological file then ends as ``ExtractionError("timed out after 60 s")``
or ``ExtractionError("exceeded memory limit")`` instead of hanging or swapping the
crawler. The memory cap is RLIMIT_AS set in the child to its inherited address space
plus ``max_memory_mb``; the language model and word list are loaded once in the
parent so children share them copy-on-write.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import resource
import signal
from multiprocessing.connection import Connection
from typing import Any

from indexer.extract.errors import ExtractionError
from indexer.model import Document, Record

_MB = 1024 * 1024


def warm_up() -> None:
    """Load the shared data before forking (once per process)."""
    from indexer.extract.language import _identifier
    from indexer.extract.wordlist import dutch_words

    _identifier()
    dutch_words()


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _child(conn: Connection, record: Record, fetched_at: str, max_memory_mb: int) -> None:
    from indexer.extract import extract

    faulthandler.disable()  # an abort at the memory cap is expected here, not a crash report
    try:
        limit = _address_space() + max_memory_mb * _MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        pass  # no /proc or limits not supported: run without the cap
    try:
        conn.send(("ok", extract(record, fetched_at=fetched_at)))
    except ExtractionError as exc:
        conn.send(("error", exc.reason))
    except MemoryError:
        conn.send(("error", f"exceeded memory limit ({max_memory_mb} MB)"))
    except Exception as exc:  # noqa: BLE001 - report any crash as this document's failure
        conn.send(("error", f"extractor crashed: {type(exc).__name__}: {str(exc)[:160]}"))
    finally:
        conn.close()


def extract_guarded(record: Record, *, fetched_at: str = "", timeout: float = 60.0,
                    max_memory_mb: int = 1024) -> Document:
    """Like ``extract`` but bounded in time and memory; raises ExtractionError."""
    warm_up()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, record, fetched_at, max_memory_mb), daemon=True)
    process.start()
    sender.close()
    try:
        outcome = _wait(receiver, process, timeout, max_memory_mb)
    finally:
        receiver.close()
        _stop(process)
    status, payload = outcome
    if status == "ok":
        return payload
    raise ExtractionError(payload)


def _wait(receiver: Connection, process: Any, timeout: float, max_memory_mb: int) -> tuple[str, Any]:
    try:
        if receiver.poll(timeout):
            return receiver.recv()
    except (EOFError, OSError):
        pass  # the child died before sending anything
    if process.is_alive():
        return ("error", f"timed out after {timeout:g} s")
    process.join(1)
    code = process.exitcode
    if code is not None and code < 0 and -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT):
        return ("error", f"exceeded memory limit ({max_memory_mb} MB) or crashed (signal {-code})")
    return ("error", f"extractor process ended without a result (exit code {code})")


def _stop(process: Any) -> None:
    if process.is_alive():
        os.kill(process.pid, signal.SIGKILL)
    process.join(5)
