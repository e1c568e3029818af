"""Where the bench keeps things, content-hash keys, and Documents as JSON lines.

Everything generated lives under ``bench/work/`` (gitignored). A cached artefact's
directory name carries the hash of everything it was made from (input bytes, the
code that made it, the parameters), so a change anywhere makes a new one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Iterable, Iterator

from indexer.index.page_cache import read_file
from indexer.model import Document

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
WORK_DIR = Path(os.environ.get("BRONZOEKER_BENCH_WORK", BENCH_DIR / "work"))
OUT_DIR = Path(os.environ.get("BRONZOEKER_BENCH_OUT", BENCH_DIR / "out"))
DONE_MARK = ".complete"


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_hash(*roots: Path) -> str:
    """Hash of the Python sources under ``roots`` (files or folders), in a stable order."""
    digest = hashlib.sha256()
    for root in roots:
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for path in files:
            digest.update(path.relative_to(PROJECT_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key_of(*parts: object) -> str:
    """A short content key from anything printable."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def cached(name: str) -> Path | None:
    """The work directory ``name`` if a previous run completed it, else None."""
    path = WORK_DIR / name
    return path if (path / DONE_MARK).exists() else None


def fresh(name: str) -> Path:
    """An empty work directory ``name``. Older caches of the same family (the name up to its
    last ``-<hash>``) are removed with it, so bench/work does not grow with every code change."""
    path = WORK_DIR / name
    family = name.rsplit("-", 1)[0] + "-"
    for old in WORK_DIR.glob(family + "*") if WORK_DIR.exists() else ():
        if old.is_dir() and old.name.rsplit("-", 1)[0] + "-" == family:
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def mark_complete(path: Path, info: dict[str, object] | None = None) -> None:
    (path / DONE_MARK).write_text(json.dumps(info or {}, ensure_ascii=False))


def completion_info(path: Path) -> dict[str, object]:
    return json.loads((path / DONE_MARK).read_text() or "{}")


def write_documents(path: Path, docs: Iterable[Document]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_documents(path: Path, limit: int | None = None) -> Iterator[Document]:
    """Documents streamed from a JSON-lines file (so a build never holds them all)."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            yield Document.from_dict(json.loads(line))


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def read_all(path: Path) -> int:
    """Read every file under ``path`` once (bytes read), so that a query run starts with the
    index in the page cache for every engine alike: whether a build's files were still cached
    (a fresh build) or not (a cached one from an earlier run) otherwise decided the tail."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return sum(read_file(file) for file in files)
