"""Shared fixtures: the bundled corpus, and one index of it built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.config import load_config

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the index of the whole bundled corpus (built once)."""
    from indexer.pipeline import run_crawl

    data_dir = tmp_path_factory.mktemp("demo-data")
    summary = run_crawl(load_config(CORPUS / "demo.toml"), data_dir, log=lambda line: None)
    failures = [f for s in summary.sources for f in s.failures]
    assert not failures, failures
    return data_dir


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL 15 for the whole session (skipped, with the reason, without one)."""
    from tests import pg_server as pg

    if not pg.available():
        pytest.skip(pg.MISSING)
    with pg.running_server() as server:
        yield server


@pytest.fixture
def database_url(pg_server) -> str:
    """A new, empty database on the session's PostgreSQL server."""
    return pg_server.create_database()
