"""The web UI: a Flask application factory with one blueprint (``search_ui.views.bp``).

The app reads the index only through ``indexer.index`` (the search-backend
interface) and exports through ``indexer.export``; it never imports the index
library itself. Every route module is listed in :data:`ROUTE_MODULES` and adds its
pages in its ``register(bp)``: a new page module is one more name there.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Mapping

from flask import Flask, Response, current_app, jsonify, render_template, request

from indexer.config import resolve_data_dir
from indexer.errors import DAMAGED_INDEX_ERRORS, CannotRun, explain
from indexer.index import IndexMissing, SchemaMismatch, open_backend
from indexer.secret_key import secret_key
from search_ui import (
    advanced,
    alerts,
    api,
    basket,
    document_pages,
    dossiers,
    exports,
    federated,
    feeds,
    i18n,
    search_pages,
    source_labels,
    status,
    zotero,
)
from search_ui.settings import apply_settings, server_settings
from search_ui.views import make_blueprint

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
#: The modules whose pages the app serves, each with ``register(bp: Blueprint) -> None``.
ROUTE_MODULES = (search_pages, document_pages, basket, exports, feeds, api, status, federated, dossiers, advanced,
                 zotero, source_labels, alerts)
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
BASKET_DAYS = 90  # the basket cookie outlives the browser session


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DATA_DIR=str(resolve_data_dir(None)), CONFIG_PATH=None, PAGE_SIZE=10,
                            SESSION_COOKIE_NAME="bronzoeker", SESSION_COOKIE_HTTPONLY=True,
                            SESSION_COOKIE_SAMESITE="Lax", PERMANENT_SESSION_LIFETIME=BASKET_DAYS * 24 * 3600)
    if config:
        app.config.from_mapping(dict(config))
    settings = server_settings(app.config.get("CONFIG_PATH"))  # read once, checked in full
    app.config.setdefault("SECRET_KEY", None)
    app.config["SECRET_KEY"] = (app.config["SECRET_KEY"] or settings.serve.secret_key
                                or secret_key(Path(app.config["DATA_DIR"])))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["bronzoeker.backend"] = open_backend(Path(app.config["DATA_DIR"]))
    apply_settings(app, config or {}, settings)
    register_routes(app)
    app.after_request(_security_headers)
    app.after_request(_remember_language)
    return app


def register_routes(app: Flask) -> None:
    bp = make_blueprint()
    for module in ROUTE_MODULES:
        module.register(bp)
    app.register_blueprint(bp)
    app.register_error_handler(IndexMissing, _no_index)
    app.register_error_handler(SchemaMismatch, _no_index)
    app.register_error_handler(CannotRun, _unavailable)
    app.register_error_handler(sqlite3.DatabaseError, _unavailable)  # a damaged crawl state
    for damaged in DAMAGED_INDEX_ERRORS:  # a truncated segment: the operator runs `indexer check`
        app.register_error_handler(damaged, _unavailable)
    for code in (400, 404, 405, 500):
        app.register_error_handler(code, _error_page)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _no_index(error: Exception) -> Any:
    if _wants_json():
        return jsonify({"api_version": 1, "error": "no index yet"}), 503
    return render_template("empty_index.html", mismatch=isinstance(error, SchemaMismatch)), 503


def _unavailable(error: Exception) -> Any:
    """The data directory cannot be used (CURRENT names no index of ours, the crawl state or
    the index is damaged): 503 with a general text; the reason, which names paths, goes to the log only."""
    current_app.logger.error("datamap niet bruikbaar: %s", explain(error))
    if _wants_json():
        return jsonify({"api_version": 1, "error": "unavailable"}), 503
    return render_template("error.html", code=503), 503


def _error_page(error: Any) -> Any:
    code = getattr(error, "code", 500) or 500
    if _wants_json():
        return jsonify({"api_version": 1, "error": getattr(error, "name", "error")}), code
    return render_template("error.html", code=code), code


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _remember_language(response: Response) -> Response:
    response.vary.add("Cookie")  # the language and the basket come from cookies
    chosen = request.args.get(i18n.LANGUAGE_PARAM)
    if chosen in i18n.LANGUAGES and request.cookies.get(i18n.LANGUAGE_COOKIE) != chosen:
        response.set_cookie(i18n.LANGUAGE_COOKIE, chosen, max_age=LANGUAGE_COOKIE_AGE,
                            samesite="Lax", httponly=True)
    return response
