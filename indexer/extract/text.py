"""Plain text and Markdown to text: decoding, form feeds as page breaks, a Markdown title.

Text files in the corpus are often text already extracted from a PDF (with running
headers and hyphenation), so they go through the same page clean-up as PDFs.
"""

from __future__ import annotations

import re

from indexer.extract.normalize import decode_text, repair_encoding
from indexer.extract.result import Extracted

_MD_HEADING = re.compile(r"^#{1,3}\s*([^#\s].*?)\s*#*\s*$", re.M)
#: HTML left in Markdown (a <meta> line, <sup> footnote marks): the tags go, the text stays
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]{0,300}>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def extract_text(body: bytes) -> Extracted:
    result = Extracted(format="text")
    text, flags = decode_text(body)
    for flag in flags:
        result.flag(flag)
    text, repaired = repair_encoding(text)
    if repaired:
        result.flag("mojibake-repaired")
    if _MD_HEADING.search(text[:5000]):
        text = _HTML_TAG.sub("", text)
    if heading := _MD_HEADING.search(text[:5000]):
        result.set_default("title", _MD_LINK.sub(r"\1", heading.group(1)).strip())
    result.raw_pages = text.split("\f") if "\f" in text else [text]
    return result
