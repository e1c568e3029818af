"""The JSON API, version 1: search, documents, status, and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from indexer.catalogue.position import replica_status
from indexer.crawl_status import source_statuses
from indexer.export.public_url import public_document
from indexer.export.search_json import API_VERSION, document_json, result_json
from indexer.index import SearchResult
from indexer.index.request import page_size
from indexer.model import Document
from search_ui.document_pages import safe_cite
from search_ui.openapi import openapi_document
from search_ui.status import configured_sources, statuses_if_empty
from search_ui.urls import external_url
from search_ui.views import backend, read_request

MAX_API_PAGE_SIZE = 100
NO_DOCUMENTS = "nog geen documenten"


def api_search() -> Any:
    size = page_size(request.args.get("page_size"), current_app.config["PAGE_SIZE"], MAX_API_PAGE_SIZE)
    result = api_result(backend().search(read_request(page_size=size)))
    empty = None if result["total"] else statuses_if_empty()
    if empty is not None:  # no documents yet: say so, with what the crawls did
        result |= {"notice": NO_DOCUMENTS, "sources": [s.to_dict() for s in empty]}
    return jsonify(result)


def links(doc: Document) -> dict[str, str]:
    """Where a listed document's page and API record are on this server."""
    return {"html_url": external_url("ui.document", doc_id=doc.id),
            "api_url": external_url("ui.api_document", doc_id=doc.id)}


def api_hit(doc: Document) -> dict[str, Any]:
    return document_json(doc, links)


def api_result(result: SearchResult) -> dict[str, Any]:
    return result_json(result, links)


def api_document(doc_id: str) -> Any:
    doc = backend().get(doc_id)
    if doc is None:
        return jsonify({"api_version": API_VERSION, "error": "not found"}), 404
    links = {"cites": [api_hit(d) for d in backend().cites(doc)],
             "cited_by": [api_hit(d) for d in backend().cited_by(doc)]}
    return jsonify({"api_version": API_VERSION, "document": public_document(doc).to_dict(), "citation": safe_cite(doc),
                    "html_url": external_url("ui.document", doc_id=doc.id), **links})


def api_status() -> Any:
    statuses = source_statuses(current_app.config["DATA_DIR"], backend(), configured_sources())
    documents = sum(s.documents for s in statuses)
    notice = {} if documents else {"notice": NO_DOCUMENTS}
    replica = replica_status(current_app.config["DATA_DIR"])  # a search node: its lag behind the catalogue
    return jsonify({"api_version": API_VERSION, **notice, "sources": [s.to_dict() for s in statuses],
                    **({"replica": replica} if replica else {})})


def api_openapi() -> Any:
    return jsonify(openapi_document(external_url("ui.search").rstrip("/") or "/"))


def register(bp: Blueprint) -> None:
    """Add this module's pages to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/api/v1/search", view_func=api_search)
    bp.add_url_rule("/api/v1/documents/<path:doc_id>", view_func=api_document)  # first: url_for builds this one
    bp.add_url_rule("/api/v1/document/<path:doc_id>", view_func=api_document)  # the older singular path
    bp.add_url_rule("/api/v1/status", view_func=api_status)
    bp.add_url_rule("/api/v1/openapi.json", view_func=api_openapi)
