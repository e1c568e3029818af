"""``indexer status`` of a fleet: what the catalogue says, read-only.

The documents and the change sequence, the work queue (jobs waiting, leases held by live
workers, leases that expired), each source's round, last crawl and failures (the same
per-source lines as the embedded status, from the catalogue's runs and URL rows), and every
search node's applied sequence and lag as the nodes last reported them (:mod:`.nodes`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg

from indexer.catalogue.nodes import NodeReport, reports
from indexer.catalogue.queue import NOW
from indexer.catalogue.state import PgCrawlState
from indexer.crawl_status import RUNS_READ, SourceStatus, add_runs

#: a node that has not reported for this long is not following (a live one reports every poll)
NODE_QUIET_SECONDS = 120.0


@dataclass
class SourceRound:
    name: str
    round: int
    open: bool
    blocked: bool  # a request of this round failed: the cursor stays, the sweep spares its subtree
    finished: str  # when the last round ended (UTC, ISO), '' while none has
    pending: int  # jobs of the open round not yet done


@dataclass
class FleetStatus:
    documents: int
    deleted: int  # tombstones: deletions the change sequence reports to nodes
    latest_seq: int
    pending: int  # jobs waiting or being worked on
    leases_held: int  # of those, leased to a worker whose lease is live
    leases_expired: int  # leased once, lease run out, not yet taken over
    rounds: list[SourceRound] = field(default_factory=list)
    nodes: list[NodeReport] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["nodes"] = [{**asdict(n), "lag": n.lag(self.latest_seq), "following": following(n)} for n in self.nodes]
        return data

    def lines(self) -> list[str]:
        lines = [f"catalogus: {self.documents} documenten, wijzigingsvolgorde tot {self.latest_seq} "
                 f"({self.deleted} verwijderingen)",
                 f"wachtrij: {self.pending} taken open, {self.leases_held} in behandeling (lease geldig), "
                 f"{self.leases_expired} met verlopen lease (nog niet overgenomen)"]
        for r in self.rounds:
            state = "loopt" if r.open else "klaar"
            ended = f", laatste ronde klaar {r.finished[:16].replace('T', ' ')} UTC" if r.finished else ""
            failed = ", met mislukte verzoeken" if r.blocked else ""
            lines.append(f"  bron {r.name}: ronde {r.round} {state} ({r.pending} taken open{failed}){ended}")
        lines += [_node_line(n, self.latest_seq) for n in self.nodes] or ["zoeknodes: nog geen enkele gemeld"]
        return lines


def following(node: NodeReport) -> bool:
    return node.seconds_since <= NODE_QUIET_SECONDS


def _node_line(node: NodeReport, latest: int) -> str:
    quiet = "" if following(node) else f", meldde zich {node.seconds_since:.0f} s geleden voor het laatst"
    return f"zoeknode {node.name}: tot wijziging {node.applied}, achterstand {node.lag(latest)}{quiet}"


def fleet_status(conn: psycopg.Connection[Any]) -> FleetStatus:
    row = conn.execute("SELECT COUNT(*) FILTER (WHERE data IS NOT NULL), COUNT(*) FILTER (WHERE data IS NULL),"
                       " COALESCE(MAX(seq), 0) FROM documents").fetchone()
    queue = conn.execute(f"SELECT COUNT(*), COUNT(*) FILTER (WHERE lease_until >= {NOW}),"
                         f" COUNT(*) FILTER (WHERE worker <> '' AND lease_until < {NOW}) FROM jobs"
                         " WHERE state = 'pending'").fetchone()
    assert row is not None and queue is not None  # aggregates always give a row
    return FleetStatus(int(row[0]), int(row[1]), int(row[2]), int(queue[0]), int(queue[1]), int(queue[2]),
                       _rounds(conn), reports(conn))


def _rounds(conn: psycopg.Connection[Any]) -> list[SourceRound]:
    rows = conn.execute("SELECT s.name, s.round, s.open, s.blocked, s.finished, (SELECT COUNT(*) FROM jobs j"
                        " WHERE j.source = s.name AND j.state = 'pending') FROM sources s ORDER BY s.name").fetchall()
    return [SourceRound(str(name), int(round_), bool(is_open), bool(blocked), _iso(float(finished)), int(pending))
            for name, round_, is_open, blocked, finished, pending in rows]


def _iso(epoch: float) -> str:
    if not epoch:
        return ""
    return datetime.fromtimestamp(epoch, UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def source_statuses(url: str, configured: tuple[str, ...] = ()) -> list[SourceStatus]:
    """The embedded status's per-source records, read from the catalogue."""
    statuses = {name: SourceStatus(name) for name in configured}
    with PgCrawlState(url) as state:
        rows = state.connection.execute("SELECT source, COUNT(*) AS n FROM documents WHERE data IS NOT NULL"
                                        " GROUP BY source").fetchall()
        for row in rows:
            source, count = row["source"], row["n"]  # type: ignore[call-overload]
            statuses.setdefault(source, SourceStatus(source)).documents = int(count)
        add_runs(statuses, state.runs(RUNS_READ))
        for status in statuses.values():
            status.url_counts = state.counts(status.name)
    return sorted(statuses.values(), key=lambda s: s.name)
