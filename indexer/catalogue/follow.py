"""A search node: keeps the data directory's Whoosh index a replica of the catalogue.

``indexer index --follow`` reads the catalogue's change sequence after the last sequence
this node applied, applies it to its own index in batches (upserts and deletions by id,
so applying a change twice does no harm), and after each index commit records the
position in ``DATA_DIR/follow.json`` (written whole, then renamed). A node killed at any
point resumes from the last recorded position and redoes at most one batch; a new node
starts at 0 and builds its index from the catalogue without fetching anything. The same
file carries the catalogue's latest sequence when last looked at, so ``/status`` shows
the node's lag without a database connection of its own; the node reports the same to the
catalogue's ``nodes`` table (:mod:`.nodes`) for ``indexer status`` and ``indexer check``. The index holds no page texts
(schema 6): the node keeps the documents it applies in its own document store
(``DATA_DIR/documents.sqlite``), which its snippets and document pages read.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from whoosh.index import Index

from indexer.catalogue import nodes
from indexer.catalogue.documents import PgDocumentStore
from indexer.catalogue.position import Position, read_position, write_position
from indexer.citekeys import canonical_keys
from indexer.docstore import open_store
from indexer.fetch.lock import CrawlLock
from indexer.index import store
from indexer.index.writer import DocumentWriter

BATCH = 500  # changes per index commit
POLL_SECONDS = 1.0


def follow(url: str, data_dir: Path, once: bool = False, log: Callable[[str], None] = print,
           poll: float = POLL_SECONDS) -> int:
    """Apply the catalogue's changes to this node's index; with ``once`` stop when caught up,
    else keep following. Returns the last sequence applied."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with CrawlLock(data_dir), PgDocumentStore(url) as documents:
        store.clean_leftovers(data_dir)  # what a killed node left of an unfinished commit
        if store.is_outdated(data_dir):
            applied = _rebuild(documents, data_dir, log)
        else:
            previous = read_position(data_dir)
            applied = previous.applied if previous else 0
        ix = store.open_or_create(data_dir)
        log(f"volgt de catalogus vanaf wijziging {applied}")
        while True:
            latest = documents.last_seq()
            applied = _apply(ix, documents, applied, latest, data_dir, log)
            nodes.report(documents.connection, nodes.node_name(data_dir), applied, max(latest, applied))
            if once:
                return applied
            time.sleep(poll)


def _rebuild(documents: PgDocumentStore, data_dir: Path, log: Callable[[str], None]) -> int:
    """An index of an older schema version is built anew from the catalogue beside the old one
    (which keeps serving meanwhile), then swapped in whole."""
    log("index: gebouwd met een oudere versie, wordt opnieuw opgebouwd uit de catalogus")
    built = store.new_build_dir(data_dir)
    try:
        applied = _apply(store.create_at(built), documents, 0, documents.last_seq(), built, log, data_dir)
        store.publish(data_dir, built)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    write_position(data_dir, Position(applied, applied, time.time(), time.time()))
    return applied


def _apply(ix: Index, documents: PgDocumentStore, applied: int, latest: int, data_dir: Path,
           log: Callable[[str], None], texts_dir: Path | None = None) -> int:
    """Apply everything up to ``latest`` in batches, recording the position after each commit
    (in ``data_dir``) and keeping the documents in the node's store (in ``texts_dir``)."""
    previous = read_position(data_dir)
    applied_at = previous.applied_at if previous else 0.0
    while applied < latest:
        batch = documents.change_batch(applied, BATCH)
        if not batch:
            break
        local = open_store(texts_dir or data_dir)
        local.mark_filled()  # it follows the catalogue from change 0: complete up to ``applied``
        with DocumentWriter(ix, canonical_keys, batch_size=BATCH + 1, documents=local) as writer:
            for change in batch:
                if change.document is None:
                    writer.delete(change.doc_id)
                else:
                    writer.upsert(change.document)
        applied, applied_at = batch[-1].seq, time.time()
        write_position(data_dir, Position(applied, max(latest, applied), time.time(), applied_at))
        nodes.report(documents.connection, nodes.node_name(texts_dir or data_dir), applied, max(latest, applied))
        log(f"index: {len(batch)} wijziging(en) toegepast, tot en met {applied}")
    write_position(data_dir, Position(applied, max(latest, applied), time.time(), applied_at))
    return applied
