"""Search nodes as the catalogue sees them: each node reports the sequence its index holds.

A node (``indexer index --follow``) writes its position to its own ``follow.json`` for its
status page, and to the catalogue's ``nodes`` table after every batch and every look, so
``indexer status`` and ``indexer check`` on any machine see every node's applied sequence
and lag. A node is named by its host and data directory; a report is one upsert.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

NOW = "extract(epoch from clock_timestamp())::float8"


@dataclass(frozen=True)
class NodeReport:
    name: str
    applied: int
    catalogue: int  # the catalogue's last sequence when the node last looked
    seconds_since: float  # since its last report (the database's clock)

    def lag(self, latest: int) -> int:
        """Changes the catalogue holds now that this node has not applied."""
        return max(0, latest - self.applied)


def node_name(data_dir: Path) -> str:
    return f"{socket.gethostname()}:{Path(data_dir).resolve()}"


def report(conn: psycopg.Connection[Any], name: str, applied: int, latest: int) -> None:
    conn.execute(f"INSERT INTO nodes (name, applied, catalogue, seen) VALUES (%s, %s, %s, {NOW})"
                 " ON CONFLICT (name) DO UPDATE SET applied = excluded.applied, catalogue = excluded.catalogue,"
                 " seen = excluded.seen", (name, applied, latest))


def reports(conn: psycopg.Connection[Any]) -> list[NodeReport]:
    rows = conn.execute(f"SELECT name, applied, catalogue, {NOW} - seen FROM nodes ORDER BY name").fetchall()
    return [NodeReport(str(name), int(applied), int(latest), round(float(age), 1))
            for name, applied, latest, age in rows]
