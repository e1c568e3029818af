"""Bytes to text and metadata: :func:`extract` turns a Record into a Document. No I/O
(package data aside; OCR pipes page images through the ``tesseract`` CLI).

Stages: sniff the format (``sniff``), run the format's extractor from
:data:`EXTRACTORS` (``pdf``, ``officiele_publicatie``, ``html``, ``text``), normalise
characters (``normalize``), clean page furniture and line-end hyphenation
(``layout``, ``hyphenation``), per-kind metadata (``metadata``), references
(``indexer.citekeys.citations``), language (``language``); then ``assemble`` builds the Document,
letting the record's protocol/sidecar metadata override what was extracted.
:func:`extract_guarded` runs all that in a child process with time and memory limits;
``bench.measure`` times it.
"""

from __future__ import annotations

from collections.abc import Callable

from indexer.extract import sniff
from indexer.extract.assemble import build_document
from indexer.extract.errors import ExtractionError
from indexer.extract.guarded import extract_guarded
from indexer.extract.html import extract_html
from indexer.extract.officiele_publicatie import extract_officiele_publicatie, extract_xml
from indexer.extract.pdf import extract_pdf
from indexer.extract.result import Extracted
from indexer.extract.stages import finish
from indexer.extract.text import extract_text
from indexer.model import Document, Record

__all__ = ["EXTRACTORS", "ExtractionError", "extract", "extract_guarded"]

#: detected format -> extractor (bytes -> Extracted)
EXTRACTORS: dict[str, Callable[[bytes], Extracted]] = {
    sniff.PDF: extract_pdf,
    sniff.KOOP_XML: extract_officiele_publicatie,
    sniff.XML: extract_xml,
    sniff.HTML: extract_html,
    sniff.TEXT: extract_text,
}


def extract(record: Record, *, fetched_at: str = "") -> Document:
    """The Document for ``record``; raises :class:`ExtractionError` with a reason."""
    if record.deleted:
        raise ExtractionError("record is deleted: nothing to extract")
    fmt = sniff.detect_format(record.body, record.content_type)
    try:
        result = EXTRACTORS[fmt](record.body)
    except (RecursionError, MemoryError) as exc:
        raise ExtractionError(f"{fmt} too deeply nested or too large: {type(exc).__name__}") from exc
    if sniff.type_mismatch(record.content_type, fmt):
        result.flag("content-type-mismatch")  # the bytes won; the server's label was wrong
    finish(result, record)
    return build_document(record, result, fetched_at=fetched_at)
