"""``indexer check`` and ``--repair`` on a copy of the real demo data directory: a truncated
segment and a truncated state database each give a clear Dutch message and exit 2, the
check names the damage, and the repair brings back every document (ids and texts)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.fetch import CrawlState
from indexer.index import store
from tests.conftest import CORPUS
from tests.crawl_helpers import documents


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def data(demo_data: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(demo_data, copy)
    return copy


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def texts(data: Path) -> dict[str, tuple[str, str]]:
    return {doc_id: (doc.title, doc.body) for doc_id, doc in documents(data).items()}


def test_a_truncated_segment_is_found_and_rebuilt_from_the_store(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRONZOEKER_NO_OCR", "1")
    before, full = texts(data), documents(data)
    assert run("check", "--data-dir", str(data))[0] == 0
    segment = max(store.current_dir(data).glob("*.seg"), key=lambda p: p.stat().st_size)
    truncate(segment)

    code, _, err = run("search", "roma", "--data-dir", str(data))
    assert code == 2 and "de index is beschadigd" in err and "indexer check --repair" in err
    code, _, err = run("crawl", "--config", str(CORPUS / "demo.toml"), "--data-dir", str(data))
    assert code == 2 and "de index is beschadigd" in err and "Traceback" not in err
    code, out, _ = run("check", "--data-dir", str(data))
    assert code == 2 and f"index: BESCHADIGD — segment {segment.stem} niet te lezen" in out
    assert "de index wordt opnieuw opgebouwd uit de documentopslag" in out

    code, out, err = run("check", "--repair", "--data-dir", str(data))
    assert code == 0 and f"{len(before)} documenten" in err and "alles in orde" in out
    assert texts(data) == before and documents(data) == full
    code, out, _ = run("search", "roma", "--data-dir", str(data))
    assert code == 0 and "kst-32824-193" in out


def test_a_truncated_state_database_is_found_and_rebuilt(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRONZOEKER_NO_OCR", "1")
    before = documents(data)
    state_file = data / "crawl-state.sqlite"
    truncate(state_file)
    config = str(CORPUS / "demo.toml")

    code, _, err = run("crawl", "--config", config, "--data-dir", str(data))
    assert code == 2 and "de crawlstatus (crawl-state.sqlite) is onleesbaar of beschadigd" in err
    assert "indexer check --repair" in err and "Traceback" not in err
    code, out, _ = run("check", "--data-dir", str(data))
    assert code == 2 and "crawlstatus: BESCHADIGD" in out and "index: in orde" in out
    assert "ETag/Last-Modified, cursors en crawlgeschiedenis gaan verloren" in out

    code, out, err = run("check", "--repair", "--data-dir", str(data))
    assert code == 0 and "alles in orde" in out and f"crawlstatus opnieuw opgebouwd: {len(before)}" in err
    assert len(list(data.glob("crawl-state.sqlite.beschadigd-*"))) >= 1  # kept, not deleted
    with CrawlState(data) as state:
        rows = {row.doc_id: row.content_hash for source in {d.source for d in before.values()}
                for row in state.url_states(source)}
    assert rows == {doc_id: doc.content_hash for doc_id, doc in before.items()}

    code, _, err = run("crawl", "--config", config, "--data-dir", str(data))
    assert code == 0 and " 0 nieuw" in err and " 0 gewijzigd" in err  # nothing lost, nothing re-extracted
    assert documents(data) == before


def test_a_damaged_store_is_set_aside_and_the_next_crawl_fetches_what_it_lost(
        data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the store is the one copy of every document (schema 9: the index holds neither texts nor
    # metadata): the repair keeps the damaged file, takes over what is readable, lists the rest
    monkeypatch.setenv("BRONZOEKER_NO_OCR", "1")
    before = set(documents(data))
    truncate(data / "documents.sqlite")
    damaged = (data / "documents.sqlite").read_bytes()
    code, _, err = run("index", "--rebuild", "--data-dir", str(data))
    assert code == 2 and "de documentopslag" in err and "is beschadigd" in err
    code, out, _ = run("check", "--data-dir", str(data))
    assert code == 2 and "documentopslag: BESCHADIGD" in out and "index: in orde" in out
    assert "de documentopslag is de enige kopie van de documenten" in out
    code, out, err = run("check", "--repair", "--data-dir", str(data))
    assert code == 0 and "alles in orde" in out
    assert "verloren, de volgende `indexer crawl` haalt ze opnieuw op" in err
    [kept] = (p for p in data.glob("documents.sqlite.beschadigd-*") if not p.name.endswith(("-wal", "-shm")))
    assert kept.read_bytes() == damaged  # left for a back-up or an expert
    assert len(documents(data)) < len(before)  # the index lists only what the store holds
    code, _, err = run("crawl", "--config", str(CORPUS / "demo.toml"), "--data-dir", str(data))
    assert code == 0 and set(documents(data)) == before
    assert run("check", "--data-dir", str(data))[0] == 0


def test_the_web_ui_answers_503_not_500_over_a_truncated_segment(data: Path) -> None:
    from search_ui import create_app

    segment = max(store.current_dir(data).glob("*.seg"), key=lambda p: p.stat().st_size)
    truncate(segment)
    client = create_app({"DATA_DIR": str(data), "TESTING": True}).test_client()
    for path in ("/?q=roma", "/api/v1/search?q=roma"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert str(data) not in response.get_data(as_text=True)  # the reason (with paths) is logged only
