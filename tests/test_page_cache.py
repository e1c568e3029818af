"""Reading the index into the page cache before the first query (indexer.index.page_cache):
every file a query reads is read once, in full; nothing when the files would not fit in
the free memory or there is no index; and ``indexer serve`` does it in the background
unless the settings say no."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from indexer.docstore import STORE_FILE
from indexer.index.page_cache import MEMORY_SHARE, data_files, preload
from indexer.index.store import current_dir
from tests.test_serve import get, indexer_serve, logged_lines

SAID = re.compile(r"paginacache: (?P<files>\d+) bestanden, (?P<mb>\d+) MB ingelezen in [\d.]+ s")


def test_preload_reads_every_file_of_the_live_index_and_the_document_store(demo_data: Path) -> None:
    files = data_files(demo_data)
    index = current_dir(demo_data)
    assert demo_data / STORE_FILE in files
    assert {p for p in index.iterdir() if p.is_file()} <= set(files)
    assert any(p.suffix == ".seg" for p in files)  # the segments themselves, not just the table of contents

    done = preload(demo_data)

    assert not done.skipped
    assert done.files == len(files)
    assert done.bytes == sum(p.stat().st_size for p in files)


def test_preload_follows_current_to_a_rebuilt_index(demo_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    rebuilt = data / "index-20261202-000000-abcdef12"
    (data / "index").rename(rebuilt)
    (data / "CURRENT").write_text(rebuilt.name)

    files = data_files(data)

    assert files and all(p.parent == rebuilt or p.parent == data for p in files)
    assert preload(data).bytes == sum(p.stat().st_size for p in files)


def test_nothing_is_read_when_the_index_would_not_fit_in_free_memory(demo_data: Path) -> None:
    total = sum(p.stat().st_size for p in data_files(demo_data))
    tight = int(total / MEMORY_SHARE) - 1

    done = preload(demo_data, memory=tight)

    assert done.bytes == 0 and done.files == 0
    assert "past niet in de helft van het vrije geheugen" in done.skipped
    assert preload(demo_data, memory=int(total / MEMORY_SHARE) + 1).bytes == total


def test_an_empty_data_directory_has_nothing_to_read(tmp_path: Path) -> None:
    done = preload(tmp_path)
    assert (done.files, done.bytes, done.skipped) == (0, 0, "geen index")
    assert done.describe() == "paginacache: niet ingelezen (geen index)"


def test_serve_reads_the_index_in_the_background_and_says_so(demo_data: Path, tmp_path: Path) -> None:
    log = tmp_path / "stderr.log"
    with indexer_serve(demo_data, log, "--access-log", "") as base:
        lines = logged_lines(log, "paginacache:")
        assert get(base + "/api/v1/search?q=uitbuiting")[0] == 200
    said = [SAID.fullmatch(line) for line in lines if line.startswith("paginacache:")]
    assert len(said) == 1 and said[0], lines
    files = data_files(demo_data)  # the server's own opening of the store may have added its WAL file
    without_wal = [p for p in files if not p.name.endswith("-wal")]
    assert len(without_wal) <= int(said[0]["files"]) <= len(files)
    assert int(said[0]["mb"]) == round(sum(p.stat().st_size for p in without_wal) / 1e6)


def test_serve_does_not_preload_when_the_settings_say_no(demo_data: Path, tmp_path: Path) -> None:
    log = tmp_path / "stderr.log"
    os.environ["BRONZOEKER_PRELOAD"] = "false"  # the setting's environment variable, read by the child
    try:
        with indexer_serve(demo_data, log, "--access-log", "") as base:
            assert get(base + "/api/v1/search?q=uitbuiting")[0] == 200
    finally:
        del os.environ["BRONZOEKER_PRELOAD"]
    # with it on, the few MB of the demo index are read before the server has bound its port
    assert "bronzoeker op http://127.0.0.1" in log.read_text()
    assert "paginacache" not in log.read_text()
