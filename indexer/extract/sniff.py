"""Decide which extractor handles a body: magic bytes first, then the content type.

Returns one of the keys of ``indexer.extract.EXTRACTORS``. An empty body, a body whose
declared type contradicts its bytes in a way that means "error page" (an HTML page
served as a PDF), or unrecognisable binary data raise :class:`ExtractionError`.
"""

from __future__ import annotations

import re

from indexer.extract.errors import ExtractionError

PDF, KOOP_XML, XML, HTML, TEXT = "pdf", "officiele_publicatie", "xml", "html", "text"

#: leading junk seen in real files: BOMs (also as mojibake), whitespace, stray text
_LEAD = re.compile(rb"^(?:\xef\xbb\xbf|\xc3\xaf\xc2\xbb\xc2\xbf|\xff\xfe|\xfe\xff|\s)*")
_HTML_START = re.compile(rb"^<(?:!doctype\s+html|html|head|body|!--)", re.I)
#: an element start tag (a name, then attributes or the end of the tag): XML without <?xml
_XML_START = re.compile(rb"^<(?P<name>[a-z_][\w.-]*(?::[\w.-]+)?)(?:\s[^<>]*)?>", re.I)
_PDF_TYPES = {"application/pdf", "application/x-pdf"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown", "text/csv"}


def head_of(body: bytes, size: int = 2048) -> bytes:
    """The first bytes after BOMs and whitespace (lowercased ASCII for matching)."""
    return _LEAD.sub(b"", body[: size + 64])[:size]


def detect_format(body: bytes, content_type: str = "") -> str:
    if not body or not body.strip():
        raise ExtractionError("empty file")
    head = head_of(body)
    kind = _by_magic(body, head)
    declared = content_type.split(";")[0].strip().lower()
    if declared in _PDF_TYPES and kind != PDF:
        raise ExtractionError(f"not a PDF: starts with {head[:5]!r}")
    if kind:
        return kind
    if declared.startswith("text/html") or declared == "application/xhtml+xml":
        return HTML
    if _looks_binary(body):
        raise ExtractionError(f"unrecognised binary format ({declared or 'no content type'})")
    return TEXT


#: declared content type -> the formats it may legitimately hold
DECLARED = {
    "application/pdf": {PDF}, "application/x-pdf": {PDF},
    "text/html": {HTML}, "application/xhtml+xml": {HTML, KOOP_XML, XML},
    "application/xml": {KOOP_XML, XML}, "text/xml": {KOOP_XML, XML},
    "text/plain": {TEXT}, "text/markdown": {TEXT}, "text/x-markdown": {TEXT},
}


def type_mismatch(content_type: str, detected: str) -> bool:
    """True when a known declared type says something other than the bytes (a PDF sent as text/html)."""
    allowed = DECLARED.get(content_type.split(";")[0].strip().lower())
    return allowed is not None and detected not in allowed


def _by_magic(body: bytes, head: bytes) -> str:
    if body[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in body[:1024]:
        return PDF
    lowered = head.lower()
    if b"<officiele-publicatie" in lowered[:1024]:
        return KOOP_XML
    if _HTML_START.match(lowered) or b"<html" in lowered[:512]:
        return HTML
    if lowered.startswith(b"<?xml"):
        return KOOP_XML if b"<officiele-publicatie" in body[:4096] else XML
    if _is_undeclared_xml(body, head):  # KOOP's metadata.xml has no <?xml line
        return XML
    return ""


def _is_undeclared_xml(body: bytes, head: bytes) -> bool:
    """A document element that opens the file and closes it at its end: XML without a
    declaration (a Markdown file that merely starts with a ``<meta>`` tag is not)."""
    match = _XML_START.match(head)
    return match is not None and body.rstrip().endswith(b"</" + match.group("name") + b">")


def _looks_binary(body: bytes) -> bool:
    """Control bytes other than whitespace in the first 4 kB mean "not text"."""
    sample = body[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return b"\x00" in sample or controls > len(sample) * 0.05
