"""Shared pieces of the crawl tests: a sources file pointing at a replay server, running
the crawl in-process or as ``python -m indexer.cli crawl``, and reading back the index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from indexer.config import load_config
from indexer.index.page_texts import indexed_documents
from indexer.model import Document
from indexer.pipeline import RunSummary, run_crawl

ROOT = Path(__file__).resolve().parent.parent

#: Short politeness for tests: still real waits, just small ones.
TEST_SETTINGS = {"delay": 0.05, "timeout": 5.0, "max_retries": 2, "backoff": 0.05,
                 "max_retry_after": 2.0, "batch_size": 2, "extract_timeout": 60.0}


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return "'" + str(value) + "'"  # literal string: regexes keep their backslashes


def write_config(path: Path, sources: list[dict[str, Any]], **settings: Any) -> Path:
    lines = ["[settings]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in {**TEST_SETTINGS, **settings}.items()]
    for source in sources:
        lines.append("\n[[source]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in source.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def crawl(config_path: Path, data_dir: Path, refetch: bool = False) -> tuple[RunSummary, list[str]]:
    lines: list[str] = []
    summary = run_crawl(load_config(config_path), data_dir, log=lines.append, refetch=refetch)
    return summary, lines


def crawl_subprocess(config_path: Path, data_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "indexer.cli", "crawl", "--config", str(config_path),
                             "--data-dir", str(data_dir)], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def documents(data_dir: Path) -> dict[str, Document]:
    """The committed index, by document id."""
    return {doc.id: doc for doc in indexed_documents(data_dir)}


def fingerprint(data_dir: Path) -> dict[str, tuple[str, str, int]]:
    """What must be equal between two indexes: id -> (content hash, title, pages)."""
    return {doc_id: (doc.content_hash, doc.title, len(doc.pages)) for doc_id, doc in documents(data_dir).items()}


def by_source(summary: RunSummary, name: str):  # type: ignore[no-untyped-def]
    return next(s for s in summary.sources if s.name == name)


def two_motion_folder(tmp_path: Path, corpus_dir: Path) -> Path:
    """A sources file with one folder source ("test") holding two real motions of dossier 28 638."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("kst-28638-239.xml", "kst-28638-238.xml"):
        shutil.copy(corpus_dir / "xml" / name, folder)
    config = tmp_path / "s.toml"
    config.write_text(f'[[source]]\nname = "test"\nkind = "folder"\npath = "{folder}"\n')
    return config


def copy_index_and_store(data_dir: Path, target: Path) -> Path:
    """The live index of ``data_dir`` as ``target/index``, with its document store (which holds
    the page texts) copied beside it; returns ``target``."""
    import sqlite3

    from indexer.docstore import STORE_FILE
    from indexer.index import store

    shutil.copytree(store.current_dir(data_dir), target / "index")
    with sqlite3.connect(data_dir / STORE_FILE) as source, sqlite3.connect(target / STORE_FILE) as copy:
        source.backup(copy)
    return target
