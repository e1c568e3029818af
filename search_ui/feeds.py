"""Per query an Atom feed of the newest matches (an alert in any feed reader), and the
OpenSearch description that lets a browser add bronzoeker as a search engine."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, render_template

from search_ui import urls
from search_ui.views import backend, read_request

FEED_ENTRIES = 25


def link_helpers() -> dict[str, Any]:
    """Absolute links for feeds and the OpenSearch description (see search_ui.urls)."""
    return {"external_url": urls.external_url, "external_path": urls.external_path,
            "self_url": urls.self_url, "feed_entry_id": urls.feed_entry_id}


def feed() -> Any:
    # An alert lists complete matches only: partial ones would fill a reader with documents
    # lacking a word, for as long as no document holds them all.
    search_request = replace(read_request(), sort="date-desc", page=1, page_size=FEED_ENTRIES, facets=False,
                             partial=False)
    result = backend().search(search_request)
    updated = max((entry_updated(hit.document) for hit in result.hits), default="1970-01-01T00:00:00Z")
    body = render_template("feed.xml", result=result, req=search_request, updated=updated,
                           entry_updated=entry_updated)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def entry_updated(doc: Any) -> str:
    """An RFC 3339 timestamp for an entry: when we last saw it change, else its date."""
    for value in (doc.modified, doc.fetched_at):
        if value and "T" in value:
            return value if value.endswith("Z") or "+" in value[10:] else value + "Z"
    date = (doc.date or "1970-01-01")[:10]
    date = date + "-01" * (2 - date.count("-")) if len(date) < 10 else date
    return f"{date}T00:00:00Z"


def opensearch() -> Any:
    return Response(render_template("opensearch.xml"),
                    content_type="application/opensearchdescription+xml; charset=utf-8")


def register(bp: Blueprint) -> None:
    """Add this module's pages to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/feed.atom", view_func=feed)
    bp.add_url_rule("/opensearch.xml", view_func=opensearch)
    bp.app_context_processor(link_helpers)
