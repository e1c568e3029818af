"""Whoosh's segment files are read from the memory map: opening a searcher copies none
of them into the process (Whoosh-Reloaded's BufferFile would, through BytesIO)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from whoosh.filedb.structfile import BufferFile

from indexer.index import SearchRequest, open_backend, store
from indexer.index.mapped_files import ViewFile


def test_opening_a_searcher_copies_no_segment(demo_data: Path) -> None:
    segments = sum(path.stat().st_size for path in store.current_dir(demo_data).glob("*.seg"))
    assert segments > 1_000_000  # large enough that a copy of it would show
    ix = store.open_index(demo_data)
    tracemalloc.start()
    searcher = ix.searcher()
    allocated = tracemalloc.get_traced_memory()[1]
    largest = max(trace.size for trace in tracemalloc.take_snapshot().traces)
    tracemalloc.stop()
    try:
        # a copied file would be one block the size of that file; what opening does allocate
        # is small pieces (the term tables' sparse index: each block's first key)
        assert largest < segments / 20, (largest, segments)
        assert allocated < segments / 2, (allocated, segments)
        postings = searcher.reader().leaf_readers()[0][0]._terms._postfile
        assert isinstance(postings, BufferFile) and isinstance(postings.file, ViewFile)
    finally:
        searcher.close()


def test_searches_read_through_the_map(demo_data: Path) -> None:
    result = open_backend(demo_data).search(SearchRequest(query='"Raad van State" OR mensenhandel'))
    assert result.total > 10 and all(hit.document.title for hit in result.hits)


def test_view_file_reads_like_a_file() -> None:
    data = b"".join(b"line %d\n" % n for n in range(200)) + b"tail"
    view = ViewFile(memoryview(data))
    assert list(view) == data.splitlines(keepends=True)
    view.seek(5)
    assert view.read(4) == data[5:9] and view.tell() == 9
    view.seek(3, 1)
    assert view.read() == data[12:]
    assert view.read(10) == b"" and view.seek(100, 2) == len(data) + 100 and view.read() == b""
    view.seek(0)
    assert view.readline(3) == b"lin"
