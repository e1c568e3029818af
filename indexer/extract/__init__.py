"""Bytes to text and metadata: :func:`extract` turns a Record into a Document. No I/O
(package data aside; OCR pipes page images through the ``tesseract`` CLI).

Stages: sniff the format (``sniff``), run the format's extractor from
:data:`EXTRACTORS` (``pdf``, ``officiele_publicatie``, ``html``, ``text``), normalise
characters (``normalize``), clean page furniture and line-end hyphenation
(``layout``, ``hyphenation``), per-kind metadata (``metadata``), references
(``indexer.citekeys.citations``), language (``language``); then ``assemble`` builds the Document,
letting the record's protocol/sidecar metadata override what was extracted.
:func:`extract_guarded` runs all that in a child process with time and memory limits
(``bench/extract_speed.py`` times both).
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
from indexer.settings import DEFAULTS, ExtractionSettings

__all__ = ["EXTRACTORS", "ExtractionError", "extract", "extract_guarded"]

Extractor = Callable[[bytes, ExtractionSettings], Extracted]


def _pdf(body: bytes, settings: ExtractionSettings) -> Extracted:
    return extract_pdf(body, ocr_enabled=not settings.no_ocr, engine=settings.pdf_engine)


def _without_settings(extractor: Callable[[bytes], Extracted]) -> Extractor:
    return lambda body, settings: extractor(body)


#: detected format -> extractor (bytes and the extraction settings -> Extracted)
EXTRACTORS: dict[str, Extractor] = {
    sniff.PDF: _pdf,
    sniff.KOOP_XML: _without_settings(extract_officiele_publicatie),
    sniff.XML: _without_settings(extract_xml),
    sniff.HTML: _without_settings(extract_html),
    sniff.TEXT: _without_settings(extract_text),
}


def extract(record: Record, settings: ExtractionSettings = DEFAULTS.extraction, *, fetched_at: str = "") -> Document:
    """The Document for ``record`` (PDF engine and OCR as ``settings`` say); raises
    :class:`ExtractionError` with a reason."""
    if record.deleted:
        raise ExtractionError("record is deleted: nothing to extract")
    fmt = sniff.detect_format(record.body, record.content_type)
    try:
        result = EXTRACTORS[fmt](record.body, settings)
    except (RecursionError, MemoryError) as exc:
        raise ExtractionError(f"{fmt} too deeply nested or too large: {type(exc).__name__}") from exc
    if sniff.type_mismatch(record.content_type, fmt):
        result.flag("content-type-mismatch")  # the bytes won; the server's label was wrong
    finish(result, record)
    return build_document(record, result, fetched_at=fetched_at)
