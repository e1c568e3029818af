"""How the SQLite document store reports trouble: a damaged file (:class:`StoreDamaged`, with
what to do) apart from a full disk (an OSError the CLI explains)."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from indexer.docstore import StoreDamaged

FULL_BELOW_BYTES = 1 << 20  # an I/O error with less free space than this is a full disk


def damaged_message(path: Path, exc: BaseException) -> str:
    return (f"de documentopslag {path} is beschadigd ({exc}): `indexer check --repair` zet hem opzij, neemt "
            "over wat nog leesbaar is en laat de volgende `indexer crawl` de rest opnieuw ophalen")


def disk_full(path: Path, exc: BaseException) -> OSError | None:
    """SQLite says "disk I/O error" when it cannot even create its WAL file on a full disk:
    that is a full disk (an OSError the CLI explains), not a damaged store."""
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        return None
    if "full" in str(exc) or free < FULL_BELOW_BYTES:
        return OSError(errno.ENOSPC, f"{exc}", str(path))
    return None


class Guard:
    """Turns SQLite's damage errors into :class:`StoreDamaged` with the file named."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, sqlite3.OperationalError):
            if full := disk_full(self.path, exc):
                raise full from exc
        elif isinstance(exc, sqlite3.DatabaseError):
            raise StoreDamaged(damaged_message(self.path, exc)) from exc
