"""The last commit of a crawl merges its segments (indexer.index.merge_policy): a small
index ends in one segment, a large one merges only its small segments, and the results
are those of the unmerged index."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.citekeys import canonical_keys
from indexer.docstore import open_store
from indexer.index import SearchRequest, merge_policy, open_backend, store
from indexer.index import flat_postings as fp
from indexer.index.writer import open_writer
from indexer.model import Document

QUERIES = ["mensenhandel", "uitbuiting Roma kinderen", '"verzoekt de regering"', "minister", "kinder*"]


def demo_documents(demo_data: Path) -> list[Document]:
    with open_store(demo_data) as documents:
        return list(documents.documents())


def segment_counts(data_dir: Path) -> list[int]:
    return [segment.doc_count_all() for segment in store.open_index(data_dir)._segments()]


def hits(data_dir: Path, text: str) -> tuple[int, list[tuple[str, float]]]:
    result = open_backend(data_dir).search(SearchRequest(query=text, page_size=100, snippets=False))
    return result.total, sorted((h.document.id, round(h.score, 4)) for h in result.hits)


def crawl_in_batches(data_dir: Path, docs: list[Document], batch_size: int, deleted: int = 0) -> None:
    with open_writer(data_dir, canonical_keys, batch_size) as writer:
        for doc in docs:
            writer.upsert(doc)
        for doc in docs[:deleted]:
            writer.delete(doc.id)


def test_a_small_crawl_ends_in_one_segment_with_the_same_results(demo_data: Path, tmp_path: Path) -> None:
    docs = demo_documents(demo_data)
    crawl_in_batches(tmp_path, docs, batch_size=3, deleted=2)
    assert segment_counts(tmp_path) == [len(docs) - 2]  # one segment, the deleted documents purged
    # the merged segment has its flat postings file, the merged-away ones none
    assert len(list(store.current_dir(tmp_path).glob(f"*{fp.SUFFIX}"))) == 1
    for query in QUERIES:
        total, found = hits(tmp_path, query)
        expected_total, expected = hits(demo_data, query)
        assert total == expected_total - sum(1 for doc in docs[:2] if doc.id in dict(expected)), query
        assert {doc_id for doc_id, _ in found} == {doc_id for doc_id, _ in expected} - {d.id for d in docs[:2]}


def test_merged_segments_score_as_the_same_documents_indexed_in_one_commit(demo_data: Path,
                                                                           tmp_path: Path) -> None:
    """Whoosh re-adds merged documents' field lengths from a one-byte approximation: the
    totals (BM25's average lengths) must stay those of one commit, or scores drift."""
    docs = demo_documents(demo_data)
    crawl_in_batches(tmp_path / "batches", docs, batch_size=3)
    crawl_in_batches(tmp_path / "one", docs, batch_size=len(docs))
    with store.open_index(tmp_path / "batches").reader() as merged, store.open_index(tmp_path / "one").reader() as one:
        for field in ("body_nl", "title_nl", "spell", "ident"):
            assert merged.field_length(field) == one.field_length(field), field
    for query in QUERIES:
        assert hits(tmp_path / "batches", query) == hits(tmp_path / "one", query), query


def test_a_large_index_merges_only_its_small_segments(demo_data: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    docs = demo_documents(demo_data)
    crawl_in_batches(tmp_path, docs, batch_size=len(docs))  # one big segment
    monkeypatch.setattr(merge_policy, "MERGE_ALL_DOCS", 1)  # from here on the index counts as large
    crawl_in_batches(tmp_path, docs[:4], batch_size=1)  # four updates, four small segments
    counts = segment_counts(tmp_path)
    assert len(counts) == 2 and max(counts) == len(docs), counts  # the big one untouched, the rest merged
    assert min(counts) == 4


def test_a_writer_that_changed_nothing_does_not_merge(demo_data: Path, tmp_path: Path) -> None:
    docs = demo_documents(demo_data)
    with pytest.raises(KeyboardInterrupt), open_writer(tmp_path, canonical_keys, 2) as writer:
        for doc in docs[:6]:
            writer.upsert(doc)
        raise KeyboardInterrupt  # a crawl stopped after three commits: no final commit, no merge
    before = segment_counts(tmp_path)
    assert len(before) > 1
    with open_writer(tmp_path, canonical_keys, 2):
        pass
    assert segment_counts(tmp_path) == before
