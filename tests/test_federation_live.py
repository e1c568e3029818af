"""Federation end to end: two real bronzoeker instances and an SRU replay server on 127.0.0.1.

Instance A ("this index": corpus/xml) runs as ``indexer serve`` in a subprocess with a
sources file naming its remotes; instance B ("collega": corpus/html and the seed letter)
runs under waitress in a thread; the replay server answers SRU 2.0 from
tests/fixtures/federation and plays the failing remotes (slow, garbage, 500, diagnostic).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from waitress.server import create_server

from indexer.config import load_config
from indexer.pipeline import run_crawl
from search_ui import create_app
from tests.replay_server import ReplayServer, Reply

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "federation"
SLOW_SECONDS = 6.0  # the slow remote answers this late; its timeout is far shorter
SRU_QUERY = {"operation": "searchRetrieve", "version": "2.0", "query": "~\"mensenhandel\"", "startRecord": "1",
             "maximumRecords": "*", "httpAccept": "application/xml"}

SOURCES_A = """
[settings]
delay = 0.0
federation_deadline = 4.0

[[source]]
name = "kamerstukken-xml"
kind = "folder"
path = "{corpus}/xml"
include = ["*.xml"]

[[remote]]
name = "collega"
kind = "bronzoeker"
url = "{collega}/api/v1/search"
timeout = 3.0

[[remote]]
name = "overheid"
kind = "sru"
url = "{replay}/sru"
schema = "gzd"
cql_filter = "c.product-area==officielepublicaties"
timeout = 3.0

[[remote]]
name = "traag"
kind = "bronzoeker"
url = "{replay}/traag/api/v1/search"
timeout = 0.5

[[remote]]
name = "rommel"
kind = "bronzoeker"
url = "{replay}/rommel/api/v1/search"

[[remote]]
name = "kapot"
kind = "sru"
url = "{replay}/kapot/sru"

[[remote]]
name = "sru-fout"
kind = "sru"
url = "{replay}/fout/sru"
"""

SOURCES_B = """
[settings]
delay = 0.0

[[source]]
name = "kamerstukken-html"
kind = "folder"
path = "{corpus}/html"
include = ["*.html"]

[[source]]
name = "kamerstukken"
kind = "folder"
path = "{corpus}/kamerstukken"
include = ["*.txt"]
defaults = {{ category = "kamerstuk" }}
"""


@dataclass
class Setup:
    base: str  # instance A, the one that federates
    collega: str  # instance B
    replay: ReplayServer


def _crawl(config_path: Path, data_dir: Path) -> None:
    summary = run_crawl(load_config(config_path), data_dir, log=lambda line: None)
    assert not [f for s in summary.sources for f in s.failures]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"indexer serve stopped: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _replay_routes(replay: ReplayServer) -> None:
    xml = "text/xml; charset=UTF-8"
    replay.route("/sru", Reply(body=(FIXTURES / "sru_mensenhandel.xml").read_bytes(), content_type=xml), SRU_QUERY)
    replay.route("/traag/api/v1/search", Reply(body=b'{"api_version": 1, "total": 0, "hits": []}',
                                               content_type="application/json", delay=SLOW_SECONDS))
    replay.route("/rommel/api/v1/search", Reply(body=bytes(range(256)) * 4, content_type="application/json"))
    replay.route("/kapot/sru", Reply(status=500, body=b"<html>Internal Server Error</html>", content_type="text/html"))
    replay.route("/fout/sru", Reply(body=(FIXTURES / "sru_diagnostic.xml").read_bytes(), content_type=xml))


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    work = tmp_path_factory.mktemp("federation")
    corpus = ROOT / "corpus"
    (work / "b.toml").write_text(SOURCES_B.format(corpus=corpus))
    _crawl(work / "b.toml", work / "data-b")
    collega = create_server(create_app({"DATA_DIR": str(work / "data-b")}), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=collega.run, daemon=True).start()
    collega_url = f"http://127.0.0.1:{collega.effective_port}"
    with ReplayServer() as replay:
        _replay_routes(replay)
        (work / "a.toml").write_text(SOURCES_A.format(corpus=corpus, collega=collega_url, replay=replay.base_url))
        _crawl(work / "a.toml", work / "data-a")
        port = _free_port()
        command = [str(Path(sys.executable).parent / "indexer"), "serve", "--config", str(work / "a.toml"),
                   "--data-dir", str(work / "data-a"), "--port", str(port), "--threads", "4"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base + "/api/v1/search?q=test", process)
            yield Setup(base=base, collega=collega_url, replay=replay)
        finally:
            process.terminate()
            process.wait(timeout=10)
            collega.close()


def get(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def federated(setup: Setup, query: str, *remotes: str, path: str = "/api/v1/federated") -> tuple[int, Any]:
    params = urlencode([("q", query), *[("remote", r) for r in remotes]])
    status, body, _ = get(f"{setup.base}{path}?{params}")
    return status, json.loads(body) if path.startswith("/api") else body.decode()


def by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in data["endpoints"]}


def own_hits(base: str, query: str) -> tuple[int, set[str]]:
    """An instance's own answer (total, canonical ids) from its /api/v1/search."""
    status, body, _ = get(f"{base}/api/v1/search?{urlencode({'q': query, 'page_size': 50})}")
    data = json.loads(body)
    return data["total"], {hit["identifiers"]["canonical"] for hit in data["hits"]}


def test_query_merges_and_deduplicates_results_from_all_three(setup: Setup) -> None:
    local_total, local_keys = own_hits(setup.base, "mensenhandel")
    collega_total, collega_keys = own_hits(setup.collega, "mensenhandel")
    assert collega_keys == {"kst-32824-193"} and {"kst-28638-239", "kst-28638-244"} <= local_keys
    status, data = federated(setup, "mensenhandel", "collega", "overheid")
    assert status == 200 and data["api_version"] == 1 and data["remotes"] == ["collega", "overheid"]
    endpoints = by_name(data)
    assert [e["status"] for e in endpoints.values()] == ["ok", "ok", "ok"]
    totals = {name: endpoint["total"] for name, endpoint in endpoints.items()}
    assert totals == {"lokaal": local_total, "collega": collega_total, "overheid": 3}
    keys = [hit["key"] for hit in data["hits"]]
    assert len(keys) == len(set(keys)) and set(keys) == local_keys | collega_keys  # the SRU records are local too
    hits = {hit["key"]: hit for hit in data["hits"]}
    for key in ("kst-28638-238", "kst-28638-239", "kst-28638-241"):
        assert hits[key]["endpoints"] == ["lokaal", "overheid"]
        assert hits[key]["document"]["id"] == f"kamerstukken-xml:{key}"
    letter = hits["kst-32824-193"]
    assert letter["endpoints"] == ["collega"] and letter["html_url"].startswith(setup.collega + "/document/")
    assert "<mark>" in letter["snippet"] and letter["document"]["date"] == "2017-04-04"
    counts = {f["value"]: f["count"] for f in data["facets"]["endpoint"]}
    assert counts == {"lokaal": len(local_keys), "overheid": 3, "collega": 1}
    # the user's word reached the SRU server quoted, behind the configured filter
    sru_query = setup.replay.hits_for("/sru")[-1].query["query"]
    assert sru_query == '(c.product-area==officielepublicaties) AND (cql.textAndIndexes = "mensenhandel")'


def test_slow_and_failing_remotes_are_reported_and_skipped(setup: Setup) -> None:
    status, data = federated(setup, "mensenhandel")  # no remote named: all configured ones
    slow = setup.replay.hits_for("/traag/")[-1]
    assert slow.status == 0  # our answer came back while the slow remote was still sleeping
    assert status == 200
    endpoints = by_name(data)
    assert list(endpoints) == ["lokaal", "collega", "overheid", "traag", "rommel", "kapot", "sru-fout"]
    assert endpoints["traag"]["status"] == "timeout" and endpoints["traag"]["elapsed_ms"] == 500
    assert endpoints["rommel"]["status"] == "error" and "JSON" in endpoints["rommel"]["reason"]
    assert endpoints["kapot"]["status"] == "error" and endpoints["kapot"]["reason"] == "HTTP 500"
    assert endpoints["sru-fout"]["status"] == "error"
    assert endpoints["sru-fout"]["reason"].startswith("SRU-diagnose: info:srw/diagnostic/1/10")
    assert {name for hit in data["hits"] for name in hit["endpoints"]} == {"lokaal", "collega", "overheid"}


def test_the_page_shows_endpoints_origins_and_never_breaks(setup: Setup) -> None:
    status, html = federated(setup, "mensenhandel", "collega", "overheid", "kapot", "traag", path="/federated")
    assert status == 200 and "Federatief zoeken" in html
    assert 'data-endpoint="kapot"' in html and "HTTP 500" in html and "te traag (time-out)" in html
    assert "gevonden in: <span class=\"endpoint\">deze index</span>, <span class=\"endpoint\">overheid</span>" in html
    assert f'href="{setup.collega}/document/kamerstukken:kst-32824-193"' in html  # remote hits open on their origin
    assert 'href="/document/kamerstukken-xml:kst-28638-244"' in html


def test_merged_results_export_like_local_ones(setup: Setup) -> None:
    params = urlencode([("q", "mensenhandel"), ("remote", "collega"), ("remote", "overheid"), ("format", "ris")])
    status, body, headers = get(f"{setup.base}/federated/export?{params}")
    ris = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("application/x-research-info-systems")
    assert ris.count("ER  -") == len(own_hits(setup.base, "mensenhandel")[1]) + 1
    assert "Afronding programma Aanpak uitbuiting Roma kinderen" in ris  # the collega's letter
    assert "Motie van de leden Podt en Van Nispen" in ris


@pytest.mark.parametrize("remote", ["onbekend", "http://127.0.0.1:9/api/v1/search", "lokaal-niet"])
def test_unconfigured_endpoints_are_refused(setup: Setup, remote: str) -> None:
    before = len(setup.replay.hits)
    status, data = federated(setup, "mensenhandel", "collega", remote)
    assert status == 400 and data["api_version"] == 1 and remote in data["error"]
    html_status, _ = federated(setup, "mensenhandel", remote, path="/federated")
    assert html_status == 400
    assert len(setup.replay.hits) == before  # nothing was contacted


def test_every_field_of_the_federated_answer_is_documented(setup: Setup) -> None:
    _, data = federated(setup, "mensenhandel", "collega", "overheid", "kapot")
    documented = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    fields = set(data) | set(data["endpoints"][0]) | set(data["hits"][0]) | set(data["hits"][0]["sources"][0])
    assert {f for f in fields if f'"{f}"' not in documented} == set()
    assert {f for f in data["hits"][0]["document"] if f"`{f}`" not in documented} == set()
