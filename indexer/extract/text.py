"""Plain text and Markdown to text: decoding, form feeds as page breaks, a Markdown title,
Markdown markup (link targets, heading marks, emphasis) reduced to the text it shows.

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
#: a link or image with its target, which may hold one level of parentheses: "(b)/README.md"
_MD_LINK_TARGET = re.compile(r"!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MD_HEADING_MARK = re.compile(r"^[ \t]*#{1,6}[ \t]*(.*?)[ \t#]*$", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_BULLET = re.compile(r"^([ \t]*)[*+-][ \t]+", re.M)


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
        text = markdown_to_text(text)
    result.raw_pages = text.split("\f") if "\f" in text else [text]
    return result


def markdown_to_text(text: str) -> str:
    """Markdown as the text a reader sees: link text without its target, headings without
    ``#``, no ``**``, bullets as "•". Done at extraction, not at display, because the
    stored text is what is indexed, shown in snippets and on the document page, and
    exported: a link target such as ``../../README.md`` must not match "readme" either.

    >>> markdown_to_text("### Artikel  2\\n\\nZie [art. 9a Sr](../../wet/(b)/README.md) en **dit**.\\n* punt")
    'Artikel  2\\n\\nZie art. 9a Sr en dit.\\n• punt'
    """
    text = _MD_LINK_TARGET.sub(r"\1", text)
    text = _MD_HEADING_MARK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return _MD_BULLET.sub(r"\1• ", text)
