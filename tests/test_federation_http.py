"""Federation against hostile and slow remotes: a real replay server on 127.0.0.1, the app
in-process (Flask test client) with a sources file naming the remotes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from indexer.federation.http import RemoteError, RemoteTimeout, get
from search_ui import create_app
from tests.replay_server import ReplayServer, Reply

HOSTILE = {"api_version": 1, "total": 1, "hits": [{
    "id": "boos:1", "title": '<script>alert("titel")</script>', "url": "javascript:alert(1)",
    "html_url": "javascript:alert(2)", "snippet": '<img src=x onerror="alert(3)"><mark>mensenhandel</mark></p>',
    "date": "2024-01-02", "identifiers": {"canonical": "url:https://boos.example/1"}}]}

SOURCES = """
[settings]
federation_deadline = {deadline}

[[remote]]
name = "boos"
kind = "bronzoeker"
url = "{base}/boos/api/v1/search"

[[remote]]
name = "slaapt"
kind = "sru"
url = "{base}/slaapt/sru"
timeout = 10.0

[[remote]]
name = "verkeerd"
kind = "bronzoeker"
url = "{base}/verkeerd"
"""


@pytest.fixture()
def replay() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        server.route("/boos/api/v1/search", Reply(body=json.dumps(HOSTILE).encode(), content_type="application/json"))
        server.route("/slaapt/sru", Reply(body=b"<x/>", content_type="text/xml", delay=3.0))
        server.route("/groot", Reply(body=b"x" * 50_000, content_type="application/json"))
        server.route("/stroom", Reply(body=b"x" * 50_000, content_type="application/json", send_length=False))
        server.route("/verkeerd", Reply(status=302, headers={"Location": "http://127.0.0.1:9/elders"}))
        yield server


def client_for(tmp_path: Path, replay: ReplayServer, deadline: float = 8.0) -> FlaskClient:
    config = tmp_path / "sources.toml"
    config.write_text(SOURCES.format(base=replay.base_url, deadline=deadline))
    return create_app({"DATA_DIR": str(tmp_path / "leeg"), "CONFIG_PATH": str(config), "TESTING": True}).test_client()


def test_size_cap_with_and_without_content_length(replay: ReplayServer) -> None:
    assert len(get(replay.url("/groot"), 5.0, 60_000, "*/*")) == 50_000
    for path in ("/groot", "/stroom"):
        with pytest.raises(RemoteError, match="te groot"):
            get(replay.url(path), 5.0, 10_000, "*/*")


def test_redirects_are_not_followed_and_timeouts_are_timeouts(replay: ReplayServer) -> None:
    with pytest.raises(RemoteError, match="doorverwijzing"):
        get(replay.url("/verkeerd"), 5.0, 10_000, "*/*")
    with pytest.raises(RemoteTimeout):
        get(replay.url("/slaapt/sru"), 0.3, 10_000, "*/*")


def test_hostile_remote_text_is_escaped_and_links_are_dropped(tmp_path: Path, replay: ReplayServer) -> None:
    client = client_for(tmp_path, replay)
    html = client.get("/federated?q=mensenhandel&remote=boos").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;titel&#34;)&lt;/script&gt;" in html
    assert "javascript:" not in html and "onerror" not in html and "<mark>mensenhandel</mark>" in html
    data = client.get("/api/v1/federated?q=mensenhandel&remote=boos").get_json()
    assert data["hits"][0]["html_url"] == "" and data["hits"][0]["snippet"] == "<mark>mensenhandel</mark>"
    assert {e["name"]: e["status"] for e in data["endpoints"]} == {"lokaal": "ok", "boos": "ok"}  # no index yet: 0 hits


def test_the_global_deadline_cuts_a_remote_with_a_longer_timeout(tmp_path: Path, replay: ReplayServer) -> None:
    data = client_for(tmp_path, replay, deadline=0.4).get("/api/v1/federated?q=x&remote=slaapt&remote=boos").get_json()
    endpoints = {e["name"]: e for e in data["endpoints"]}
    assert endpoints["slaapt"]["status"] == "timeout" and endpoints["slaapt"]["elapsed_ms"] == 400
    assert endpoints["boos"]["status"] == "ok" and data["hits"][0]["endpoints"] == ["boos"]
    assert replay.hits_for("/slaapt/")[-1].status == 0  # answered before the slow remote did


def test_a_redirecting_remote_is_reported_and_nothing_else_is_contacted(tmp_path: Path, replay: ReplayServer) -> None:
    data = client_for(tmp_path, replay).get("/api/v1/federated?q=x&remote=verkeerd").get_json()
    verkeerd = next(e for e in data["endpoints"] if e["name"] == "verkeerd")
    assert verkeerd["status"] == "error" and "doorverwijzing" in verkeerd["reason"]


def test_without_config_or_query_the_page_still_works(tmp_path: Path, replay: ReplayServer) -> None:
    plain = create_app({"DATA_DIR": str(tmp_path / "leeg"), "CONFIG_PATH": None, "TESTING": True}).test_client()
    page = plain.get("/federated")
    assert page.status_code == 200 and "geen andere bronnen ingesteld" in page.get_data(as_text=True)
    assert plain.get("/api/v1/federated?q=x&remote=boos").status_code == 400
    assert plain.get("/api/v1/federated").status_code == 400
    assert client_for(tmp_path, replay).get("/federated").status_code == 200
    assert replay.hits == []
