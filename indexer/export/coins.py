"""COinS (ContextObjects in Spans, OpenURL 1.0 KEV) for result lists, so Zotero's
connector offers "save all" on a page of results or the basket.

Every document becomes a book-format ContextObject with ``rft.genre=report`` (Zotero's
COinS translator makes that a *report*, as the ``citation_*`` tags of a document page do):
title, date, persons (``rft.au`` "Family, Given") or the organisation (``rft.aucorp``),
publisher, place, series, the public address (``rft_id``) and the identifiers: the
canonical key and report number (``rft.identifier``), ISBN and handle where present.
"""

from __future__ import annotations

from urllib.parse import urlencode

from indexer.export.fields import citation_fields
from indexer.export.public_url import public_document
from indexer.model import Document

CONTEXT = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book")]
HANDLE_PREFIX = "info:hdl/"


def coins_pairs(doc: Document) -> list[tuple[str, str]]:
    """The KEV pairs of ``doc``, in a fixed order; empty values are left out."""
    fields = citation_fields(public_document(doc))
    pairs = [*CONTEXT, ("rft.genre", "report" if fields.profile.zotero_type == "report" else "document"),
             ("rft.btitle", fields.title), ("rft.date", fields.date)]
    pairs += [("rft.au", person.inverted) for person in fields.persons]
    pairs += [("rft.aucorp", name) for name in fields.institutions]
    pairs += [("rft.pub", fields.publisher), ("rft.place", fields.place), ("rft.series", fields.series),
              ("rft.identifier", fields.key), ("rft.identifier", fields.number),
              ("rft.isbn", doc.identifiers.get("isbn", "")), ("rft.language", fields.language),
              ("rft_id", fields.url)]
    if doc.identifiers.get("handle"):
        pairs.append(("rft_id", HANDLE_PREFIX + doc.identifiers["handle"]))
    return [(key, value) for key, value in pairs if value]


def coins(doc: Document) -> str:
    """The ``title`` of a ``<span class="Z3988">`` for ``doc`` (the template escapes it).

    >>> coins(Document(id="x", source="s", title="T & U", date="2017-04-04"))[:60]
    'ctx_ver=Z39.88-2004&rft_val_fmt=info%3Aofi%2Ffmt%3Akev%3Amtx'
    """
    return urlencode(coins_pairs(doc))
