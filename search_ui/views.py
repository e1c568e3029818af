"""The one blueprint ``bp`` and what every page shares: the backend, the search state
read from the URL, URL builders for that state, and the template helpers.

Route modules (search_pages, document_pages, basket, exports, feeds, api, status and,
when present, federated) register their routes on ``bp``; ``create_app`` imports them.
"""

from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.export import FORMATS
from indexer.index import FACET_FIELDS, SORTS, SearchBackend, SearchRequest
from search_ui import i18n
from search_ui.formatting import (
    CATEGORY_LABELS,
    FACET_LABELS,
    card_identifier,
    facet_value_label,
    format_date,
    link_url,
)
from search_ui.validation import check_search_input

bp = Blueprint("ui", __name__)
MAX_PAGE = 1000
MAX_QUERY = 1000
#: URL parameters that make up the search state (everything else is dropped from links).
STATE_PARAMS = ("q", *FACET_FIELDS, "van", "tot", "sort", "pagina", i18n.LANGUAGE_PARAM)
SORT_LABELS = {"relevance": "Relevantie", "date-desc": "Nieuwste eerst", "date-asc": "Oudste eerst"}


def backend() -> SearchBackend:
    return current_app.extensions["bronzoeker.backend"]


def read_request(args: MultiDict[str, str] | None = None, page_size: int | None = None) -> SearchRequest:
    """The search request the URL describes; bad values fall back to defaults, never fail.
    What was left out of the query or period, and why, is kept in ``g.input_problems``."""
    args = request.args if args is None else args
    filters = {name: tuple(dict.fromkeys(v.strip()[:200] for v in args.getlist(name) if v.strip()))
               for name in FACET_FIELDS}
    sort = args.get("sort", "relevance")
    checked = check_search_input(args.get("q", "").strip()[:MAX_QUERY], args.get("van", ""), args.get("tot", ""))
    g.input_problems = checked.problems  # shown next to their fields (search_ui.advanced)
    return SearchRequest(
        query=checked.query,
        filters={k: v for k, v in filters.items() if v},
        date_from=checked.date_from,
        date_to=checked.date_to,
        sort=sort if sort in SORTS else "relevance",
        page=min(max(_int(args.get("pagina"), 1), 1), MAX_PAGE),
        page_size=page_size or current_app.config["PAGE_SIZE"],
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


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

@bp.app_template_filter("link")
def link_filter(value: str) -> str:
    return link_url(value or "")


@bp.app_template_filter("datum")
def datum_filter(value: str) -> str:
    return format_date(value or "", i18n.current_language())


@bp.app_context_processor
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
