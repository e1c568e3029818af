"""The blueprint: search page, document page and the JSON API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup

from indexer.index import FACET_FIELDS, SORTS, IndexMissing, SearchBackend, SearchRequest
from search_ui.formatting import CATEGORY_LABELS, FACET_LABELS, dutch_date, facet_value_label

bp = Blueprint("ui", __name__)
MAX_PAGE = 1000


def backend() -> SearchBackend:
    return current_app.extensions["bronzoeker.backend"]


@bp.app_template_filter("datum")
def datum_filter(value: str) -> str:
    return dutch_date(value or "")


@bp.app_context_processor
def labels() -> dict[str, Any]:
    return {"FACET_LABELS": FACET_LABELS, "CATEGORY_LABELS": CATEGORY_LABELS,
            "facet_value_label": facet_value_label, "search_url": search_url}


def search_url(args: dict[str, Any], **changes: Any) -> str:
    """The search URL for the current state with some parameters changed (None removes)."""
    merged = {k: v for k, v in args.items()}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return url_for("ui.search", **merged)


def read_request() -> SearchRequest:
    args = request.args
    filters = {name: tuple(v for v in args.getlist(name) if v) for name in FACET_FIELDS}
    sort = args.get("sort", "relevance")
    return SearchRequest(
        query=args.get("q", "").strip()[:1000],
        filters={k: v for k, v in filters.items() if v},
        date_from=args.get("van", "").strip()[:10],
        date_to=args.get("tot", "").strip()[:10],
        sort=sort if sort in SORTS else "relevance",
        page=min(max(_int(args.get("pagina"), 1), 1), MAX_PAGE),
        page_size=current_app.config["PAGE_SIZE"],
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@bp.route("/")
def search() -> Any:
    search_request = read_request()
    try:
        result = backend().search(search_request)
    except IndexMissing:
        return render_template("empty_index.html"), 503
    return render_template("search.html", result=result, req=search_request,
                           args=request.args.to_dict(flat=True), multi_args=request.args)


@bp.route("/document/<path:doc_id>")
def document(doc_id: str) -> Any:
    try:
        doc = backend().get(doc_id)
    except IndexMissing:
        abort(404)
    if doc is None:
        abort(404)
    return render_template("document.html", doc=doc, cites=backend().cites(doc),
                           cited_by=backend().cited_by(doc), q=request.args.get("q", ""),
                           pages=[Markup.escape(p) for p in doc.pages])


@bp.route("/api/v1/search")
def api_search() -> Any:
    search_request = read_request()
    try:
        result = backend().search(search_request)
    except IndexMissing:
        return jsonify({"error": "no index yet"}), 503
    return jsonify(api_result(result))


def api_result(result: Any) -> dict[str, Any]:
    hits = []
    for hit in result.hits:
        data = hit.document.to_dict()
        data.pop("pages")
        hits.append({**data, "score": hit.score, "snippet": hit.snippet, "snippet_page": hit.snippet_page,
                     "html_url": url_for("ui.document", doc_id=hit.document.id, _external=True)})
    return {"api_version": 1, "total": result.total, "page": result.request.page,
            "page_size": result.request.page_size, "hits": hits,
            "facets": {k: [{"value": v, "count": c} for v, c in pairs] for k, pairs in result.facets.items()},
            "suggestion": result.suggestion}


@bp.route("/api/v1/document/<path:doc_id>")
def api_document(doc_id: str) -> Any:
    doc = backend().get(doc_id)
    if doc is None:
        return jsonify({"error": "not found"}), 404
    return jsonify({"api_version": 1, "document": doc.to_dict()})
