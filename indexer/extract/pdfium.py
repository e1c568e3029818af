"""The optional fast PDF engine: pypdfium2 (PDFium), ~17x faster than pypdf.

Same output shape as the pypdf engine in ``pdf.py``: page texts, the pages that carry
images, and the Info dictionary. PDFium marks a line-end hyphenation (U+0002 in this
PDFium build, U+FFFE in others) and joins the word; :func:`unmark_hyphens` turns the
mark back into a line-end hyphen so the shared dehyphenator makes the same decision as
for pypdf text (``hbo-opleiding`` keeps its hyphen, ``criminali-teit`` joins). Selected with
``BRONZOEKER_PDF_ENGINE=pypdfium2``; see the quality gate in tests/test_extract_golden.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.extract.errors import ExtractionError

_MARK = re.compile("[\ufffe\x02]")


@dataclass
class PdfText:
    """What a PDF engine returns: one text per page plus what the metadata stage needs."""

    texts: list[str]
    image_pages: set[int] = field(default_factory=set)
    failed_pages: set[int] = field(default_factory=set)
    info: dict[str, str] = field(default_factory=dict)
    heading: str = ""


def unmark_hyphens(text: str) -> str:
    """``samenhan\\x02gende`` -> ``samenhan-⏎gende`` (then dehyphenated like any PDF text)."""
    return _MARK.sub("-\n", text)


def read_pdfium(body: bytes) -> PdfText:
    import pypdfium2
    from pypdfium2 import raw

    try:
        pdf = pypdfium2.PdfDocument(body)
    except pypdfium2.PdfiumError as exc:
        reason = "encrypted PDF" if "password" in str(exc).lower() else f"unreadable PDF: {str(exc)[:100]}"
        raise ExtractionError(reason) from exc
    try:
        result = PdfText(texts=[], info={k: str(v) for k, v in pdf.get_metadata_dict().items()})
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                result.texts.append(unmark_hyphens(page.get_textpage().get_text_bounded()))
            except pypdfium2.PdfiumError:  # one bad page must not sink the document
                result.texts.append("")
                result.failed_pages.add(index)
                continue
            if any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
                result.image_pages.add(index)
        return result
    finally:
        pdf.close()
