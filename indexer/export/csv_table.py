"""CSV export for spreadsheets: one row per document, every metadata field a column.

Excel-friendly for Dutch users: UTF-8 with a byte-order mark (so Excel reads the
diacritics), ``;`` as separator (the list separator of a Dutch Windows locale, so a
double-click opens it in columns), every value quoted. The body text is left out: one
cell holds at most 32,767 characters in Excel, and the text is in the index anyway.
Values that Excel would run as a formula (``=``, ``+``, ``@``) get a leading apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from indexer.export.fields import citation_fields
from indexer.export.public_url import public_document
from indexer.model import EXTRA_KEYS, IDENTIFIER_KEYS, Document

BOM = "\ufeff"
DELIMITER = ";"
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
DOCUMENT_COLUMNS = ("id", "source", "category", "doc_type", "title", "date", "language")
CITATION_COLUMNS = ("citation", "authors", "creators", "publisher", "place", "citation_number", "citation_series")
TAIL_COLUMNS = (
    "summary", "url", "file_url", "accessed", "references", "flags",
    "content_hash", "fetched_at", "modified", "extra_other",
)
COLUMNS = (
    *DOCUMENT_COLUMNS,
    *CITATION_COLUMNS,
    *IDENTIFIER_KEYS,
    *(f"extra_{key}" for key in EXTRA_KEYS),
    *TAIL_COLUMNS,
)


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas in untrusted text (CSV injection).

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("-5"), safe_cell("Blok")
    ("'=HYPERLINK(1)", '-5', 'Blok')
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def row(doc: Document, accessed: str | None = None) -> dict[str, str]:
    """The CSV row of one document, keyed by :data:`COLUMNS`."""
    doc = public_document(doc)  # a local path is no part of a citation list
    fields = citation_fields(doc, accessed)
    values = {name: str(getattr(doc, name)) for name in DOCUMENT_COLUMNS}
    values.update(
        citation=fields.citation, authors=LIST_SEPARATOR.join(doc.authors),
        creators=LIST_SEPARATOR.join(doc.creators), publisher=fields.publisher, place=fields.place,
        citation_number=fields.number, citation_series=fields.series,
    )
    values.update({key: doc.identifiers.get(key, "") for key in IDENTIFIER_KEYS})
    values.update({f"extra_{key}": doc.extra.get(key, "") for key in EXTRA_KEYS})
    other = sorted((k, v) for k, v in doc.extra.items() if k not in EXTRA_KEYS)
    values.update(
        summary=doc.summary, url=doc.url, file_url=doc.file_url, accessed=fields.accessed,
        references=LIST_SEPARATOR.join(doc.references), flags=LIST_SEPARATOR.join(doc.flags),
        content_hash=doc.content_hash, fetched_at=doc.fetched_at, modified=doc.modified,
        extra_other=LIST_SEPARATOR.join(f"{k}={v}" for k, v in other),
    )
    return {name: safe_cell(values[name]) for name in COLUMNS}


def write(documents: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """BOM, header row, then one row per document as it arrives."""
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=DELIMITER, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for doc in documents:
        writer.writerow(row(doc, accessed))
        count += 1
    return count
