"""PDF bytes to page texts: pypdfium2 (``pdfium.py``, the default) or pypdf (pure Python).

One string per page, page order kept. Encrypted files that open with the empty user
password are read; others fail as "encrypted PDF". Pages without a text layer but
with images go to OCR (``ocr.py``) or are flagged ``no-text-layer``. The PDF's Info
dictionary and the largest type on page 1 supply title fallbacks. The engine is
chosen with ``BRONZOEKER_PDF_ENGINE`` (``pypdfium2`` or ``pypdf``); without a choice,
pypdfium2 reads the file when it is installed, and pypdf reads what PDFium cannot open.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import math
import os
import re
import statistics
from typing import Any, Callable

from indexer.extract import ocr
from indexer.extract.errors import ExtractionError
from indexer.extract.pdfium import PdfText, read_pdfium
from indexer.extract.result import Extracted

# pypdf warns about every odd font (e.g. "fontTools is required…"); the text is fine
logging.getLogger("pypdf").setLevel(logging.ERROR)

#: a page with fewer letters than this counts as having no text layer
MIN_PAGE_LETTERS = 15
_JUNK_TITLES = re.compile(r"^(?:none|untitled|titel|title|document\d*|microsoft word.*|.*\.(?:docx?|pdf|odt))$", re.I)
_PYPDF_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, AssertionError)


def open_reader(body: bytes) -> Any:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted and not _decrypt(reader):
            raise ExtractionError("encrypted PDF")
        return reader
    except ExtractionError:
        raise
    except (PdfReadError, *_PYPDF_ERRORS) as exc:
        raise ExtractionError(f"unreadable PDF: {_short(exc)}") from exc


def _decrypt(reader: Any) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - any failure means we cannot read it
        return False


def read_pypdf(body: bytes) -> PdfText:
    reader = open_reader(body)
    try:
        pages = list(reader.pages)
    except Exception as exc:  # noqa: BLE001 - broken page tree
        raise ExtractionError(f"unreadable PDF: {_short(exc)}") from exc
    texts = [_page_text(page) for page in pages]
    result = PdfText(texts=[text or "" for text in texts], failed_pages={i for i, t in enumerate(texts) if t is None})
    result.image_pages = {i for i, page in enumerate(pages) if _letters(result.texts[i]) < MIN_PAGE_LETTERS
                          and _has_images(page)}
    result.info = _info(reader)
    result.fragments = text_runs(pages[0]) if pages else []
    return result


#: engine name -> reader: pypdfium2 the fast one (a wheel with PDFium inside), pypdf pure Python
ENGINES: dict[str, Callable[[bytes], PdfText]] = {"pypdfium2": read_pdfium, "pypdf": read_pypdf}
FALLBACK_ENGINE = "pypdf"


def default_engine() -> str:
    """pypdfium2 when installed, else pypdf."""
    return "pypdfium2" if importlib.util.find_spec("pypdfium2") else FALLBACK_ENGINE


def read_pdf(body: bytes, engine: str = "") -> PdfText:
    """The page texts by the chosen engine; without a choice, by the default engine, and by
    pypdf when PDFium cannot open the file (pypdf's own reason is the one reported then)."""
    chosen = engine or os.environ.get("BRONZOEKER_PDF_ENGINE", "")
    if chosen:
        return ENGINES[chosen](body)
    first = default_engine()
    try:
        return ENGINES[first](body)
    except ExtractionError:
        if first == FALLBACK_ENGINE:
            raise
        return ENGINES[FALLBACK_ENGINE](body)


def extract_pdf(body: bytes, *, ocr_enabled: bool = True, engine: str = "") -> Extracted:
    pdf = read_pdf(body, engine)
    if not pdf.texts:
        raise ExtractionError("PDF has no pages")
    result = Extracted(format="pdf")
    texts = [text.replace("\x00", "") for text in pdf.texts]
    if pdf.failed_pages:
        result.flag("page-error")
    _fill_blank_pages(body, sorted(pdf.image_pages), texts, result, ocr_enabled)
    result.raw_pages = texts
    result.extra["pages_total"] = str(len(texts))
    for key in ("Title", "Subject", "Author"):
        if value := _clean_info(pdf.info.get(key) or pdf.info.get("/" + key)):
            result.extra[f"pdf_{key.lower()}"] = value
    if heading := largest_text(pdf.fragments):
        result.extra["pdf_heading"] = heading
    return result


def _page_text(page: Any) -> str | None:
    """The page's text; None when pypdf fails on it (the page stays, empty and flagged)."""
    try:
        return page.extract_text() or ""
    except Exception:  # noqa: BLE001 - one bad page must not sink the document
        return None


def _fill_blank_pages(body: bytes, blank: list[int], texts: list[str], result: Extracted,
                      ocr_enabled: bool) -> None:
    """OCR image-only pages when tesseract is available, else flag them."""
    blank = [i for i in blank if _letters(texts[i]) < MIN_PAGE_LETTERS]
    if not blank:
        return
    if ocr_enabled and ocr.available():
        for index, text in ocr.ocr_pages(body, blank).items():
            if _letters(text) > _letters(texts[index]):
                texts[index] = text
                result.flag("ocr")
    if any(_letters(texts[i]) < MIN_PAGE_LETTERS for i in blank):
        result.flag("no-text-layer")


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _has_images(page: Any) -> bool:
    try:
        return bool(page.images) or "/XObject" in str(page.get("/Resources", {}))
    except Exception:  # noqa: BLE001 - a broken image dictionary still means "image"
        return True


def _info(reader: Any) -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in (reader.metadata or {}).items()}
    except Exception:  # noqa: BLE001 - a broken Info dictionary only loses the fallbacks
        return {}


def _clean_info(value: Any) -> str:
    text = str(value or "").strip()
    if len(text) < 3 or _JUNK_TITLES.match(text) or set(text) <= set("-_ "):
        return ""
    return text


def text_runs(page: Any) -> list[tuple[float, str]]:
    """A pypdf page's text fragments with their rendered font size."""
    fragments: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
            fragments.append((round(float(size) * scale, 1), text.strip()))

    try:
        page.extract_text(visitor_text=visit)
    except Exception:  # noqa: BLE001 - a heading is a nicety
        return []
    return fragments


def largest_text(fragments: list[tuple[float, str]]) -> str:
    """The text set in the largest font on a page, when it stands out (a title page's title)."""
    if not fragments:
        return ""
    biggest = max(size for size, _ in fragments)
    if biggest < 1.3 * statistics.median(size for size, _ in fragments):
        return ""
    heading = re.sub(r"(?<=\w) - (?=\w)", "-", " ".join(t for size, t in fragments if size >= biggest * 0.95))
    heading = " ".join(heading.split())
    letters = sum(ch.isalpha() for ch in heading)
    words = re.findall(r"[^\W\d_]{3,}", heading)  # OCR noise such as "nota a |" is no title
    return heading if 8 <= len(heading) <= 200 and letters > 0.6 * len(heading) and len(words) >= 2 else ""


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:120]
