"""Extraction speed: PDF pages/s per engine, XML/HTML/text documents/s, guarded overhead.

``measure(paths)`` is what the benchmark helper calls; it reads the files itself (this
module is the one place in ``indexer.extract`` that touches the file system, and only
for benchmarking). Figures are throughput on this machine, not assertions.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable

from indexer.extract import ExtractionError, extract, extract_guarded
from indexer.extract.guarded import warm_up
from indexer.extract.pdf import ENGINES
from indexer.model import Record

KIND_BY_SUFFIX = {".pdf": "pdf", ".xml": "xml", ".html": "html", ".htm": "html", ".txt": "text", ".md": "text"}


def _record(path: Path) -> Record:
    return Record(source="bench", native_id=path.stem, url=path.resolve().as_uri(), body=path.read_bytes())


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def _engine_rate(engine: str, bodies: list[bytes]) -> dict[str, float]:
    """Raw text extraction by one PDF engine (no clean-up, no metadata)."""
    pages, seconds, failed = 0, 0.0, 0
    for body in bodies:
        try:
            elapsed, pdf = _timed(partial(ENGINES[engine], body))
        except (ExtractionError, ImportError):
            failed += 1
            continue
        pages += len(pdf.texts)
        seconds += elapsed
    return {"pages": pages, "seconds": round(seconds, 3), "pages_per_s": round(pages / seconds, 1) if seconds else 0.0,
            "failed": failed}


def _pipeline_rate(records: list[Record], runner: Callable[[Record], Any]) -> dict[str, float]:
    docs, pages, failed = 0, 0, 0
    started = time.perf_counter()
    for record in records:
        try:
            doc = runner(record)
        except ExtractionError:
            failed += 1
            continue
        docs += 1
        pages += len(doc.pages)
    seconds = time.perf_counter() - started
    return {"docs": docs, "pages": pages, "failed": failed, "seconds": round(seconds, 3),
            "docs_per_s": round(docs / seconds, 1) if seconds else 0.0,
            "pages_per_s": round(pages / seconds, 1) if seconds else 0.0}


def _with_engine(engine: str, records: list[Record]) -> dict[str, float]:
    """The whole extract() (clean-up, metadata) with one PDF engine chosen."""
    previous = os.environ.get("BRONZOEKER_PDF_ENGINE")
    os.environ["BRONZOEKER_PDF_ENGINE"] = engine
    try:
        return _pipeline_rate(records, extract)
    finally:
        if previous is None:
            os.environ.pop("BRONZOEKER_PDF_ENGINE", None)
        else:
            os.environ["BRONZOEKER_PDF_ENGINE"] = previous


def measure(paths: Iterable[str | os.PathLike[str]], *, guarded: bool = True) -> dict[str, Any]:
    """Throughput per format over ``paths``; OCR is off so scans do not dominate."""
    by_kind: dict[str, list[Path]] = defaultdict(list)
    for path in map(Path, paths):
        if kind := KIND_BY_SUFFIX.get(path.suffix.lower()):
            by_kind[kind].append(path)
    warm_up()  # the language model and word list load once, outside the timings
    previous = os.environ.get("BRONZOEKER_NO_OCR")
    os.environ["BRONZOEKER_NO_OCR"] = "1"
    try:
        report: dict[str, Any] = {}
        for kind, files in sorted(by_kind.items()):
            records = [_record(path) for path in files]
            report[kind] = {"files": len(files), "extract": _pipeline_rate(records, extract)}
            if guarded:
                report[kind]["extract_guarded"] = _pipeline_rate(records, extract_guarded)
            if kind == "pdf":
                report[kind]["engines"] = {name: _engine_rate(name, [r.body for r in records]) for name in ENGINES}
                report[kind]["extract_by_engine"] = {name: _with_engine(name, records) for name in ENGINES}
        return report
    finally:
        if previous is None:
            os.environ.pop("BRONZOEKER_NO_OCR", None)
        else:
            os.environ["BRONZOEKER_NO_OCR"] = previous


if __name__ == "__main__":  # python -m indexer.extract.bench FILE…
    import json
    import sys

    print(json.dumps(measure(sys.argv[1:]), indent=2))
