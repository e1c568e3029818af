"""The PostgreSQL catalogue: the shared crawl state, document store and work queue of a fleet.

Without a database setting nothing here is used and the data directory holds everything
(the embedded default). With ``[settings] database = "postgresql://…"`` or
``BRONZOEKER_DATABASE_URL``, crawl workers on any number of machines share one catalogue
(:mod:`.state`, :mod:`.documents`, :mod:`.queue`), and search nodes keep their Whoosh index
as a replica of it by the change sequence (:mod:`.follow`). The schema is created and
migrated by ``indexer db upgrade`` (:mod:`.migrations`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from indexer.errors import CannotRun

if TYPE_CHECKING:
    import psycopg

ENV_DATABASE = "BRONZOEKER_DATABASE_URL"


class CatalogueError(CannotRun):
    """The catalogue cannot be reached or is not at the schema version this program needs."""


def database_url(settings: Mapping[str, Any] | None = None, setting: str = "") -> str:
    """The configured catalogue: ``[settings] database`` wins, then the environment; '' = embedded."""
    return setting or str((settings or {}).get("database", "")) or os.environ.get(ENV_DATABASE, "")


def connect(url: str, autocommit: bool = True) -> psycopg.Connection[Any]:
    """A connection to the catalogue (autocommit: transactions are explicit, `conn.transaction()`),
    or one Dutch line saying why there is none."""
    import psycopg

    try:
        return psycopg.connect(url, autocommit=autocommit, connect_timeout=10)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CatalogueError(f"de catalogus ({redact(url)}) is niet bereikbaar: {first}") from exc


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}@{host}"


__all__ = ["ENV_DATABASE", "CatalogueError", "connect", "database_url", "redact"]
