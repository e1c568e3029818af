"""The PostgreSQL catalogue against a real PostgreSQL 15 (started by the suite): the schema by
``indexer db upgrade``, the document store's change sequence, the crawl state, the queue's
leases, fleet politeness, and a search node following the catalogue."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from indexer.catalogue import CatalogueError, connect, queue
from indexer.catalogue.documents import PgDocumentStore
from indexer.catalogue.migrations import LATEST, MIGRATIONS, upgrade
from indexer.catalogue.state import PgCrawlState
from indexer.cli import main
from indexer.docstore import open_catalogue_store
from indexer.fetch.state import IndexedUrl
from indexer.model import Document, Request

pytestmark = pytest.mark.postgresql


def doc(doc_id: str, text: str = "tekst", source: str = "s") -> Document:
    return Document(id=doc_id, source=source, url=f"https://example.org/{doc_id}", title=f"Titel {doc_id}",
                    pages=(text,), content_hash=f"h-{text}")


@pytest.fixture
def catalogue(database_url: str) -> str:
    with connect(database_url) as conn:
        upgrade(conn)
    return database_url


def test_db_upgrade_creates_the_schema_once_and_records_its_version(database_url: str) -> None:
    first = CliRunner().invoke(main, ["db", "upgrade", "--database", database_url])
    assert first.exit_code == 0, first.output
    assert f"schemaversie {LATEST}" in first.output and "toegepast" in first.output
    again = CliRunner().invoke(main, ["db", "upgrade", "--database", database_url])
    assert again.exit_code == 0 and "niets te doen" in again.output
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT version, description FROM schema_migrations ORDER BY version").fetchall()
    assert [row[0] for row in rows] == sorted(MIGRATIONS)


def test_a_catalogue_not_upgraded_is_one_line_saying_what_to_run(database_url: str) -> None:
    with pytest.raises(CatalogueError, match="indexer db upgrade"):
        PgDocumentStore(database_url)
    result = CliRunner().invoke(main, ["index", "--follow", "--once", "--database", database_url])
    assert result.exit_code == 2 and "indexer db upgrade" in result.output


def test_an_unreachable_catalogue_is_one_line_without_the_password() -> None:
    with pytest.raises(CatalogueError, match="niet bereikbaar") as caught:
        connect("postgresql://user:geheim@127.0.0.1:1/nergens")
    assert "geheim" not in str(caught.value)


def test_the_store_numbers_upserts_and_deletions_in_one_growing_sequence(catalogue: str) -> None:
    with open_catalogue_store(catalogue) as store:
        assert store.apply({"s:1": doc("s:1"), "s:2": doc("s:2")}) == 2
        assert store.apply({"s:1": doc("s:1", "nieuw"), "s:2": None}) == 4
        assert store.apply({"s:2": None}) == 4  # deleting what is gone changes nothing
        assert [(c.seq, c.doc_id, c.document is None) for c in store.changes(0)] == [
            (3, "s:1", False), (4, "s:2", True)]
        assert store.get("s:1").pages == ("nieuw",) and store.get("s:2") is None  # type: ignore[union-attr]
        assert store.count() == 1 and store.hashes() == {"s:1": "h-nieuw"}
        assert [d.id for d in store.documents()] == ["s:1"] and store.problems() == []


def test_concurrent_writers_commit_in_sequence_order(catalogue: str) -> None:
    """A follower reading seq > last must never skip a change committed later with a lower number."""
    def write(start: int) -> None:
        with PgDocumentStore(catalogue) as store:
            for n in range(start, start + 30):
                store.apply({f"s:{n}": doc(f"s:{n}")})

    threads = [threading.Thread(target=write, args=(k * 100,)) for k in range(3)]
    seen: list[int] = []
    with PgDocumentStore(catalogue) as reader:
        for thread in threads:
            thread.start()
        last = 0
        while any(t.is_alive() for t in threads) or last < reader.last_seq():
            batch = reader.change_batch(last, 7)
            seen += [c.seq for c in batch]
            last = batch[-1].seq if batch else last
    assert sorted(seen) == seen == list(range(1, 91))


def test_the_crawl_state_keeps_urls_cursors_hosts_and_runs(catalogue: str) -> None:
    with PgCrawlState(catalogue) as state:
        state.mark_indexed([IndexedUrl("https://x/1", "s", "s:1", "h1", '"e1"', "")])
        assert state.validators("https://x/1") == ('"e1"', "") and state.content_hash("https://x/1") == "h1"
        state.mark_failed("https://x/1", "s", "s:1", "kapot")
        assert state.get("https://x/1").status == "indexed"  # type: ignore[union-attr]
        state.mark_deleted(["s:1"])
        assert state.was_removed("https://x/1") and state.counts("s") == {"deleted": 1}
        state.set_cursor("s", "2024-01-01")
        assert state.cursor("s") == "2024-01-01" and state.cursor("t") is None
        state.set_host_time("example.org", 1000.0, 2.0)
        assert state.host_time("example.org") == (1000.0, 2.0)
        assert state.add_run("a", "b", 0, {"sources": []}) > 0 and state.runs()[0]["exit_code"] == 0


def test_a_lease_that_expires_is_taken_over_and_the_stale_worker_cannot_finish(catalogue: str) -> None:
    with connect(catalogue) as conn:
        assert queue.start_round(conn, "s", [Request(url="https://x/a", source="s")])
        assert not queue.start_round(conn, "s", [Request(url="https://x/b", source="s")])  # open: joined
        first = queue.claim(conn, ["s"], "w1", lease=0.3)
        assert first is not None and queue.claim(conn, ["s"], "w2", lease=0.3) is None  # leased
        time.sleep(0.4)
        second = queue.claim(conn, ["s"], "w2", lease=30)
        assert second is not None and second.id == first.id and second.token > first.token
        with pytest.raises(queue.LeaseLost), conn.transaction():
            queue.finish(conn, first)
        with conn.transaction():
            queue.finish(conn, second)
        assert queue.outstanding(conn, ["s"]) == 0
        with conn.transaction():
            assert queue.close_round(conn, "s") is not None
        assert queue.start_round(conn, "s", [], every=3600) is False  # not due yet


def test_a_node_builds_its_index_from_the_catalogue_resumes_and_shows_its_lag(catalogue: str,
                                                                              tmp_path: Path) -> None:
    from search_ui import create_app
    from tests.crawl_helpers import documents

    with PgDocumentStore(catalogue) as store:
        store.apply({"s:1": doc("s:1", "uitbuiting"), "s:2": doc("s:2", "kinderen")})
    node = tmp_path / "node"
    first = CliRunner().invoke(main, ["index", "--follow", "--once", "--data-dir", str(node), "--database", catalogue])
    assert first.exit_code == 0, first.output
    assert "vanaf wijziging 0" in first.output and set(documents(node)) == {"s:1", "s:2"}
    with PgDocumentStore(catalogue) as store:
        store.apply({"s:2": None, "s:3": doc("s:3", "roma")})
    again = CliRunner().invoke(main, ["index", "--follow", "--once", "--data-dir", str(node), "--database", catalogue])
    assert "vanaf wijziging 2" in again.output and "2 wijziging(en) toegepast, tot en met 4" in again.output
    assert set(documents(node)) == {"s:1", "s:3"}
    client = create_app({"DATA_DIR": str(node)}).test_client()
    replica = client.get("/api/v1/status").get_json()["replica"]
    assert (replica["applied"], replica["catalogue"], replica["lag"]) == (4, 4, 0)
    page = client.get("/status").get_data(as_text=True)
    assert "volgt de catalogus: bijgewerkt tot wijziging 4 van 4, achterstand 0" in page
    english = client.get("/status?lang=en").get_data(as_text=True)
    assert "This search node follows the catalogue" in english


def test_an_embedded_data_directory_shows_no_replica(tmp_path: Path) -> None:
    from search_ui import create_app

    assert "replica" not in create_app({"DATA_DIR": str(tmp_path)}).test_client().get("/api/v1/status").get_json()


def test_a_node_whose_index_is_of_an_older_schema_rebuilds_it_from_the_catalogue(catalogue: str,
                                                                                 tmp_path: Path) -> None:
    import json

    from indexer.index import store as index_store
    from tests.crawl_helpers import documents

    with PgDocumentStore(catalogue) as docs:
        docs.apply({"s:1": doc("s:1", "uitbuiting"), "s:2": doc("s:2", "kinderen")})
    node = tmp_path / "node"
    args = ["index", "--follow", "--once", "--data-dir", str(node), "--database", catalogue]
    assert CliRunner().invoke(main, args).exit_code == 0
    version_file = index_store.current_dir(node) / index_store.VERSION_FILE
    version_file.write_text(json.dumps({"schema_version": index_store.SCHEMA_VERSION - 1}))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "oudere versie" in result.output
    assert not index_store.is_outdated(node) and set(documents(node)) == {"s:1", "s:2"}


def test_two_workers_schedulers_keep_the_hosts_delay_between_them(catalogue: str) -> None:
    from indexer.catalogue.hosts import FleetScheduler
    from indexer.fetch import Fetcher, PolitenessSettings
    from tests.replay_server import ReplayServer

    delay = 0.3
    with ReplayServer("ccv") as server:
        def worker() -> None:
            fetcher = Fetcher(timeout=5.0, settings=PolitenessSettings(delay=delay), obey_robots=False)
            fetcher.scheduler = FleetScheduler(fetcher.scheduler.settings, catalogue, reserve=5.0)
            for _ in range(4):
                fetcher.fetch(Request(url=server.url("/themas/jeugd/"), source="t"))
            fetcher.scheduler.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        arrivals = sorted(hit.at for hit in server.hits)
    assert len(arrivals) == 8
    assert all(b - a >= delay - 0.02 for a, b in zip(arrivals, arrivals[1:], strict=False)), arrivals


def test_a_worker_crawls_into_the_catalogue_and_a_misconfigured_source_fails_alone(catalogue: str,
                                                                                   tmp_path: Path) -> None:
    from tests.crawl_helpers import ROOT, write_config

    config = write_config(tmp_path / "s.toml", [
        {"name": "regelgeving", "kind": "folder", "path": str(ROOT / "corpus" / "regelgeving"), "include": ["*.md"]},
        {"name": "nergens", "kind": "website"}, {"name": "onbekend", "kind": "nope"}], database=catalogue)
    result = CliRunner().invoke(main, ["crawl", "--config", str(config)])
    assert result.exit_code == 1, result.output
    assert "mislukt: nergens: configuratie: source 'nergens' (website) needs option 'seeds'" in result.output
    assert "mislukt: onbekend: configuratie:" in result.output
    with PgDocumentStore(catalogue) as docs:
        assert docs.count() == len(list((ROOT / "corpus" / "regelgeving").glob("*.md")))
    again = CliRunner().invoke(main, ["crawl", "--config", str(config), "--source", "regelgeving"])
    assert again.exit_code == 0 and "0 nieuw" in again.output and "ongewijzigd" in again.output
