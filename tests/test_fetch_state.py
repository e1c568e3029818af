"""The crawl state on SQLite: WAL mode, validators only for committed documents,
deletions, cursors and run records surviving a reopen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from indexer.fetch import CrawlState, IndexedUrl


def test_state_is_wal_and_keeps_everything_across_reopen(tmp_path: Path) -> None:
    with CrawlState(tmp_path) as state:
        assert state.path == tmp_path / "crawl-state.sqlite"
        state.mark_indexed([IndexedUrl("http://h/a.pdf", "src", "src:a", "abc", '"e1"', "Tue, 01 Oct 2024 10:00:00 GMT")])
        state.set_cursor("src", "2024-02-24T00:03:09Z")
        state.add_run("2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z", 0, {"sources": []})
    mode = sqlite3.connect(tmp_path / "crawl-state.sqlite").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    with CrawlState(tmp_path / "crawl-state.sqlite") as state:
        assert state.validators("http://h/a.pdf") == ('"e1"', "Tue, 01 Oct 2024 10:00:00 GMT")
        assert state.content_hash("http://h/a.pdf") == "abc"
        assert state.cursor("src") == "2024-02-24T00:03:09Z" and state.cursor("other") is None
        assert state.runs()[0]["summary"] == {"sources": []}
        assert state.indexed_doc_ids("src") == {"src:a"}


def test_failure_counts_and_keeps_an_indexed_status(tmp_path: Path) -> None:
    with CrawlState(tmp_path) as state:
        state.mark_failed("http://h/b.pdf", "src", "src:b", "HTTP 500")
        state.mark_failed("http://h/b.pdf", "src", "src:b", "timed out")
        row = state.get("http://h/b.pdf")
        assert row is not None and row.status == "failed" and row.error_count == 2 and row.last_error == "timed out"
        assert state.validators("http://h/b.pdf") is None
        state.mark_indexed([IndexedUrl("http://h/b.pdf", "src", "src:b", "h1", '"e"')])
        state.mark_failed("http://h/b.pdf", "src", "src:b", "HTTP 503")
        assert state.get("http://h/b.pdf").status == "indexed"  # type: ignore[union-attr]


def test_deleted_documents_lose_their_validators(tmp_path: Path) -> None:
    with CrawlState(tmp_path) as state:
        state.mark_indexed([IndexedUrl("http://h/c", "src", "src:c", "h", '"e"')])
        state.mark_deleted(["src:c"])
        assert state.validators("http://h/c") is None and state.content_hash("http://h/c") == ""
        assert state.counts("src") == {"deleted": 1}


def test_readonly_state_reads_while_a_writer_holds_it_and_cannot_write(tmp_path: Path) -> None:
    with CrawlState(tmp_path) as writer:
        writer.add_run("2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z", 1, {"sources": [{"name": "a"}]})
        with CrawlState(tmp_path / "crawl-state.sqlite", readonly=True) as reader:
            assert reader.runs()[0]["exit_code"] == 1
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                reader.set_cursor("a", "x")
