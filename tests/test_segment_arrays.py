"""Per-segment arrays (facet columns, field lengths) outlive searchers: after a commit
only the segments it wrote are read again, and the counts stay exact."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from indexer.citekeys import canonical_keys
from indexer.index import SearchRequest, open_backend, store
from indexer.index.schema import document_fields


def test_a_commit_reads_only_the_new_segments_again(demo_data: Path, tmp_path: Path) -> None:
    data_dir = tmp_path
    shutil.copytree(store.current_dir(demo_data), data_dir / "index")
    backend = open_backend(data_dir)
    request = SearchRequest(query="minister", facets=True, sort="date-desc", page_size=1000, snippets=False)
    backend.search(request)
    before = {seg.segment_id() for seg in store.open_index(data_dir)._segments()}
    reads = backend._segments.reads  # type: ignore[attr-defined]
    reads.clear()
    doc = backend.get("kamerstukken:kst-32824-193")
    assert doc is not None
    # Whoosh merges the demo index's small segments at every commit; a big index keeps its
    # big segments, which this commit without merging stands for.
    writer = store.open_index(data_dir).writer()
    copy = doc.replace(id="test:kopie", title="Kopie: minister")
    writer.add_document(**document_fields(copy, canonical_keys(copy)))
    writer.commit(merge=False)
    result = backend.search(request)
    after = {seg.segment_id() for seg in store.open_index(data_dir)._segments()}
    assert before & after, "the commit kept some segments as they were"
    assert reads and set(reads) <= after - before  # only what the commit wrote was read
    assert dict(result.facets["source"]) == dict(Counter(h.document.source for h in result.hits))
    assert "test:kopie" in {h.document.id for h in result.hits}


def test_flat_postings_files_stay_open_across_commits_while_their_segments_live(demo_data: Path,
                                                                               tmp_path: Path) -> None:
    shutil.copytree(store.current_dir(demo_data), tmp_path / "index")
    backend = open_backend(tmp_path)
    backend.search(SearchRequest(query='"Raad van State"'))
    flats = backend.view().flat  # type: ignore[attr-defined]
    opened = dict(flats._open)
    assert opened, "the search opened the segments' files"
    writer = store.open_index(tmp_path).writer()
    writer.delete_by_term("id", "kamerstukken:kst-32824-193")
    writer.commit(merge=False)
    backend.search(SearchRequest(query='"Raad van State"'))
    assert backend.view().flat is flats  # type: ignore[attr-defined]
    assert all(flats._open[name] is flat for name, flat in opened.items())  # not read again
    store.open_index(tmp_path).optimize()
    backend.search(SearchRequest(query='"Raad van State"'))
    merged = {seg.segment_id() for seg in store.open_index(tmp_path)._segments()}
    assert set(flats._open) <= merged and not set(opened) & set(flats._open)  # the merged-away let go
