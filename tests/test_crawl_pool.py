"""The extraction pool: a crawl with several guarded workers builds the same index as one
with a single worker — the same documents in the same order, the same stored texts, the
same failures with the same reasons — and says how many workers it ran."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from indexer.index import store
from indexer.index.writer import stored_documents
from tests.crawl_helpers import crawl, write_config
from tests.documents import document_path

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "extract" / "hostile"
#: real files of every format the folder source reads, and two that fail with a reason
FILES = ["kst-28638-238.xml", "kst-28638-239.xml", "kst-21501-02-3121-motie-ceder.pdf",
         "openkamer-besluitenlijst_example3.pdf", "kst-28286-1366-motie-holman-van-campen.pdf",
         "kst-32824-193.txt"]
BROKEN = ["empty.pdf", "truncated.pdf"]


def folder_config(tmp_path: Path, workers: int) -> Path:
    folder = tmp_path / "docs"
    if not folder.exists():
        folder.mkdir()
        for name in FILES:
            shutil.copy(document_path(name), folder)
        for name in BROKEN:
            shutil.copy(HOSTILE / name, folder)
    source = {"name": "map", "kind": "folder", "path": str(folder)}
    return write_config(tmp_path / f"workers{workers}.toml", [source], batch_size=3, extract_workers=workers)


def index_content(data_dir: Path) -> list[dict[str, object]]:
    """Every stored document in index order, without the time it was read."""
    return [{**dataclasses.asdict(doc), "fetched_at": ""} for doc in stored_documents(store.open_index(data_dir))]


def test_a_pool_builds_the_index_a_single_worker_builds(tmp_path: Path) -> None:
    single, single_lines = crawl(folder_config(tmp_path, 1), tmp_path / "one")
    pooled, pooled_lines = crawl(folder_config(tmp_path, 3), tmp_path / "three")
    assert (single.extract_workers, pooled.extract_workers) == (1, 3)
    one, three = index_content(tmp_path / "one"), index_content(tmp_path / "three")
    assert len(one) == len(FILES)
    assert [doc["id"] for doc in three] == [doc["id"] for doc in one]
    assert three == one  # same stored texts, pages, metadata
    failures = sorted(single.sources[0].failures)
    assert [Path(url).name for url, _ in failures] == sorted(BROKEN)
    assert sorted(pooled.sources[0].failures) == failures
    assert pooled_lines[-1] == single_lines[-1]  # the same counts per outcome


def test_the_run_record_says_how_many_workers_extracted(tmp_path: Path) -> None:
    summary, _ = crawl(folder_config(tmp_path, 2), tmp_path / "data")
    assert summary.to_dict()["extract_workers"] == 2
