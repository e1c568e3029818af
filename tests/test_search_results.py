"""Results over the real demo corpus: facet counts over all matches, date order across
pages, exact match sets, snippets with pages, suggestions and more-like-this."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from indexer.index import FACET_FIELDS, SearchRequest, open_backend
from indexer.index.backend import Hit
from indexer.index.query import build_query
from indexer.model import Document

QUERIES = ["", "minister", "mensenhandel OR asielzoekers", "motie -mensenhandel", '"Raad van State"',
           "kinder*", "van de", "jaar:2024", "regering"]


def facet_value(document: Document, field: str) -> str:
    if field == "year":
        return document.year
    if field == "dossier":
        return document.identifiers.get("dossier", "")
    return str(getattr(document, field))


def all_hits(data_dir: Path, query: str, **kw: object) -> tuple[int, list[Hit], dict]:
    result = open_backend(data_dir).search(SearchRequest(query=query, page_size=1000, snippets=False,
                                                         **kw))  # type: ignore[arg-type]
    return result.total, list(result.hits), dict(result.facets)


@pytest.mark.parametrize("query", QUERIES)
def test_facet_counts_equal_a_brute_force_count(demo_data: Path, query: str) -> None:
    total, hits, facets = all_hits(demo_data, query)
    assert total == len(hits) > 0
    for field in FACET_FIELDS:
        expected = Counter(facet_value(h.document, field) for h in hits)
        expected.pop("", None)
        assert dict(facets[field]) == dict(expected), (query, field)
        counts = [n for _, n in facets[field]]
        assert counts == sorted(counts, reverse=True)


def test_facets_count_with_filters_and_date_range(demo_data: Path) -> None:
    total, hits, facets = all_hits(demo_data, "minister", filters={"source": ("aanhangsel", "regelgeving")},
                                   date_from="2011", date_to="2024-06")
    assert total == len(hits) > 0
    assert {h.document.source for h in hits} <= {"aanhangsel", "regelgeving"}
    assert all("2011" <= h.document.date <= "2024-06~" for h in hits)
    assert dict(facets["category"]) == dict(Counter(h.document.category for h in hits))
    # the filtered field is counted without its own filter (values of one field are OR-ed)
    _, widened, _ = all_hits(demo_data, "minister", date_from="2011", date_to="2024-06")
    assert dict(facets["source"]) == dict(Counter(h.document.source for h in widened))
    assert len(facets["source"]) > 2


@pytest.mark.parametrize("sort", ["date-desc", "date-asc"])
@pytest.mark.parametrize("query", ["", "minister", "motie OR antwoord"])
def test_date_sort_pages_continue_exactly(demo_data: Path, sort: str, query: str) -> None:
    backend = open_backend(demo_data)
    whole = backend.search(SearchRequest(query=query, sort=sort, page_size=1000, facets=False, snippets=False))
    paged: list[str] = []
    for page in range(1, whole.pages + 20):
        result = backend.search(SearchRequest(query=query, sort=sort, page=page, page_size=7, facets=False,
                                              snippets=False))
        if not result.hits:
            break
        assert result.total == whole.total
        paged += [h.document.id for h in result.hits]
    assert paged == [h.document.id for h in whole.hits] and len(paged) == whole.total
    dates = [h.document.date for h in whole.hits]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=(sort == "date-desc"))
    assert dates == dated + [""] * (len(dates) - len(dated))  # undated last


def test_relevance_pages_continue_exactly(demo_data: Path) -> None:
    backend = open_backend(demo_data)
    whole = [h.document.id for h in backend.search(SearchRequest(query="minister", page_size=1000)).hits]
    second = backend.search(SearchRequest(query="minister", page=2, page_size=10))
    assert [h.document.id for h in second.hits] == whole[10:20]


@pytest.mark.parametrize("query", ["minister", "mensenhandel OR Careyn", "motie -mensenhandel", '"Raad van State"',
                                   "asielzoek*", "datum:2016..2024", "mensenhandel NOT (motie OR wet)",
                                   "kinderuitbuiting", "32824-193", "van de", '"de Kamer"',
                                   '"gaat over tot de orde van de dag"', '"uitbuiting Roma kinderen" -motie'])
def test_fast_match_sets_equal_whoosh(demo_data: Path, query: str) -> None:
    view = open_backend(demo_data).view()
    q = build_query(view.searcher.schema, query)
    fast = set(np.flatnonzero(view.mask(q)).tolist())
    assert fast == set(view.searcher.docs_for_query(q)), query


def test_snippets_mark_terms_on_the_page_they_come_from(demo_data: Path) -> None:
    backend = open_backend(demo_data)
    result = backend.search(SearchRequest(query="notificatieapplicatie bluetooth", page_size=5))
    assert result.hits
    for hit in result.hits:
        doc = backend.get(hit.document.id)
        assert doc is not None and hit.snippet_page is not None
        marked = re.findall(r"<mark>(.*?)</mark>", hit.snippet)
        assert marked and hit.snippet.count(" … ") <= 1  # at most two fragments
        page_text = doc.pages[hit.snippet_page - 1].lower()
        assert marked[0].lower() in page_text


def test_snippets_prefer_passages_with_several_terms(demo_data: Path) -> None:
    hit = open_backend(demo_data).search(SearchRequest(query="uitbuiting Roma kinderen")).hits[0]
    first_fragment = hit.snippet.split(" … ")[0]
    assert {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", first_fragment)} >= {"uitbuiting", "roma", "kinderen"}


def test_negated_terms_are_not_marked_and_snippets_are_escaped(demo_data: Path) -> None:
    result = open_backend(demo_data).search(SearchRequest(query="mensenhandel -motie", page_size=20))
    for hit in result.hits:
        assert "<mark>motie" not in hit.snippet.lower()
        assert re.sub(r"</?mark>", "", hit.snippet).count("<") == 0


def test_only_requested_work_is_done(demo_data: Path) -> None:
    result = open_backend(demo_data).search(SearchRequest(query="minister", facets=False, snippets=False))
    assert result.facets == {} and all(h.snippet == "" for h in result.hits)


def test_suggestion_is_a_real_word_and_only_when_useful(demo_data: Path) -> None:
    backend = open_backend(demo_data)
    assert backend.search(SearchRequest(query="uitbuitng")).suggestion == "uitbuiting"
    assert backend.search(SearchRequest(query="mensenhandle kinderen")).suggestion == "mensenhandel kinderen"
    assert backend.search(SearchRequest(query="gemeentn")).suggestion == "gemeenten"  # not the stem "gemeent"
    assert backend.search(SearchRequest(query="mensenhandel")).suggestion == ""
    assert backend.search(SearchRequest(query="xqzvw")).suggestion == ""


def test_more_like_this_finds_the_same_subject(demo_data: Path) -> None:
    backend = open_backend(demo_data)
    similar = [d.id for d in backend.more_like_this("kamerstukken-xml:kst-28638-242", limit=5)]
    assert "kamerstukken-xml:kst-28638-242" not in similar
    assert sum("kst-28638-" in d for d in similar) >= 3  # other motions in the human-trafficking dossier
    corona = [d.id for d in backend.more_like_this("rijksoverheid:vws-dpia-coronamelder-2020", limit=4)]
    assert all("corona" in d or "35538" in d or "notificatie" in d for d in corona)


def test_postings_cache_keeps_the_recent_within_its_budget() -> None:
    from indexer.index.postings import PostingsCache

    cache = PostingsCache(max_bytes=3 * 12 * 10)  # three entries of 10 docnums (8 bytes) + weights (4)
    loads: list[str] = []

    def entry(name: str):  # noqa: ANN202 - a loader for one key
        def load() -> tuple[np.ndarray, np.ndarray]:
            loads.append(name)
            return np.arange(10, dtype=np.int64), np.ones(10, dtype=np.float32)
        return load

    for name in ("a", "b", "c", "a", "d", "a", "b"):
        cache.get(("f", name), entry(name))
    assert loads == ["a", "b", "c", "d", "b"]  # "a" stayed (recently used), "b" was evicted by "d"


def test_a_changed_index_is_searched_fresh(tmp_path: Path) -> None:
    from indexer.index import open_writer

    with open_writer(tmp_path, lambda d: set()) as writer:
        writer.upsert(Document(id="t:1", source="t", pages=("mensenhandel",)))
    backend = open_backend(tmp_path)
    assert backend.search(SearchRequest(query="mensenhandel")).total == 1  # fills the caches
    with open_writer(tmp_path, lambda d: set()) as writer:
        writer.upsert(Document(id="t:2", source="t", pages=("mensenhandel en uitbuiting",)))
    assert backend.search(SearchRequest(query="mensenhandel")).total == 2
    assert backend.search(SearchRequest(query='"mensenhandel en uitbuiting"')).total == 1
