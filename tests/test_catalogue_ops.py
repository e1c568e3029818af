"""Operating a fleet (#19), against a real PostgreSQL 15 started by the suite: ``indexer status``
and ``indexer check`` read the catalogue (queue, leases, rounds, runs, nodes), ``check``
finds what does not add up and ``--repair`` fixes what it safely can; and the catalogue-mode
sweep works per URL like the embedded one, each removal a change of its own that nodes apply."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from indexer.catalogue import connect
from indexer.catalogue.documents import PgDocumentStore
from indexer.catalogue.migrations import upgrade
from indexer.catalogue.nodes import node_name
from indexer.cli import main
from tests.crawl_helpers import ROOT, documents, write_config
from tests.replay_server import FIXTURES, ReplayServer, Reply
from tests.test_crawl_incremental import FACTSHEET, REPORT, ccv_website
from tests.test_crawl_sweeps import THEME, doc_id, seed_page_without

pytestmark = pytest.mark.postgresql

REGELGEVING = {"name": "regelgeving", "kind": "folder", "path": str(ROOT / "corpus" / "regelgeving"),
               "include": ["*.md"]}
FILES = sorted((ROOT / "corpus" / "regelgeving").glob("*.md"))


@pytest.fixture
def catalogue(database_url: str) -> str:
    with connect(database_url) as conn:
        upgrade(conn)
    return database_url


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def sql(url: str, statement: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def test_status_reads_documents_queue_leases_rounds_runs_and_nodes_from_the_catalogue(catalogue: str,
                                                                                       tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", [REGELGEVING], database=catalogue)
    assert run("crawl", "--config", str(config))[0] == 0
    node = tmp_path / "node"
    assert run("index", "--follow", "--once", "--data-dir", str(node), "--database", catalogue)[0] == 0
    with PgDocumentStore(catalogue) as store:  # one more change the node has not applied yet
        store.apply({"regelgeving:BWBR0029749": None})
    sql(catalogue, "UPDATE jobs SET state = 'pending', worker = 'dood:1', lease_until = 1 WHERE id ="
                   " (SELECT MIN(id) FROM jobs)")  # a job whose worker was killed and not taken over

    code, output = run("status", "--config", str(config), "--json")
    assert code == 0, output
    data = json.loads(output)
    fleet = data["catalogue"]
    assert (fleet["documents"], fleet["deleted"], fleet["latest_seq"]) == (len(FILES) - 1, 1, len(FILES) + 1)
    assert (fleet["pending"], fleet["leases_held"], fleet["leases_expired"]) == (1, 0, 1)
    assert [(r["name"], r["round"], r["open"], r["pending"]) for r in fleet["rounds"]] == [("regelgeving", 1, False, 1)]
    [reported] = fleet["nodes"]
    assert reported["name"] == node_name(node) and (reported["applied"], reported["lag"]) == (len(FILES), 1)
    [source] = data["crawl"]
    assert source["name"] == "regelgeving" and source["documents"] == len(FILES) - 1
    assert source["last_run"]["new"] == len(FILES) and source["url_counts"] == {"indexed": len(FILES)}

    code, text = run("status", "--database", catalogue)
    assert code == 0, text
    assert f"catalogus: {len(FILES) - 1} documenten, wijzigingsvolgorde tot {len(FILES) + 1}" in text
    assert "1 taken open, 0 in behandeling (lease geldig), 1 met verlopen lease" in text
    assert f"zoeknode {node_name(node)}: tot wijziging {len(FILES)}, achterstand 1" in text
    assert "regelgeving: 4 documenten" in text and f"{len(FILES)} nieuw" in text


def test_check_finds_what_does_not_add_up_and_repair_fixes_what_it_safely_can(catalogue: str,
                                                                              tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", [REGELGEVING], database=catalogue)
    assert run("crawl", "--config", str(config))[0] == 0
    node = tmp_path / "node"
    assert run("index", "--follow", "--once", "--data-dir", str(node), "--database", catalogue)[0] == 0
    assert run("check", "--database", catalogue) == (0, "catalogus: in orde (URL-rijen, documenten, wachtrij en "
                                                        "zoeknodes kloppen)\n")
    first, second, third = (f"regelgeving:{path.stem}" for path in FILES[:3])
    with PgDocumentStore(catalogue) as store:
        store.apply({first: None})  # deleted without its URL row: the row still says indexed
    sql(catalogue, "DELETE FROM urls WHERE doc_id = %s", second)  # a document without its URL row
    sql(catalogue, "UPDATE documents SET data = 'kapot'::bytea WHERE id = %s", third)  # unreadable
    sql(catalogue, "UPDATE jobs SET state = 'pending', worker = 'dood:1', lease_until = 1 WHERE id ="
                   " (SELECT MIN(id) FROM jobs)")
    sql(catalogue, "UPDATE nodes SET seen = seen - 3600")  # the node stopped an hour ago, behind
    latest = sql(catalogue, "SELECT MAX(seq) FROM documents")[0][0]

    code, text = run("check", "--database", catalogue)
    assert code == 2, text
    assert "1 URL('s) als geïndexeerd gemarkeerd zonder document: " + (FILES[0]).resolve().as_uri() in text
    assert f"1 document(en) zonder URL-rij: {second}" in text
    assert f"1 document(en) niet te lezen: {third}" in text
    assert "1 taak/taken met een lease die langer dan 300 s verlopen is" in text and "(dood:1)" in text
    assert "1 zoeknode(s) achter" in text and node_name(node) in text

    code, text = run("check", "--repair", "--database", catalogue)
    assert code == 2, text  # the lease and the node need a worker and a follower, not a repair
    assert "hersteld: 1 URL('s) als geïndexeerd gemarkeerd zonder document" in text
    assert "hersteld: 1 document(en) zonder URL-rij" in text and "hersteld: 1 document(en) niet te lezen" in text
    assert not any(line.startswith("catalogus: 1 document") or "zonder document:" in line for line in text.splitlines())
    assert "start een werker (`indexer crawl`)" in text and "start `indexer index --follow` op die node" in text
    (tombstone,) = sql(catalogue, "SELECT seq FROM documents WHERE id = %s AND data IS NULL", third)
    assert tombstone[0] > latest  # a change of its own: nodes drop the unreadable document
    assert sql(catalogue, "SELECT status, etag FROM urls WHERE doc_id = %s", second) == [("indexed", "")]

    assert run("crawl", "--config", str(config))[0] == 0  # takes the job over, fetches what was forgotten
    assert run("index", "--follow", "--once", "--data-dir", str(node), "--database", catalogue)[0] == 0
    code, text = run("check", "--database", catalogue, "--data-dir", str(node))
    assert code == 0, text
    assert "catalogus: in orde" in text and "alles in orde" in text
    with PgDocumentStore(catalogue) as store:
        assert store.count() == len(FILES)
    assert set(documents(node)) == {f"regelgeving:{path.stem}" for path in FILES}


def worker(config: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "indexer.cli", "crawl", "--config", str(config)], cwd=ROOT,
                            env=env, text=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def two_workers(config: Path) -> list[int]:
    workers = [worker(config) for _ in range(2)]
    for process in workers:
        process.communicate(timeout=120)
    return sorted(process.returncode for process in workers)


def follow_once(node: Path, url: str) -> set[str]:
    assert run("index", "--follow", "--once", "--data-dir", str(node), "--database", url)[0] == 0
    return set(documents(node))


def test_the_fleet_sweeps_per_url_and_each_removal_reaches_the_node(catalogue: str, tmp_path: Path) -> None:
    with ReplayServer("ccv") as server:
        config = write_config(tmp_path / "s.toml", [ccv_website(server)], database=catalogue)
        node = tmp_path / "node"
        assert two_workers(config) == [0, 0]
        assert len(follow_once(node, catalogue)) == 4
        server.route(THEME, Reply(status=500, body=b"Internal Server Error"))
        seed_page_without(server, REPORT)
        before = sql(catalogue, "SELECT MAX(seq) FROM documents")[0][0]

        for _ in range(2):  # a failing page keeps what it linked to; what is no longer linked goes
            assert two_workers(config)[-1] == 1
            assert {doc_id(server, THEME), doc_id(server, FACTSHEET)} <= follow_once(node, catalogue)
            assert doc_id(server, REPORT) not in follow_once(node, catalogue)
        (removed,) = sql(catalogue, "SELECT seq FROM documents WHERE id = %s AND data IS NULL",
                         doc_id(server, REPORT))
        assert removed[0] > before

        theme = (FIXTURES / "ccv" / "thema-jeugd.html").read_bytes().replace(FACTSHEET.encode(), b"/weg.html")
        server.route(THEME, Reply(body=theme, content_type="text/html; charset=UTF-8"))
        assert two_workers(config) == [0, 0]
        assert doc_id(server, FACTSHEET) not in follow_once(node, catalogue)
        assert doc_id(server, THEME) in follow_once(node, catalogue)
