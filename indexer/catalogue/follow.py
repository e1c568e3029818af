"""A search node: keeps the data directory's Whoosh index a replica of the catalogue.

``indexer index --follow`` reads the catalogue's change sequence after the last sequence
this node applied, applies it to its own index in batches (upserts and deletions by id,
so applying a change twice does no harm), and after each index commit records the
position in ``DATA_DIR/follow.json`` (written whole, then renamed). A node killed at any
point resumes from the last recorded position and redoes at most one batch; a new node
starts at 0 and builds its index from the catalogue without fetching anything. The same
file carries the catalogue's latest sequence when last looked at, so ``/status`` shows
the node's lag without a database connection of its own.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import Index

from indexer.catalogue.documents import PgDocumentStore
from indexer.extract.references import canonical_keys
from indexer.fetch.lock import CrawlLock
from indexer.index import store
from indexer.index.writer import DocumentWriter

POSITION_FILE = "follow.json"
BATCH = 500  # changes per index commit
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Position:
    applied: int  # the last change sequence in this node's index
    catalogue: int  # the catalogue's last sequence when last looked at
    checked: float  # Unix time of that look
    applied_at: float = 0.0  # Unix time of the last commit that applied changes

    @property
    def lag(self) -> int:
        """Changes the catalogue held that this node had not applied yet."""
        return max(0, self.catalogue - self.applied)

    def to_dict(self) -> dict[str, float | int]:
        return {"applied": self.applied, "catalogue": self.catalogue, "checked": self.checked,
                "applied_at": self.applied_at, "lag": self.lag}


def read_position(data_dir: Path) -> Position | None:
    """The node's position, or None when this data directory does not follow a catalogue."""
    try:
        data = json.loads((Path(data_dir) / POSITION_FILE).read_text(encoding="utf-8"))
        return Position(int(data["applied"]), int(data["catalogue"]), float(data["checked"]),
                        float(data.get("applied_at", 0.0)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_position(data_dir: Path, position: Position) -> None:
    path = Path(data_dir) / POSITION_FILE
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(position.to_dict()), encoding="utf-8")
    os.replace(temporary, path)


def follow(url: str, data_dir: Path, once: bool = False, log: Callable[[str], None] = print,
           poll: float = POLL_SECONDS) -> int:
    """Apply the catalogue's changes to this node's index; with ``once`` stop when caught up,
    else keep following. Returns the last sequence applied."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with CrawlLock(data_dir), PgDocumentStore(url) as documents:
        store.clean_leftovers(data_dir)  # what a killed node left of an unfinished commit
        ix = store.open_or_create(data_dir)
        previous = read_position(data_dir)
        applied = previous.applied if previous else 0
        log(f"volgt de catalogus vanaf wijziging {applied}")
        while True:
            latest = documents.last_seq()
            applied = _apply(ix, documents, applied, latest, data_dir, log)
            if once:
                return applied
            time.sleep(poll)


def _apply(ix: Index, documents: PgDocumentStore, applied: int, latest: int, data_dir: Path,
           log: Callable[[str], None]) -> int:
    """Apply everything up to ``latest`` in batches, recording the position after each commit."""
    previous = read_position(data_dir)
    applied_at = previous.applied_at if previous else 0.0
    while applied < latest:
        batch = documents.change_batch(applied, BATCH)
        if not batch:
            break
        with DocumentWriter(ix, canonical_keys, batch_size=BATCH + 1) as writer:
            for change in batch:
                if change.document is None:
                    writer.delete(change.doc_id)
                else:
                    writer.upsert(change.document)
        applied, applied_at = batch[-1].seq, time.time()
        write_position(data_dir, Position(applied, max(latest, applied), time.time(), applied_at))
        log(f"index: {len(batch)} wijziging(en) toegepast, tot en met {applied}")
    write_position(data_dir, Position(applied, max(latest, applied), time.time(), applied_at))
    return applied
