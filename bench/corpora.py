"""The real corpora: the bulk KOOP XMLs (unpacked from bench/data) and the bundled corpus/.

Both are extracted with the project's own :func:`indexer.extract.extract`, in parallel,
once per content hash (tarball bytes + extractor code), into a JSON-lines file of
Documents that every engine is then fed from.
"""

from __future__ import annotations

import multiprocessing
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path

from bench import workdir
from indexer.extract import ExtractionError, extract
from indexer.model import Document, Record
from indexer.settings import ExtractionSettings

BULK_TARBALL = workdir.DATA_DIR / "kst-moties-2024-2025-xml.tar.gz"
BULK_SOURCE = "kst-moties"
CORPUS_DIR = workdir.PROJECT_DIR / "corpus"
BUNDLED_SUFFIXES = (".pdf", ".xml", ".html", ".txt", ".md")
EXTRACTOR_CODE = workdir.PROJECT_DIR / "indexer" / "extract"


@dataclass(frozen=True)
class RealCorpus:
    name: str
    docs_path: Path  # JSON lines of extracted Documents
    key: str
    count: int
    failed: int
    cached: bool


def unpack_bulk() -> list[Path]:
    """The bulk XML files, unpacked into bench/work on first use."""
    name = "bulk-" + workdir.file_hash(BULK_TARBALL)[:16]
    target = workdir.cached(name)
    if target is None:
        target = workdir.fresh(name)
        with tarfile.open(BULK_TARBALL) as archive:
            archive.extractall(target, filter="data")
        workdir.mark_complete(target)
    return sorted(target.rglob("*.xml"))


def bundled_files() -> list[Path]:
    return sorted(p for p in CORPUS_DIR.rglob("*") if p.suffix.lower() in BUNDLED_SUFFIXES and p.is_file())


def record_for(path: Path, source: str, root: Path) -> Record:
    native_id = path.relative_to(root).with_suffix("").as_posix()
    return Record(source=source, native_id=native_id, url=path.resolve().as_uri(),
                  body=path.read_bytes(), file_url=path.resolve().as_uri())


def bulk_record(path: Path) -> Record:
    return record_for(path, BULK_SOURCE, path.parent)


def bundled_record(path: Path) -> Record:
    return record_for(path, path.relative_to(CORPUS_DIR).parts[0], CORPUS_DIR)


def real_corpus(name: str, paths: list[Path], source_of: str, processes: int | None = None,
                ocr: bool = True) -> RealCorpus:
    """Extract ``paths`` (cached by their bytes and the extractor's code) into a Documents file."""
    digest = workdir.key_of(*(workdir.file_hash(p) for p in paths), workdir.code_hash(EXTRACTOR_CODE), ocr)
    dirname = f"docs-{name}-{digest}"
    done = workdir.cached(dirname)
    if done is not None:
        info = workdir.completion_info(done)
        return RealCorpus(name, done / "docs.jsonl", digest, int(info["count"]), int(info["failed"]), True)
    target = workdir.fresh(dirname)
    # without OCR the bundled scans add nothing to the paragraph pool, and cost minutes
    docs = _extract_all(paths, source_of, processes or os.cpu_count() or 1, ExtractionSettings(no_ocr=not ocr))
    good = [d for d in docs if d is not None]
    workdir.write_documents(target / "docs.jsonl", good)
    workdir.mark_complete(target, {"count": len(good), "failed": len(docs) - len(good)})
    return RealCorpus(name, target / "docs.jsonl", digest, len(good), len(docs) - len(good), False)


def _extract_all(paths: list[Path], source_of: str, processes: int,
                 settings: ExtractionSettings) -> list[Document | None]:
    jobs = [(str(p), source_of, settings) for p in paths]
    if processes <= 1 or len(jobs) < 50:
        return [_extract_job(job) for job in jobs]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return pool.map(_extract_job, jobs, chunksize=64)


_RECORD_MAKERS = {"bulk": bulk_record, "bundled": bundled_record}


def _extract_job(job: tuple[str, str, ExtractionSettings]) -> Document | None:
    path, source_of, settings = job
    try:
        return extract(_RECORD_MAKERS[source_of](Path(path)), settings)
    except ExtractionError:
        return None  # counted by the caller as failed


def text_bytes(doc: Document) -> int:
    """The text an engine indexes for a document, in UTF-8 bytes."""
    return len(doc.title.encode()) + len(doc.summary.encode()) + len(doc.body.encode())
