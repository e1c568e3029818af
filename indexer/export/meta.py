"""``<meta>`` tags for a document page, so Zotero's connector saves the right item.

Zotero's Embedded Metadata translator makes an item a *report* when it sees
``citation_technical_report_institution`` (docs/background.md §1.1); Kamerstukken, Aanhangsels,
Handelingen, WODC, CCV and CAHROM documents are all saved that way, with the number in
``citation_technical_report_number``. The UI renders the (name, content) pairs as given.
"""

from __future__ import annotations

from indexer.export import dates
from indexer.export.fields import CitationFields, citation_fields
from indexer.model import Document

#: File endings that are not a PDF, so they must not be offered to Zotero as "Full Text PDF".
NOT_PDF = (".html", ".htm", ".xml", ".odt", ".txt", ".doc", ".docx")


def pdf_url(file_url: str) -> str:
    """The file URL unless it visibly is no PDF (DSpace and rm.coe.int links carry no suffix)."""
    return "" if file_url.lower().split("?")[0].endswith(NOT_PDF) else file_url


def _report_tags(fields: CitationFields) -> list[tuple[str, str]]:
    if fields.profile.zotero_type != "report":
        return [("citation_publisher", fields.publisher)]
    return [
        ("citation_technical_report_institution", fields.publisher),
        ("citation_technical_report_number", fields.number),
        ("citation_publisher", fields.publisher),
    ]


def zotero_meta(doc: Document) -> list[tuple[str, str]]:
    """The ``citation_*`` and ``DC.*`` tags of ``doc``; empty values are left out.

    >>> zotero_meta(Document(id="x", source="s", title="T", date="2017-04-04"))[:2]
    [('citation_title', 'T'), ('citation_date', '2017/04/04')]
    """
    fields = citation_fields(doc)
    tags: list[tuple[str, str]] = [("citation_title", fields.title), ("citation_date", dates.slashed(fields.date))]
    tags += [("citation_author", person.inverted) for person in fields.persons]
    tags += _report_tags(fields)
    tags += [
        ("citation_series_title", fields.series),
        ("citation_language", fields.language),
        ("citation_abstract", fields.abstract),
        ("citation_public_url", fields.url),
        ("citation_pdf_url", pdf_url(fields.file_url)),
        ("DC.title", fields.title),
        ("DC.type", fields.profile.zotero_type),
        ("DC.date", fields.date),
        ("DC.language", fields.language),
        ("DC.publisher", fields.publisher),
        ("DC.identifier", fields.key),
        ("DC.source", fields.citation),
    ]
    return [(name, content) for name, content in tags if content]
