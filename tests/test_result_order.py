"""Two indexes of the same documents list every query's matches in the same order with the
same scores, however the documents got there: one commit, or small commits in another order
with updated documents (deleted copies left in older segments) and no final merge — two
search nodes behind one load balancer, or one index before and after a merge.

Ties are real: Whoosh keeps one byte per field length, so the demo corpus has motions that
score exactly alike for "motie"; the twins below (one text under two ids) always tie."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.citekeys import canonical_keys
from indexer.docstore import open_store
from indexer.index import SearchRequest, merge_policy, open_backend, store
from indexer.index.writer import open_writer
from indexer.model import Document

QUERIES = ["motie", "kinderen", "regering verzoekt", "Kamer", "uitbuiting Roma kinderen", '"de regering"',
           "mensenhandel OR jeugdzorg", "kinder*", ""]
SORTS = ["relevance", "date-desc", "date-asc"]


def demo_documents(demo_data: Path) -> list[Document]:
    with open_store(demo_data) as documents:
        return sorted(documents.documents(), key=lambda doc: doc.id)


def twins(docs: list[Document]) -> list[Document]:
    """Two copies of one motion under ids that sort the other way round from their arrival."""
    motion = next(doc for doc in docs if doc.id.endswith("kst-29279-876"))
    return [motion.replace(id=f"{motion.id}-twin-b"), motion.replace(id=f"{motion.id}-twin-a")]


def listed(data_dir: Path, query: str, sort: str) -> list[tuple[str, float]]:
    backend = open_backend(data_dir)
    result = backend.search(SearchRequest(query=query, sort=sort, page_size=500, snippets=False, facets=False))
    return [(hit.document.id, hit.score) for hit in result.hits]


def page(data_dir: Path, query: str, number: int) -> list[str]:
    request = SearchRequest(query=query, page=number, page_size=5, snippets=False, facets=False)
    return [hit.document.id for hit in open_backend(data_dir).search(request).hits]


@pytest.fixture(scope="module")
def two_indexes(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    docs = demo_documents(demo_data) + twins(demo_documents(demo_data))
    one, shuffled = tmp_path_factory.mktemp("one-commit"), tmp_path_factory.mktemp("shuffled")
    with open_writer(one, canonical_keys, len(docs)) as writer:
        for doc in docs:
            writer.upsert(doc)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(merge_policy, "MERGE_ALL_DOCS", 1)  # keep the small segments and their deletions
        with open_writer(shuffled, canonical_keys, 4) as writer:
            for doc in reversed(docs):
                writer.upsert(doc)
            for doc in docs[::3]:  # updates: the old copies stay, deleted, in their segments
                writer.upsert(doc)
    return one, shuffled


def test_the_second_index_really_is_built_differently(two_indexes: tuple[Path, Path]) -> None:
    one, shuffled = two_indexes
    segments = store.open_index(shuffled)._segments()
    assert len(store.open_index(one)._segments()) == 1
    assert len(segments) > 1 and any(segment.has_deletions() for segment in segments)


@pytest.mark.parametrize("sort", SORTS)
def test_both_indexes_list_every_match_in_the_same_order_with_the_same_scores(two_indexes: tuple[Path, Path],
                                                                              sort: str) -> None:
    one, shuffled = two_indexes
    for query in QUERIES:
        expected = listed(one, query, sort)
        assert expected, query
        assert listed(shuffled, query, sort) == expected, (query, sort)


def test_tied_documents_are_listed_by_id(two_indexes: tuple[Path, Path]) -> None:
    one, _ = two_indexes
    found = listed(one, "motie", "relevance")
    ids = [doc_id for doc_id, _ in found]
    a, b = (ids.index(f"kamerstukken-xml:kst-29279-876-twin-{x}") for x in "ab")
    assert b == a + 1 and found[a][1] == found[b][1]  # "-twin-a" first, though it came second


def test_pages_continue_each_other_on_both_indexes(two_indexes: tuple[Path, Path]) -> None:
    whole = [doc_id for doc_id, _ in listed(two_indexes[0], "motie", "relevance")]
    for data_dir in two_indexes:
        pages = range(1, (len(whole) + 4) // 5 + 1)
        paged = [doc_id for number in pages for doc_id in page(data_dir, "motie", number)]
        assert paged == whole, data_dir.name


def test_exports_iterate_in_the_listed_order(two_indexes: tuple[Path, Path]) -> None:
    one, shuffled = two_indexes
    request = SearchRequest(query="kinderen", sort="date-desc")
    orders = [[doc.id for doc in open_backend(data_dir).iter_documents(request)] for data_dir in (one, shuffled)]
    assert orders[0] == orders[1] == [doc_id for doc_id, _ in listed(one, "kinderen", "date-desc")]
