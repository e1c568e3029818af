"""The search page (query, facets, date range, sort, result cards, pagination) and the
help page that explains the query syntax."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from indexer.index import FACET_FIELDS, SearchRequest, SearchResult
from indexer.index.limits import MESSAGES as CUT_MESSAGES
from search_ui import histogram
from search_ui.basket import basket_ids
from search_ui.query_help import help_rows
from search_ui.status import statuses_if_empty
from search_ui.views import SORT_LABELS, backend, read_request

FACETS_SHOWN = 8  # values per facet before the rest folds away under "meer"
#: Facets listed in value order instead of by count (newest year first).
VALUE_ORDER = {"year": True}
#: Facets whose values (numbers) get a title from the index: dossier 32824 "Integratiebeleid".
LABELLED_FACETS = ("dossier",)


def search() -> Any:
    search_request = read_request()
    result = backend().search(search_request)
    facets = facet_counts(result)
    return render_template("search.html", result=result, req=search_request, facets=facets,
                           no_documents=None if result.total else statuses_if_empty(),
                           facet_titles=facet_titles(facets, search_request),
                           active=active_filters(search_request), basket=set(basket_ids()),
                           sorts=SORT_LABELS, pages=page_window(search_request.page, result.pages),
                           facets_shown=FACETS_SHOWN, cut_messages=CUT_MESSAGES,
                           histogram=histogram.for_search(search_request) if result.total else None)


def facet_counts(result: SearchResult) -> dict[str, tuple[tuple[str, int], ...]]:
    """Counts per facet in display order (the backend counts a filtered field without its
    own filter, so its other values stay on offer)."""
    return {field: ordered(field, result.facets.get(field, ())) for field in FACET_FIELDS}


def facet_titles(facets: dict[str, tuple[tuple[str, int], ...]], search_request: SearchRequest) -> dict[str, dict[str, str]]:
    """Readable names of the shown facet values (a dossier number's title), per field."""
    titles = {}
    for field in LABELLED_FACETS:
        values = {value for value, _ in facets.get(field, ())} | set(search_request.filters.get(field, ()))
        titles[field] = backend().facet_labels(field, sorted(values))
    return titles


def ordered(field: str, pairs: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    """Counts in display order: by count, or by value for fields such as the year.

    >>> ordered("year", (("2017", 1), ("2024", 5))), ordered("source", (("a", 5), ("b", 1)))
    ((('2024', 5), ('2017', 1)), (('a', 5), ('b', 1)))
    """
    if field in VALUE_ORDER:
        return tuple(sorted(pairs, reverse=VALUE_ORDER[field]))
    return pairs


def active_filters(search_request: SearchRequest) -> list[tuple[str, str]]:
    """Every chosen facet value as (field, value), for the removable filter chips."""
    return [(field, value) for field, values in search_request.filters.items() for value in values]


def page_window(page: int, pages: int, width: int = 2) -> list[int]:
    """Page numbers around the current one, with the first and last (0 marks a gap).

    >>> page_window(1, 1), page_window(5, 10)
    ([1], [1, 0, 3, 4, 5, 6, 7, 0, 10])
    """
    shown = sorted({1, pages, *range(max(1, page - width), min(pages, page + width) + 1)})
    window: list[int] = []
    for number in shown:
        if window and number - window[-1] > 1:
            window.append(0)
        window.append(number)
    return window


def help_page() -> Any:
    return render_template("help.html", fields=help_rows())


def register(bp: Blueprint) -> None:
    """Add this module's pages to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/", view_func=search)
    bp.add_url_rule("/hulp", view_func=help_page)
