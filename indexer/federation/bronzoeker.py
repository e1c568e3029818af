"""Remote kind ``bronzoeker``: another instance's JSON search API (``/api/v1/search``,
format in docs/api.md). Only ``api_version`` 1 is accepted; every field is
re-validated, since a remote is untrusted input."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from indexer.citekeys import Category
from indexer.federation.config import RemoteConfig, hits_wanted
from indexer.federation.http import RemoteError, get
from indexer.federation.model import RemoteAnswer, SourceHit
from indexer.federation.safe import clean_snippet, parse_json, safe_link, string_map, text, texts
from indexer.index.backend import SearchRequest
from indexer.model import Document

API_VERSION = 1
#: Where another instance answers in JSON; a configured bare address means this path.
SEARCH_PATH = "/api/v1/search"
TEXT_FIELDS = ("id", "source", "title", "category", "doc_type", "date", "language", "modified", "content_hash")
LINK_FIELDS = ("url", "file_url")
LIST_FIELDS = ("creators", "authors", "references", "flags")


API_PAGE_SIZE = 100  # the most an instance gives per request (search_ui.api.MAX_API_PAGE_SIZE)


def search(remote: RemoteConfig, request: SearchRequest) -> RemoteAnswer:
    """The remote's first hits, as many as wanted: page after page of its API when one
    page is not enough (paging the merged list far asks for more)."""
    wanted = hits_wanted(remote, request.page_size)
    size = min(wanted, API_PAGE_SIZE)
    answers: list[RemoteAnswer] = []
    for page in range(1, -(-wanted // size) + 1):
        body = get(request_url(remote, request, page, size), remote.timeout, remote.max_bytes, "application/json")
        answers.append(parse_answer(remote, body, first_rank=(page - 1) * size + 1, wanted=size))
        if page * size >= answers[0].total:
            break
    hits = tuple(hit for answer in answers for hit in answer.hits)[:wanted]
    return RemoteAnswer(total=max(answers[0].total, len(hits)), hits=hits)


def request_url(remote: RemoteConfig, request: SearchRequest, page: int = 1, size: int | None = None) -> str:
    """The remote's search URL for the request: the query, the date range, the sort and
    the facet filters (the remote applies them as this instance would)."""
    params: list[tuple[str, str]] = [("q", request.query), ("van", request.date_from), ("tot", request.date_to),
                                     ("page_size", str(size or remote.max_hits))]
    if request.sort != "relevance":
        params.append(("sort", request.sort))
    if page > 1:
        params.append(("pagina", str(page)))
    params += [(name, value) for name, values in request.filters.items() for value in values]
    base = search_endpoint(remote.url)
    joiner = "&" if "?" in base else "?"
    return base + joiner + urlencode([(k, v) for k, v in params if v])


def search_endpoint(url: str) -> str:
    """The JSON search address of an instance, given its bare address or the full path.

    A bare address would otherwise fetch the HTML home page, which is never JSON.

    >>> search_endpoint("http://127.0.0.1:8001")
    'http://127.0.0.1:8001/api/v1/search'
    >>> search_endpoint("http://127.0.0.1:8001/")
    'http://127.0.0.1:8001/api/v1/search'
    >>> search_endpoint("https://zoek.example/bronzoeker/api/v1/search?taal=nl")
    'https://zoek.example/bronzoeker/api/v1/search?taal=nl'
    """
    parts = urlsplit(url)
    if parts.path.strip("/"):
        return url
    return urlunsplit(parts._replace(path=SEARCH_PATH))


def parse_answer(remote: RemoteConfig, body: bytes, first_rank: int = 1, wanted: int | None = None) -> RemoteAnswer:
    data = parse_json(body)
    if not isinstance(data, dict):
        raise RemoteError("antwoord is geen JSON-object")
    if data.get("api_version") != API_VERSION:
        raise RemoteError(f"onbekende api_version {text(data.get('api_version'), 20)!r} (verwacht {API_VERSION})")
    raw_hits = data.get("hits")
    if not isinstance(raw_hits, list):
        raise RemoteError("antwoord zonder lijst 'hits'")
    # a partial hit (lacking a query word) is not merged with the strict answers of the others
    complete = [raw for raw in raw_hits if not (isinstance(raw, dict) and raw.get("missing"))]
    ranked = enumerate(complete[:wanted or remote.max_hits], first_rank)
    hits = [hit for hit in (_hit(remote, raw, rank) for rank, raw in ranked) if hit]
    total = data.get("complete_total") if data.get("partial") is True else data.get("total")
    total = total if isinstance(total, int) and not isinstance(total, bool) and total >= 0 else len(hits)
    return RemoteAnswer(total=max(total, len(hits)), hits=tuple(hits))


def _hit(remote: RemoteConfig, raw: Any, rank: int) -> SourceHit | None:
    if not isinstance(raw, dict):
        return None
    document = document_from_api(raw)
    if not document.id:
        return None
    page = raw.get("snippet_page")
    return SourceHit(endpoint=remote.name, rank=rank, document=document,
                     snippet=clean_snippet(raw.get("snippet", "")),
                     snippet_page=page if isinstance(page, int) and not isinstance(page, bool) and page > 0 else None,
                     link=safe_link(_resolved(remote, raw.get("html_url"))) or document.url)


def _resolved(remote: RemoteConfig, link: Any) -> Any:
    """A root-relative ``html_url`` (an instance without ``public_url``) on the remote's host."""
    return urljoin(remote.url, link) if isinstance(link, str) and link.startswith("/") else link


def document_from_api(raw: dict[str, Any]) -> Document:
    """A Document from one API hit, every field coerced to its type (no page texts)."""
    values: dict[str, Any] = {name: text(raw.get(name), 1000) for name in TEXT_FIELDS}
    values.update({name: safe_link(raw.get(name)) for name in LINK_FIELDS})
    values.update({name: texts(raw.get(name)) for name in LIST_FIELDS})
    values["summary"] = text(raw.get("summary"), 4000)
    values["identifiers"] = string_map(raw.get("identifiers"))
    values["extra"] = string_map(raw.get("extra"))
    values["category"] = values["category"] or Category.OVERIG.value
    values["language"] = values["language"] or "nl"
    return Document(**values)
