"""CSL-JSON export (citeproc, Zotero, Pandoc): a JSON array streamed element by element.

Persons get ``family``/``given`` with the Dutch tussenvoegsel as ``non-dropping-particle``
(``van Tulder`` stays ``van Tulder`` in the bibliography); institutions are ``literal``
names. Dates are ``date-parts`` with only the precision the document has.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from indexer.export import dates
from indexer.export.fields import CitationFields, citation_fields
from indexer.export.names import PersonName
from indexer.model import Document


def csl_name(person: PersonName) -> dict[str, str]:
    name = {"family": person.family, "given": person.given, "non-dropping-particle": person.particle}
    return {key: value for key, value in name.items() if value}


def _date(iso: str) -> dict[str, Any] | None:
    values = dates.parts(iso)
    return {"date-parts": [values]} if values else None


def csl_item(fields: CitationFields) -> dict[str, Any]:
    """One CSL-JSON item; empty variables are left out."""
    authors = [csl_name(person) for person in fields.persons] or [
        {"literal": name} for name in fields.institutions
    ]
    item: dict[str, Any] = {
        "id": fields.key,
        "type": fields.profile.csl_type,
        "title": fields.title,
        "author": authors,
        "issued": _date(fields.date),
        "publisher": fields.publisher,
        "publisher-place": fields.place,
        "genre": fields.genre,
        "number": fields.number,
        "collection-title": fields.series,
        "URL": fields.url or fields.file_url,
        "accessed": _date(fields.accessed),
        "language": fields.language,
        "abstract": fields.abstract,
        "note": fields.citation,
    }
    return {key: value for key, value in item.items() if value}


def write(documents: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """``[`` item ``,`` item … ``]`` written as each document arrives; valid JSON even when empty."""
    out.write("[")
    count = 0
    for doc in documents:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(csl_item(citation_fields(doc, accessed)), ensure_ascii=False, indent=2))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
