"""The default PDF engine: pypdfium2 (PDFium), ~17x faster than pypdf.

Same output shape as the pypdf engine in ``pdf.py``: page texts, the pages that carry
images, the Info dictionary and page 1's text runs with their font sizes (for the
title-page heading). PDFium marks a line-end hyphenation (U+0002 in this
PDFium build, U+FFFE in others) and joins the word; :func:`unmark_hyphens` turns the
mark back into a line-end hyphen so the shared dehyphenator makes the same decision as
for pypdf text (``hbo-opleiding`` keeps its hyphen, ``criminali-teit`` joins). The quality
gate in tests/test_extract_golden.py runs over both engines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from indexer.extract.errors import ExtractionError

_MARK = re.compile("[\ufffe\x02]")


@dataclass
class PdfText:
    """What a PDF engine returns: one text per page plus what the metadata stage needs."""

    texts: list[str]
    image_pages: set[int] = field(default_factory=set)
    failed_pages: set[int] = field(default_factory=set)
    info: dict[str, str] = field(default_factory=dict)
    #: page 1 as (font size in points, text) runs, for the heading set in the largest type
    fragments: list[tuple[float, str]] = field(default_factory=list)


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
        result.fragments = _first_page_runs(pdf)
        return result
    finally:
        pdf.close()


def _first_page_runs(pdf: Any) -> list[tuple[float, str]]:
    """Page 1's text as runs of one font size, split at line ends (like pypdf's fragments)."""
    import pypdfium2
    from pypdfium2 import raw

    if not len(pdf):
        return []
    try:
        textpage = pdf[0].get_textpage()
    except pypdfium2.PdfiumError:
        return []
    runs: list[tuple[float, list[str]]] = []
    for index in range(textpage.count_chars()):
        char = chr(raw.FPDFText_GetUnicode(textpage.raw, index))
        size = round(raw.FPDFText_GetFontSize(textpage.raw, index), 1)
        if char in "\r\n\x02\ufffe":
            runs.append((0.0, []))
        elif runs and runs[-1][0] == size:
            runs[-1][1].append(char)
        else:
            runs.append((size, [char]))
    return [(size, text) for size, chars in runs if size and (text := "".join(chars).strip())]
