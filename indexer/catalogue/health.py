"""``indexer check`` of a fleet: what in the catalogue does not add up, and ``--repair`` for what
can be put right without losing anything.

Each finding is one entry of :data:`FINDINGS`: how to find it (SQL over the catalogue), what it
means in Dutch, what to do, and the repair when one is safe:

- a URL row says "indexed" but its document is gone: the row is marked deleted, so the next
  crawl fetches the URL in full and indexes it anew;
- a live document no URL row points to: the row is written from the document (URL, source,
  hash), without validators, so the next crawl asks for it in full once;
- a document that cannot be read: it is deleted with a change of its own (nodes drop it) and
  its URL row marked deleted, so the next crawl fetches it again;
- leases that expired long ago and no worker took over, and search nodes that stopped
  following while behind: nothing in the catalogue is wrong to repair; the fix is to start
  a worker, or the node's follower, and the report says so.

Exit codes as the embedded check: 0 nothing found (or everything repaired), 2 otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from indexer.catalogue.documents import write_changes
from indexer.catalogue.nodes import reports
from indexer.catalogue.overview import NODE_QUIET_SECONDS
from indexer.catalogue.queue import NOW
from indexer.catalogue.state import mark_deleted, mark_indexed
from indexer.docstore.sqlite_store import unpack
from indexer.fetch.state import IndexedUrl

Log = Callable[[str], None]
Connection = psycopg.Connection[Any]
#: a lease that ran out this long ago without another worker taking the job over is stuck
STALE_LEASE_SECONDS = 300.0
SHOWN = 5  # examples named per finding

URL_WITHOUT_DOCUMENT = ("SELECT u.url FROM urls u WHERE u.status = 'indexed' AND u.doc_id <> '' AND NOT EXISTS"
                        " (SELECT 1 FROM documents d WHERE d.id = u.doc_id AND d.data IS NOT NULL) ORDER BY u.url")
DOCUMENT_WITHOUT_URL = ("SELECT d.id FROM documents d WHERE d.data IS NOT NULL AND NOT EXISTS"
                        " (SELECT 1 FROM urls u WHERE u.doc_id = d.id AND u.status = 'indexed') ORDER BY d.id")
STALE_LEASES = (f"SELECT source || ' ' || url || ' (' || worker || ')' FROM jobs WHERE state = 'pending'"
                f" AND worker <> '' AND lease_until > 0 AND lease_until < {NOW} - %s ORDER BY id")


@dataclass(frozen=True)
class Finding:
    what: str  # Dutch: what is inconsistent
    todo: str  # Dutch: what --repair does, or what to do by hand
    items: list[str]
    repair: Callable[[Connection, list[str]], None] | None = None

    def lines(self) -> list[str]:
        shown = ", ".join(self.items[:SHOWN]) + (" …" if len(self.items) > SHOWN else "")
        return [f"catalogus: {len(self.items)} {self.what}: {shown}", f"  → {self.todo}"]


@dataclass
class CatalogueReport:
    findings: list[Finding] = field(default_factory=list)

    @property
    def damaged(self) -> bool:
        return bool(self.findings)

    def lines(self) -> list[str]:
        if not self.findings:
            return ["catalogus: in orde (URL-rijen, documenten, wachtrij en zoeknodes kloppen)"]
        lines = [line for finding in self.findings for line in finding.lines()]
        if any(f.repair for f in self.findings):
            lines.append("herstel wat veilig kan met `indexer check --repair`")
        return lines


def _unreadable(conn: Connection) -> list[str]:
    bad = []
    with conn.transaction(), conn.cursor(name="bronzoeker_check") as cur:
        cur.execute("SELECT id, data FROM documents WHERE data IS NOT NULL ORDER BY id")
        for doc_id, data in cur:
            try:
                unpack(data)
            except Exception:  # noqa: BLE001 - zlib and JSON errors alike: the row is unreadable
                bad.append(doc_id)
    return bad


def _nodes_behind(conn: Connection) -> list[str]:
    latest_row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM documents").fetchone()
    latest = int(latest_row[0]) if latest_row else 0
    return [f"{n.name} (tot {n.applied} van {latest}, {n.seconds_since:.0f} s stil)" for n in reports(conn)
            if n.applied < latest and n.seconds_since > NODE_QUIET_SECONDS]


def _forget_urls(conn: Connection, urls: list[str]) -> None:
    with conn.cursor() as cur:
        cur.executemany("UPDATE urls SET status = 'deleted', content_hash = '', etag = '', last_modified = ''"
                        " WHERE url = %s AND status = 'indexed'", [(url,) for url in urls])


def _write_url_rows(conn: Connection, doc_ids: list[str]) -> None:
    rows = conn.execute("SELECT id, data FROM documents WHERE id = ANY(%s) AND data IS NOT NULL",
                        (doc_ids,)).fetchall()
    docs = [unpack(data) for _, data in rows]
    mark_indexed(conn, [IndexedUrl(d.file_url or d.url, d.source, d.id, d.content_hash) for d in docs])


def _drop_unreadable(conn: Connection, doc_ids: list[str]) -> None:
    write_changes(conn, dict.fromkeys(doc_ids))
    mark_deleted(conn, doc_ids)


def _rows(sql: str, *params: object) -> Callable[[Connection], list[str]]:
    return lambda conn: [str(row[0]) for row in conn.execute(sql, params).fetchall()]


#: name -> (find, what, todo, repair or None)
FINDINGS: dict[str, tuple[Callable[[Connection], list[str]], str, str,
                          Callable[[Connection, list[str]], None] | None]] = {
    # first: the repairs after it read the documents
    "unreadable": (
        _unreadable, "document(en) niet te lezen",
        "--repair verwijdert ze (met een eigen wijziging, zodat de zoeknodes ze laten vallen): "
        "de volgende crawl haalt ze opnieuw op", _drop_unreadable),
    "url_without_document": (
        _rows(URL_WITHOUT_DOCUMENT), "URL('s) als geïndexeerd gemarkeerd zonder document",
        "--repair markeert ze als verwijderd: de volgende crawl haalt ze volledig op", _forget_urls),
    "document_without_url": (
        _rows(DOCUMENT_WITHOUT_URL), "document(en) zonder URL-rij",
        "--repair schrijft de URL-rij uit het document: de volgende crawl vraagt ze één keer volledig op",
        _write_url_rows),
    "stale_leases": (
        _rows(STALE_LEASES, STALE_LEASE_SECONDS),
        f"taak/taken met een lease die langer dan {STALE_LEASE_SECONDS:.0f} s verlopen is en door geen werker "
        "is overgenomen", "start een werker (`indexer crawl`): die neemt ze over", None),
    "nodes_behind": (
        _nodes_behind, f"zoeknode(s) achter die zich langer dan {NODE_QUIET_SECONDS:.0f} s niet meldden",
        "start `indexer index --follow` op die node: hij haalt in vanaf zijn laatste wijziging", None),
}


def check_catalogue(conn: Connection) -> CatalogueReport:
    """Everything of FINDINGS, read only."""
    report = CatalogueReport()
    for find, what, todo, repair in FINDINGS.values():
        items = find(conn)
        if items:
            report.findings.append(Finding(what, todo, items, repair))
    return report


def repair_catalogue(conn: Connection, log: Log) -> CatalogueReport:
    """Repair each finding that has a safe repair (each in its own transaction); then check again."""
    for finding in check_catalogue(conn).findings:
        if finding.repair is not None:
            with conn.transaction():
                finding.repair(conn, finding.items)
            log(f"hersteld: {len(finding.items)} {finding.what}")
    return check_catalogue(conn)
