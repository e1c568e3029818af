"""What stops a run, and the one Dutch line that says so.

:class:`CannotRun` is the base of every error that means "this command could not do
its work" (exit 2): its message is a complete Dutch sentence saying what happened
and what to do. Errors raised by libraries (a full disk, a damaged SQLite file, a
truncated Whoosh segment) are translated by :func:`explain`, a registry keyed by
exception type, so a new kind of failure is one entry, not another ``except``.
"""

from __future__ import annotations

import errno
import pickle
import sqlite3
import struct
import zlib
from collections.abc import Callable

EXIT_OK, EXIT_SOME_FAILED, EXIT_COULD_NOT_RUN = 0, 1, 2


#: What Whoosh raises when it reads a truncated or garbled segment or TOC.
DAMAGED_INDEX_ERRORS: tuple[type[Exception], ...] = (EOFError, struct.error, pickle.UnpicklingError, zlib.error)


class CannotRun(Exception):
    """The command cannot do its work; the message is one Dutch line with what to do."""


def _os_error(exc: BaseException) -> str | None:
    assert isinstance(exc, OSError)
    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"de schijf is vol{where}: maak ruimte vrij en start opnieuw; "
                "wat half geschreven was, wordt bij de volgende run opgeruimd")
    if exc.errno == errno.EADDRINUSE:
        return "de poort is al in gebruik: kies een andere met --port (of PORT=8001 bij make demo)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"geen schrijfrechten{where}: kies een andere --data-dir of pas de rechten aan"
    return None


def _state_operation(exc: BaseException) -> str | None:
    if "full" in str(exc):
        return _os_error(OSError(errno.ENOSPC, str(exc)))
    return (f"de crawlstatus (crawl-state.sqlite) kon niet worden gebruikt ({exc}): "
            "controleer de vrije ruimte en de rechten van de datamap")


def _state_database(exc: BaseException) -> str | None:
    return (f"de crawlstatus (crawl-state.sqlite) is onleesbaar of beschadigd ({exc}): "
            "`indexer check --repair` bouwt hem opnieuw op uit de documentopslag")


def _damaged_index(exc: BaseException) -> str | None:
    return (f"de index is beschadigd of onvolledig ({type(exc).__name__}: {exc}): "
            "`indexer check` zegt wat er mis is, `indexer check --repair` bouwt hem opnieuw op "
            "uit de documentopslag")


#: exception type -> its Dutch explanation (None: not recognised, shown as unexpected).
#: Subclasses come before their bases: the first isinstance match wins.
EXPLAINERS: dict[type[BaseException], Callable[[BaseException], str | None]] = {
    CannotRun: str,
    sqlite3.OperationalError: _state_operation,  # disk full, cannot open: the file may be fine
    sqlite3.DatabaseError: _state_database,
    OSError: _os_error,
    **dict.fromkeys(DAMAGED_INDEX_ERRORS, _damaged_index),
}


def explain(exc: BaseException) -> str:
    """One Dutch line for an error that stopped a command."""
    for kind, explainer in EXPLAINERS.items():
        if isinstance(exc, kind) and (line := explainer(exc)):
            return line
    return (f"onverwachte fout ({type(exc).__name__}: {exc}); "
            "draai opnieuw met `indexer --debug …` voor de details")
