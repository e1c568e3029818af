"""The folder source and the fetcher's file:// answers, on real corpus files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from indexer.fetch import Fetcher, FetchError
from indexer.model import ROLE_DOCUMENT, Record, Request
from indexer.sources import build_source


def crawl_items(source, fetcher: Fetcher) -> list[object]:
    """Run a source to the end the way the pipeline does, collecting what it yields."""
    queue, items = list(source.start(None)), []
    while queue:
        for item in source.parse(fetcher.fetch(queue.pop(0))):
            (queue if isinstance(item, Request) else items).append(item)
    return items


def test_folder_yields_records_with_sidecar_metadata(tmp_path: Path, corpus_dir: Path) -> None:
    shutil.copy(corpus_dir / "kamerstukken/kst-32824-193.txt", tmp_path)
    shutil.copy(corpus_dir / "kamerstukken/kst-32824-193.txt.meta.json", tmp_path)
    (tmp_path / "sub").mkdir()
    shutil.copy(corpus_dir / "xml/kst-28638-239.xml", tmp_path / "sub")
    (tmp_path / "notes.docx").write_bytes(b"not included")
    source = build_source("test", "folder", {"path": str(tmp_path), "defaults": {"category": "kamerstuk"}})
    records = crawl_items(source, Fetcher())
    assert [r.native_id for r in records] == ["kst-32824-193", "sub/kst-28638-239"]
    letter, motie = records
    assert isinstance(letter, Record) and letter.doc_id == "test:kst-32824-193"
    assert letter.metadata["title"].startswith("Afronding programma Aanpak uitbuiting Roma kinderen")
    assert letter.metadata["category"] == "kamerstuk"  # defaults merge under the sidecar
    assert letter.body.startswith(b" Eind 2016 is na een periode")
    assert motie.content_type == "application/xml"
    assert motie.body.startswith(b"<?xml")


def test_fetcher_lists_directories_as_json(corpus_dir: Path) -> None:
    url = (corpus_dir / "xml").as_uri() + "/"
    response = Fetcher().fetch(Request(url=url, source="t"))
    names = [entry["name"] for entry in json.loads(response.body)]
    assert "kst-32824-424.xml" in names and response.content_type == "application/json"


def test_fetcher_reports_unreadable_and_oversized_files(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF" + b"0" * 2000)
    try:
        Fetcher(max_bytes=1000).fetch(Request(url=big.as_uri(), source="t", role=ROLE_DOCUMENT))
    except FetchError as exc:
        assert "exceeds the limit" in exc.reason
    else:
        raise AssertionError("oversized file was accepted")
    try:
        Fetcher().fetch(Request(url=(tmp_path / "gone.pdf").as_uri(), source="t"))
    except FetchError as exc:
        assert "cannot read file" in exc.reason
    else:
        raise AssertionError("missing file was accepted")
