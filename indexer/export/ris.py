"""RIS export (Zotero, EndNote, Mendeley), written with rispy one record at a time.

Tags follow Zotero's RIS translator: GOVDOC and RPRT import as a Zotero *report*, whose
institution comes from ``PB``, report number from ``SN``, series from ``T2`` and report
type from ``M3``. Lines end in CRLF as the RIS specification asks; text is UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

from rispy import RisWriter

from indexer.export import dates
from indexer.export.fields import CitationFields, citation_fields
from indexer.model import Document

CRLF = "\r\n"


class StreamingRisWriter(RisWriter):
    """rispy's writer without the ``1.`` counter line, with CRLF line ends."""

    NEWLINE = CRLF

    def set_header(self, count: int) -> str:
        return ""


def _line(text: str) -> str:
    """RIS has no continuation lines: fold newlines into spaces."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


def _authors(fields: CitationFields) -> list[str]:
    return [person.inverted for person in fields.persons] or list(fields.institutions)


def ris_record(fields: CitationFields) -> dict[str, Any]:
    """The rispy dict for one document; empty fields are left out."""
    record: dict[str, Any] = {
        "type_of_reference": fields.profile.ris_type,
        "title": fields.title,
        "authors": _authors(fields),
        "year": fields.year,
        "date": dates.slashed(fields.date),
        "publisher": fields.publisher,
        "place_published": fields.place,
        "issn": fields.number,  # SN: Zotero's reportNumber for reports
        "secondary_title": fields.series,
        "type_of_work": fields.genre,
        "urls": [fields.url] if fields.url else [],
        "file_attachments1": fields.file_url,
        "access_date": dates.slashed(fields.accessed),
        "language": fields.language,
        "abstract": fields.abstract,
        "notes": [fields.citation] if fields.citation else [],
        "accession_number": fields.key,  # AN: Zotero "Loc. in Archive"; ID would land in a note
    }
    cleaned = {key: value for key, value in record.items() if value}
    return {key: [_line(v) for v in value] if isinstance(value, list) else _line(value) for key, value in cleaned.items()}


def write(documents: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """Write each document as a RIS record, a blank line between records."""
    writer = StreamingRisWriter()
    count = 0
    for doc in documents:
        if count:
            out.write(CRLF)
        out.write(writer.formats([ris_record(citation_fields(doc, accessed))]))
        count += 1
    return count
