"""What every page shares: the backend, the search state read from the URL, URL
builders for that state, and the template helpers.

``create_app`` makes the app's one blueprint (:func:`make_blueprint`, with these
helpers) and hands it to each route module's ``register``.
"""

from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import urlencode

from flask import Blueprint, current_app, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.export import FORMATS
from indexer.index import FACET_FIELDS, SearchBackend, SearchRequest
from indexer.index.request import MAX_PAGE, MAX_QUERY, SEARCH_PARAMS, parse_request
from search_ui import i18n
from search_ui.formatting import (
    CATEGORY_LABELS,
    FACET_LABELS,
    card_identifier,
    facet_value_label,
    format_date,
    link_url,
)

BLUEPRINT = "ui"  # endpoint prefix: url_for("ui.search")
#: URL parameters that make up the search state (everything else is dropped from links).
STATE_PARAMS = (*SEARCH_PARAMS, i18n.LANGUAGE_PARAM)
__all__ = ["FACET_FIELDS", "MAX_PAGE", "MAX_QUERY", "make_blueprint", "read_request"]
SORT_LABELS = {"relevance": "Relevantie", "date-desc": "Nieuwste eerst", "date-asc": "Oudste eerst"}


def backend() -> SearchBackend:
    return current_app.extensions["bronzoeker.backend"]


def read_request(args: MultiDict[str, str] | None = None, page_size: int | None = None) -> SearchRequest:
    """The search request the URL describes; bad values fall back to defaults, never fail."""
    args = request.args if args is None else args
    params = {name: args.getlist(name) for name in SEARCH_PARAMS}
    return parse_request(params, page_size or current_app.config["PAGE_SIZE"])


def make_blueprint() -> Blueprint:
    """A fresh blueprint with the template helpers, for one app; routes are added by
    each route module's ``register``."""
    bp = Blueprint(BLUEPRINT, __name__)
    bp.app_template_filter("link")(link_filter)
    bp.app_template_filter("datum")(datum_filter)
    bp.app_context_processor(template_helpers)
    return bp


# -- URLs for the search state -------------------------------------------------------

def state_pairs() -> list[tuple[str, str]]:
    """The search state of this request as (name, value) pairs, in URL order."""
    return [(k, v) for k, v in request.args.items(multi=True) if k in STATE_PARAMS and v]


def state_url(endpoint: str = "ui.search", pairs: Iterable[tuple[str, str]] | None = None, **set_: Any) -> str:
    """``endpoint`` with the current state, single parameters replaced (``None`` removes)."""
    kept = [(k, v) for k, v in (state_pairs() if pairs is None else pairs) if k not in set_]
    kept += [(k, str(v)) for k, v in set_.items() if v not in (None, "")]
    query = urlencode(kept)
    return url_for(endpoint) + (f"?{query}" if query else "")


def facet_add_url(field: str, value: str) -> str:
    pairs = [p for p in state_pairs() if p != (field, value)] + [(field, value)]
    return state_url(pairs=pairs, pagina=None)


def facet_remove_url(field: str, value: str) -> str:
    return state_url(pairs=[p for p in state_pairs() if p != (field, value)], pagina=None)


def search_url(args: dict[str, Any] | None = None, **changes: Any) -> str:
    """The search URL for the current state with some parameters changed (None removes)."""
    return state_url(**changes)


# -- template helpers ------------------------------------------------------------------

def link_filter(value: str) -> str:
    return link_url(value or "")


def datum_filter(value: str) -> str:
    return format_date(value or "", i18n.current_language())


def template_helpers() -> dict[str, Any]:
    return {
        "_": i18n.translate, "lang": i18n.current_language(), "LANGUAGES": i18n.LANGUAGES,
        "FACET_LABELS": FACET_LABELS, "CATEGORY_LABELS": CATEGORY_LABELS, "SORT_LABELS": SORT_LABELS,
        "facet_value_label": facet_value_label, "card_identifier": card_identifier,
        "search_url": search_url, "state_url": state_url,
        "facet_add_url": facet_add_url, "facet_remove_url": facet_remove_url,
        "language_url": language_url, "state_pairs": state_pairs, "FORMATS": FORMATS,
        "has_federated": "ui.federated" in current_app.view_functions,
    }


def language_url(lang: str) -> str:
    """This page in another language (the choice is also remembered in a cookie)."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != i18n.LANGUAGE_PARAM]
    pairs.append((i18n.LANGUAGE_PARAM, lang))
    return request.path + "?" + urlencode(pairs)
