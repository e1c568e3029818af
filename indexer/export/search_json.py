"""The one JSON shape of a search result, shared by ``indexer search --json`` and
``/api/v1/search`` (and read back by a federating instance, :mod:`indexer.federation.bronzoeker`).

Hits carry public addresses only (:func:`~indexer.export.public_url.public_document`);
the stored local path stays in ``indexer show``. Links to pages of a running server
(``html_url``, ``api_url``) are the only thing the caller adds, through ``links``: the CLI
has no server to point at.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from indexer.export.public_url import public_document
from indexer.index.backend import Hit, SearchResult
from indexer.model import Document

API_VERSION = 1
#: per document, the links a server adds (``html_url``, ``api_url``)
Links = Callable[[Document], Mapping[str, str]]


def document_json(doc: Document, links: Links | None = None) -> dict[str, Any]:
    """One document as a result lists it: public fields without page texts, then its links."""
    data = public_document(doc).to_dict()
    data.pop("pages")
    return {**data, **(links(doc) if links else {})}


def hit_json(hit: Hit, links: Links | None = None) -> dict[str, Any]:
    return {**document_json(hit.document, links), "score": hit.score, "snippet": hit.snippet,
            "snippet_page": hit.snippet_page, "missing": list(hit.missing)}


def facets_json(facets: Mapping[str, tuple[tuple[str, int], ...]]) -> dict[str, list[dict[str, Any]]]:
    return {name: [{"value": value, "count": count} for value, count in pairs] for name, pairs in facets.items()}


def result_json(result: SearchResult, links: Links | None = None) -> dict[str, Any]:
    """A search result as JSON (the ``SearchResult`` schema of the OpenAPI description)."""
    return {"api_version": API_VERSION, "total": result.total, "page": result.request.page,
            "page_size": result.request.page_size, "pages": result.pages,
            "partial": result.partial, "complete_total": result.complete_total,
            "hits": [hit_json(hit, links) for hit in result.hits], "facets": facets_json(result.facets),
            "suggestion": result.suggestion, "notices": [cut.to_dict() for cut in result.notices]}
