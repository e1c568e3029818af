"""Where the index lives in the data directory, and how it is swapped atomically.

``data_dir/CURRENT`` names the live index directory. Incremental writes go into it
(Whoosh commits are atomic: readers keep their snapshot until they refresh). A
rebuild fills a fresh directory and then replaces ``CURRENT`` in one rename, so a
reader never sees a half-built index.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index

from indexer.index import mapped_files
from indexer.index.schema import SCHEMA_VERSION, build_schema

POINTER = "CURRENT"
DEFAULT_NAME = "index"
VERSION_FILE = "bronzoeker-schema.json"

mapped_files.install()  # every index is opened here: segments are read from the map, not copied


class IndexMissing(Exception):
    """No index has been built in this data directory yet."""


class SchemaMismatch(Exception):
    """The index on disk was built with another schema version: rebuild it."""


def current_dir(data_dir: Path) -> Path:
    pointer = data_dir / POINTER
    name = pointer.read_text().strip() if pointer.is_file() else DEFAULT_NAME
    return data_dir / name


def open_index(data_dir: Path) -> Index:
    """The live index for reading; clear errors when it is missing or outdated."""
    path = current_dir(data_dir)
    if not whoosh_index.exists_in(str(path)):
        raise IndexMissing(f"no index in {data_dir} yet: run `indexer crawl` first")
    _check_version(path)
    return whoosh_index.open_dir(str(path))


def is_outdated(data_dir: Path) -> bool:
    """True when the live index exists and was built with another schema version."""
    path = current_dir(data_dir)
    if not whoosh_index.exists_in(str(path)):
        return False
    try:
        _check_version(path)
    except SchemaMismatch:
        return True
    return False


def open_or_create(data_dir: Path) -> Index:
    """The live index for writing, created (with the current schema) when absent."""
    path = current_dir(data_dir)
    if whoosh_index.exists_in(str(path)):
        _check_version(path)
        return whoosh_index.open_dir(str(path))
    return create_at(path)


def create_at(path: Path) -> Index:
    path.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(path), build_schema())
    (path / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    return ix


def new_build_dir(data_dir: Path) -> Path:
    # A random suffix: two rebuilds in the same second must not share a directory.
    return data_dir / f"index-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"


def publish(data_dir: Path, built: Path) -> None:
    """Point CURRENT at a fully built index directory, then remove the old one."""
    old = current_dir(data_dir)
    tmp = data_dir / (POINTER + ".tmp")
    tmp.write_text(built.name)
    os.replace(tmp, data_dir / POINTER)
    if old.exists() and old != built:
        # Open readers keep their file handles; new readers follow CURRENT.
        shutil.rmtree(old, ignore_errors=True)


def _check_version(path: Path) -> None:
    version_file = path / VERSION_FILE
    found = json.loads(version_file.read_text()).get("schema_version") if version_file.exists() else None
    if found != SCHEMA_VERSION:
        raise SchemaMismatch(
            f"the index in {path} has schema version {found}, this program needs {SCHEMA_VERSION}: "
            "run `indexer index --rebuild`"
        )
