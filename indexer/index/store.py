"""Where the index lives in the data directory, and how it is swapped atomically.

``data_dir/CURRENT`` names the live index directory. Incremental writes go into it
(Whoosh commits are atomic: readers keep their snapshot until they refresh). A
rebuild fills a fresh directory and then replaces ``CURRENT`` in one rename, so a
reader never sees a half-built index.

The data directory is ours alone, and nothing outside it is ours: ``CURRENT`` must
name a plain ``index`` or ``index-*`` directory directly inside the data directory
(not a link), or every command stops with :class:`UnsafeDataDir` before it reads,
writes or deletes anything. Leftovers of a killed or failed run (build directories
that ``CURRENT`` does not name, unreferenced segment files, temporary files) are
removed by :func:`clean_leftovers` at the start of the next run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage
from whoosh.index import Index

from indexer.errors import CannotRun
from indexer.index import compact_codec, whoosh_compat
from indexer.index.schema import SCHEMA_VERSION, build_schema

POINTER = "CURRENT"
DEFAULT_NAME = "index"
VERSION_FILE = "bronzoeker-schema.json"
BUILD_PREFIX = "index-"
#: The only names CURRENT may hold: ``index`` or ``index-`` + letters, digits, ``-`` and ``_``.
INDEX_NAME = re.compile(r"index(-[A-Za-z0-9_-]+)?")

class IndexMissing(CannotRun):
    """No index has been built in this data directory yet."""


class SchemaMismatch(CannotRun):
    """The index on disk was built with another schema version: rebuild it."""


class UnsafeDataDir(CannotRun):
    """CURRENT (or a path derived from it) points outside the data directory's own index."""


def current_dir(data_dir: Path) -> Path:
    """The live index directory that CURRENT names, validated (see :func:`index_dir`)."""
    pointer = data_dir / POINTER
    name = pointer.read_text(errors="replace").strip() if pointer.is_file() else DEFAULT_NAME
    return index_dir(data_dir, name, f"{pointer} noemt {name!r}")


def index_dir(data_dir: Path, name: str, what: str) -> Path:
    """``data_dir/name`` when that is one of our index directories, else :class:`UnsafeDataDir`."""
    path = data_dir / name
    if not INDEX_NAME.fullmatch(name) or path.is_symlink():
        raise UnsafeDataDir(f"{what}, maar dat is geen indexmap in de datamap (verwacht: index of index-…, "
                            f"geen pad en geen link): zet in {POINTER} de naam van de index-… map in de datamap; "
                            "er is niets gewijzigd")
    return path


def open_index(data_dir: Path) -> Index:
    """The live index for reading; clear errors when it is missing or outdated."""
    path = current_dir(data_dir)
    if not whoosh_index.exists_in(str(path)):
        raise IndexMissing(f"no index in {data_dir} yet: run `indexer crawl` first")
    _check_version(path)
    return whoosh_compat.open_dir(path)


def open_readable(data_dir: Path) -> Index:
    """The live index for reading, or an empty one in memory while none is on disk yet:
    "no documents yet" is a normal state for every reader, not an error."""
    if whoosh_index.exists_in(str(current_dir(data_dir))):
        return open_index(data_dir)
    return RamStorage().create_index(build_schema())


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
        return whoosh_compat.open_dir(path)
    return create_at(path)


def create_at(path: Path) -> Index:
    path.mkdir(parents=True, exist_ok=True)
    whoosh_compat.install_mapped_files()
    compact_codec.install()
    ix = whoosh_index.create_in(str(path), build_schema())
    (path / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    return ix


def new_build_dir(data_dir: Path) -> Path:
    # A random suffix: two rebuilds in the same second must not share a directory.
    return data_dir / f"index-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"


def publish(data_dir: Path, built: Path) -> None:
    """Point CURRENT at a fully built index directory, then remove the old one."""
    old = current_dir(data_dir)
    if built.parent != data_dir:
        raise UnsafeDataDir(f"de nieuwe index {built} ligt niet in {data_dir}: er is niets gewijzigd")
    built = index_dir(data_dir, built.name, f"de nieuwe index heet {built.name!r}")
    tmp = data_dir / (POINTER + ".tmp")
    tmp.write_text(built.name)
    os.replace(tmp, data_dir / POINTER)
    if old.exists() and old != built:
        # Open readers keep their file handles; new readers follow CURRENT.
        shutil.rmtree(old, ignore_errors=True)


def clean_leftovers(data_dir: Path) -> list[str]:
    """Remove what a killed or failed run left behind (call with the crawl lock held, before
    anything needs disk): ``index-*`` directories that CURRENT does not name, CURRENT.tmp,
    and, in the live index, segment files no TOC lists and temporary files. The names removed."""
    if not data_dir.is_dir():
        return []
    live = current_dir(data_dir)
    removed = [_remove(data_dir / (POINTER + ".tmp"))]
    # only a CURRENT that exists says which build is live: without one, an index-* may be it
    builds = sorted(data_dir.glob(BUILD_PREFIX + "*")) if (data_dir / POINTER).is_file() else []
    for path in builds:
        if path != live and path.is_dir() and not path.is_symlink():
            removed.append(_remove(path))
    if whoosh_index.exists_in(str(live)):
        removed += _clean_index_files(live)
    return [name for name in removed if name]


def _clean_index_files(path: Path) -> list[str]:
    """Segment files of no committed generation (Whoosh's own clean-up, which normally runs
    only after a successful commit) and temporary files (TOCs being written, dot-named spools)."""
    ix = whoosh_compat.open_dir(path)
    before = set(os.listdir(path))
    whoosh_compat.clean_unreferenced(ix)
    toc = whoosh_compat.toc_filename(ix)
    for name in set(os.listdir(path)):
        # MAIN.tmp: the writer's temporary storage (a directory), left when its commit failed
        if (name.startswith("_") and ".toc." in name and name != toc) or (name.startswith(".") and ".tmp" in name) \
                or name == f"{ix.indexname}.tmp":
            _remove(path / name)
    return sorted(f"{path.name}/{name}" for name in before - set(os.listdir(path)))


def _remove(path: Path) -> str:
    """Delete a leftover file or directory (never following a link); its name, or '' if absent."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)
    else:
        return ""
    return path.name


def _check_version(path: Path) -> None:
    version_file = path / VERSION_FILE
    found = json.loads(version_file.read_text()).get("schema_version") if version_file.exists() else None
    if found != SCHEMA_VERSION:
        raise SchemaMismatch(
            f"the index in {path} has schema version {found}, this program needs {SCHEMA_VERSION}: "
            "run `indexer index --rebuild`"
        )
