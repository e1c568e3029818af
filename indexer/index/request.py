"""The one reader of a search request: URL query parameters (UI, API, feed, federation)
and CLI options both become a :class:`SearchRequest` here, validated and normalised the
same way.

Parameters come as a mapping of name -> values (a query string's ``getlist`` view); the
CLI builds that mapping from its options with :func:`cli_params`. Lenient reading (the
web) drops what it cannot use and falls back to defaults; strict reading (the CLI)
raises :class:`BadRequest` naming the parameter instead.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from indexer.index.backend import SORTS, SearchRequest
from indexer.index.schema import FACET_FIELDS

QUERY, DATE_FROM, DATE_TO, SORT, PAGE = "q", "van", "tot", "sort", "pagina"
#: Every parameter that is part of a search (the language and page size are not).
SEARCH_PARAMS = (QUERY, *FACET_FIELDS, DATE_FROM, DATE_TO, SORT, PAGE)
MAX_PAGE = 1000
MAX_QUERY = 1000
MAX_VALUE = 200  # characters of one filter value
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

Params = Mapping[str, Sequence[str]]


class BadRequest(ValueError):
    """A parameter that strict reading refuses; ``name`` is the parameter."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(message)


def parse_request(params: Params, page_size: int, strict: bool = False) -> SearchRequest:
    """The search request ``params`` describe."""
    return SearchRequest(
        query=_first(params, QUERY).strip()[:MAX_QUERY],
        filters=_filters(params),
        date_from=_date(params, DATE_FROM, strict),
        date_to=_date(params, DATE_TO, strict),
        sort=_sort(params, strict),
        page=_page(params, strict),
        page_size=page_size,
    )


def page_size(value: str | None, default: int, maximum: int) -> int:
    """A ``page_size`` parameter within 1..``maximum``; unreadable: ``default``.

    >>> page_size("500", 10, 100), page_size("x", 10, 100), page_size(None, 10, 100)
    (100, 10, 10)
    """
    try:
        size = int(value) if value else default
    except ValueError:
        size = default
    return min(max(size, 1), maximum)


def cli_params(query: str, filters: Iterable[str], sort: str = "relevance", page: int = 1,
               date_from: str = "", date_to: str = "") -> dict[str, list[str]]:
    """The parameters of CLI options; ``filters`` are ``FIELD=VALUE`` items.

    >>> cli_params("roma", ["year=2017", "year=2018"], page=2)["year"]
    ['2017', '2018']
    """
    params: dict[str, list[str]] = {QUERY: [query], DATE_FROM: [date_from], DATE_TO: [date_to],
                                    SORT: [sort], PAGE: [str(page)]}
    for item in filters:
        name, _, value = item.partition("=")
        if name not in FACET_FIELDS or not value:
            raise BadRequest("filter", f"bad filter {item!r}: use FIELD=VALUE with FIELD one of "
                                       f"{', '.join(FACET_FIELDS)}")
        params.setdefault(name, []).append(value)
    return params


def _first(params: Params, name: str) -> str:
    values = params.get(name) or ()
    return values[0] if values else ""


def _filters(params: Params) -> dict[str, tuple[str, ...]]:
    """Per facet field its values, trimmed, without repeats (values of one field are OR-ed)."""
    filters = {name: tuple(dict.fromkeys(v.strip()[:MAX_VALUE] for v in params.get(name) or () if v.strip()))
               for name in FACET_FIELDS}
    return {name: values for name, values in filters.items() if values}


def _date(params: Params, name: str, strict: bool) -> str:
    value = _first(params, name).strip()
    if strict and value and not DATE.fullmatch(value):
        raise BadRequest(name, f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    return value[:10]


def _sort(params: Params, strict: bool) -> str:
    value = _first(params, SORT) or "relevance"
    if value in SORTS:
        return value
    if strict:
        raise BadRequest(SORT, f"bad sort {value!r}: use one of {', '.join(SORTS)}")
    return "relevance"


def _page(params: Params, strict: bool) -> int:
    value = _first(params, PAGE)
    try:
        page = int(value) if value else 1
    except ValueError:
        page = 0
    if strict and not 1 <= page <= MAX_PAGE:
        raise BadRequest(PAGE, f"bad page {value!r}: use 1 to {MAX_PAGE}")
    return min(max(page, 1), MAX_PAGE)
