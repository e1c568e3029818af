"""The JSON API, version 1: search, documents, status, and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request

from indexer.catalogue.position import replica_status
from indexer.crawl_status import source_statuses
from indexer.export.public_url import public_document
from indexer.index import SearchResult
from indexer.model import Document
from search_ui.document_pages import safe_cite
from search_ui.openapi import openapi_document
from search_ui.status import configured_sources, statuses_if_empty
from search_ui.urls import external_url
from search_ui.views import backend, bp, read_request

API_VERSION = 1
MAX_API_PAGE_SIZE = 100
NO_DOCUMENTS = "nog geen documenten"


@bp.route("/api/v1/search")
def api_search() -> Any:
    size = min(max(_int(request.args.get("page_size"), current_app.config["PAGE_SIZE"]), 1), MAX_API_PAGE_SIZE)
    result = api_result(backend().search(read_request(page_size=size)))
    empty = None if result["total"] else statuses_if_empty()
    if empty is not None:  # no documents yet: say so, with what the crawls did
        result |= {"notice": NO_DOCUMENTS, "sources": [s.to_dict() for s in empty]}
    return jsonify(result)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def api_hit(doc: Document) -> dict[str, Any]:
    data = public_document(doc).to_dict()
    data.pop("pages")
    data["html_url"] = external_url("ui.document", doc_id=doc.id)
    data["api_url"] = external_url("ui.api_document", doc_id=doc.id)
    return data


def api_result(result: SearchResult) -> dict[str, Any]:
    hits = [{**api_hit(hit.document), "score": hit.score, "snippet": hit.snippet,
             "snippet_page": hit.snippet_page, "missing": list(hit.missing)} for hit in result.hits]
    return {"api_version": API_VERSION, "total": result.total, "page": result.request.page,
            "page_size": result.request.page_size, "pages": result.pages,
            "partial": result.partial, "complete_total": result.complete_total, "hits": hits,
            "facets": {k: [{"value": v, "count": c} for v, c in pairs] for k, pairs in result.facets.items()},
            "suggestion": result.suggestion, "notices": [cut.to_dict() for cut in result.notices]}


@bp.route("/api/v1/document/<path:doc_id>")
@bp.route("/api/v1/documents/<path:doc_id>")
def api_document(doc_id: str) -> Any:
    doc = backend().get(doc_id)
    if doc is None:
        return jsonify({"api_version": API_VERSION, "error": "not found"}), 404
    links = {"cites": [api_hit(d) for d in backend().cites(doc)],
             "cited_by": [api_hit(d) for d in backend().cited_by(doc)]}
    return jsonify({"api_version": API_VERSION, "document": public_document(doc).to_dict(), "citation": safe_cite(doc),
                    "html_url": external_url("ui.document", doc_id=doc.id), **links})


@bp.route("/api/v1/status")
def api_status() -> Any:
    statuses = source_statuses(current_app.config["DATA_DIR"], backend(), configured_sources())
    documents = sum(s.documents for s in statuses)
    notice = {} if documents else {"notice": NO_DOCUMENTS}
    replica = replica_status(current_app.config["DATA_DIR"])  # a search node: its lag behind the catalogue
    return jsonify({"api_version": API_VERSION, **notice, "sources": [s.to_dict() for s in statuses],
                    **({"replica": replica} if replica else {})})


@bp.route("/api/v1/openapi.json")
def api_openapi() -> Any:
    return jsonify(openapi_document(external_url("ui.search").rstrip("/") or "/"))
