"""The web UI: a Flask application factory with one blueprint.

The app reads the index only through ``indexer.index`` (the search-backend
interface); it never imports the index library itself.
"""

from __future__ import annotations

from typing import Any, Mapping

from flask import Flask

from indexer.config import resolve_data_dir
from indexer.index import open_backend

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DATA_DIR=str(resolve_data_dir(None)), CONFIG_PATH=None, PAGE_SIZE=10)
    if config:
        app.config.from_mapping({k: v for k, v in config.items()})
    app.extensions["bronzoeker.backend"] = open_backend(app.config["DATA_DIR"])

    from search_ui.views import bp

    app.register_blueprint(bp)
    app.after_request(_security_headers)
    return app


def _security_headers(response: Any) -> Any:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
