"""Reading what is left of a damaged SQLite document store (``indexer check --repair``): row by
row, read-only, with whatever dictionaries can still be read; works on every store format."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import zstandard

from indexer.docstore import compression
from indexer.model import Document


def salvage(path: Path) -> Iterator[Document]:
    """Every document still readable in a damaged store file, opened read-only: rows that
    cannot be decoded are left out, and so is whatever lies behind a damaged page."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return
    try:
        codec = compression.Codec(_readable_dictionaries(db))
        for (data,) in db.execute("SELECT data FROM documents WHERE data IS NOT NULL"):
            try:
                yield codec.unpack(bytes(data))
            except compression.UNREADABLE:
                continue
    except sqlite3.Error:
        return
    finally:
        db.close()


def _readable_dictionaries(db: sqlite3.Connection) -> dict[int, bytes]:
    try:
        return {int(i): bytes(data) for i, data in db.execute("SELECT id, data FROM dictionaries ORDER BY n")}
    except (sqlite3.Error, zstandard.ZstdError):
        return {}  # a store of format 1, or its dictionaries lost: the zlib rows are still read
