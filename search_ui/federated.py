"""Federated search in the web UI: ``/federated`` (HTML), ``/api/v1/federated`` (JSON)
and ``/federated/export`` (citations of the merged list).

The page is laid out like the local search page (cards, clickable facets of the merged
list, basket buttons, linked snippet pages, pagination through the whole merged list)
with the answer of every endpoint on top; ``register`` adds the routes. Remotes come from the sources file in
``app.config["CONFIG_PATH"]`` (None: no remotes), read once per app. Only remotes from
that file are ever contacted: ``?remote=`` selects among them by name, and a name that
is not configured is refused with HTTP 400.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup

from indexer.export import FORMATS
from indexer.export.public_url import public_document
from indexer.federation import (
    LOCAL,
    FederatedHit,
    FederatedResult,
    Federation,
    UnknownRemote,
    choose_remotes,
    federated_search,
    load_federation,
)
from indexer.index import SearchRequest
from indexer.index.request import page_size
from search_ui.basket import basket_ids
from search_ui.search_pages import FACETS_SHOWN, page_window
from search_ui.urls import external_url
from search_ui.views import backend, read_request, state_pairs, state_url

EXTENSION = "bronzoeker.federation"
API_PAGE_SIZE = 50  # merged hits per API answer unless page_size says otherwise
MAX_API_PAGE_SIZE = 100
STATUS_LABELS = {"ok": "antwoordde", "timeout": "te traag (time-out)", "error": "fout", "skipped": "overgeslagen"}


def federation() -> Federation:
    if EXTENSION not in current_app.extensions:
        current_app.extensions[EXTENSION] = load_federation(current_app.config.get("CONFIG_PATH"))
    return current_app.extensions[EXTENSION]


def run_query(page_size: int | None = None) -> tuple[FederatedResult | None, list[str]]:
    """The federated result for the request (None without a query) and the chosen remote names.

    Raises :class:`UnknownRemote` before anything is contacted when ``?remote=`` names an
    endpoint that is not configured."""
    remotes = choose_remotes(federation(), request.args.getlist("remote"))
    search_request = read_request(page_size=page_size)
    if not search_request.query:
        return None, [r.name for r in remotes]
    result = federated_search(search_request, backend(), remotes, federation().settings)
    return result, [r.name for r in remotes]


def page_pairs() -> list[tuple[str, str]]:
    """The state of this federated search (query, filters, page, language and remotes)."""
    return [*state_pairs(), *(("remote", name) for name in request.args.getlist("remote") if name)]


def page_url(pairs: list[tuple[str, str]] | None = None, **changes: Any) -> str:
    return state_url("ui.federated", pairs=page_pairs() if pairs is None else pairs, **changes)


def facet_add(field: str, value: str) -> str:
    return page_url([p for p in page_pairs() if p != (field, value)] + [(field, value)], pagina=None)


def facet_remove(field: str, value: str) -> str:
    return page_url([p for p in page_pairs() if p != (field, value)], pagina=None)


def page_count(result: FederatedResult, page: int, size: int) -> int:
    """Pages of the merged list as far as known: one more while the endpoints hold more
    (not past an empty page: the endpoints' depth limit was reached)."""
    known = max(1, -(-result.total // size))
    exhausted = result.complete or result.total <= (page - 1) * size
    return known if exhausted else max(known, page + 1)


def federated() -> Any:
    try:
        result, chosen = run_query()
    except UnknownRemote as exc:
        abort(400, description=str(exc))
    req = read_request()
    pages = page_count(result, req.page, req.page_size) if result else 1
    return render_template("federated.html", result=result, req=req, chosen=chosen, federation=federation(),
                           q=req.query, STATUS_LABELS=STATUS_LABELS, labels=endpoint_labels(result),
                           hits=result.page(req.page, req.page_size) if result else (),
                           pages=page_window(req.page, pages), last_page=pages, facets_shown=FACETS_SHOWN,
                           basket=set(basket_ids()), page_url=page_url, facet_add=facet_add,
                           facet_remove=facet_remove, formats=FORMATS, hit_link=hit_link, hit_snippet=hit_snippet,
                           page_link=page_link)


def api_federated() -> Any:
    size = page_size(request.args.get("page_size"), API_PAGE_SIZE, MAX_API_PAGE_SIZE)
    try:
        result, chosen = run_query(page_size=size)
    except UnknownRemote as exc:
        return jsonify({"api_version": 1, "error": str(exc)}), 400
    if result is None:
        return jsonify({"api_version": 1, "error": "geen zoekvraag (parameter q)"}), 400
    return jsonify(api_result(result, chosen, read_request(page_size=size)))


def federated_export() -> Any:
    fmt = FORMATS.get(request.args.get("format", "ris"))
    if fmt is None:
        abort(400, description="onbekend exportformaat")
    try:
        result, _ = run_query(page_size=API_PAGE_SIZE)
    except UnknownRemote as exc:
        abort(400, description=str(exc))
    if result is None:
        abort(400, description="geen zoekvraag")
    out = io.StringIO(newline="")
    fmt.write((hit.to_document() for hit in result.hits), out, accessed=date.today().isoformat())
    return Response(out.getvalue(), mimetype=fmt.media_type.split(";")[0],
                    headers={"Content-Disposition": f'attachment; filename="bronzoeker-federatief.{fmt.extension}"'})


def endpoint_labels(result: FederatedResult | None) -> dict[str, str]:
    """Display names per endpoint: the configured label, "deze index" for our own."""
    labels = {report.name: report.label or report.name for report in result.reports} if result else {}
    return {**labels, LOCAL: "deze index"}


def hit_link(hit: FederatedHit) -> str:
    """Local documents open on our document page, remote ones on their origin."""
    if hit.local:
        return url_for("ui.document", doc_id=hit.document.id)
    return hit.link


def hit_snippet(hit: FederatedHit) -> Markup:
    """Snippets are safe HTML by construction (local: the index; remote: cleaned in indexer.federation.safe)."""
    return Markup(hit.snippet)  # noqa: S704


def page_link(hit: FederatedHit) -> str:
    """Where the snippet's page opens: our document page at that page, or the origin's."""
    anchor = f"p{hit.snippet_page}"
    if hit.local:
        return url_for("ui.document", doc_id=hit.document.id, q=request.args.get("q") or None, _anchor=anchor)
    return f"{hit.link}#{anchor}" if hit.link else ""


def api_result(result: FederatedResult, chosen: list[str], req: SearchRequest) -> dict[str, Any]:
    return {
        "api_version": 1, "query": result.query, "remotes": chosen,
        "elapsed_ms": result.elapsed_ms, "deadline_ms": result.deadline_ms,
        "total": result.total, "complete": result.complete, "page": req.page, "page_size": req.page_size,
        "endpoints": [{"name": r.name, "kind": r.kind, "label": r.label, "status": r.status,
                       "elapsed_ms": r.elapsed_ms, "total": r.total, "returned": r.returned, "reason": r.reason}
                      for r in result.reports],
        "hits": [_api_hit(hit) for hit in result.page(req.page, req.page_size)],
        "facets": {k: [{"value": v, "count": c} for v, c in pairs] for k, pairs in result.facets.items()},
    }


def _api_hit(hit: FederatedHit) -> dict[str, Any]:
    document = public_document(hit.to_document()).to_dict()  # no local paths leave the server
    document.pop("pages")
    return {
        "key": hit.key, "score": round(hit.score, 6), "endpoints": list(hit.endpoints),
        "html_url": external_url("ui.document", doc_id=hit.document.id) if hit.local else hit.link,
        "snippet": hit.snippet, "snippet_page": hit.snippet_page, "document": document,
        "sources": [{"endpoint": s.endpoint, "rank": s.rank, "id": s.document.id, "link": s.link} for s in hit.sources],
    }


def register(bp: Blueprint) -> None:
    """Add this module's pages to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/federated", view_func=federated)
    bp.add_url_rule("/api/v1/federated", view_func=api_federated)
    bp.add_url_rule("/federated/export", view_func=federated_export)
