"""Deletions that do not stop: sweeps per URL (a failing link keeps what it hides, the rest
is swept) and 404/410 pages removed once, then remembered as gone instead of failing every
later run. Against the replayed CCV site: the seed page links the report and the theme
page, the theme page links the factsheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.fetch import CrawlState
from tests.crawl_helpers import by_source, crawl, documents, write_config
from tests.replay_server import FIXTURES, ReplayServer, Reply
from tests.test_crawl_incremental import FACTSHEET, REPORT, ccv_website

THEME = "/themas/jeugd/"


@pytest.fixture
def server():
    with ReplayServer("ccv") as replay:
        yield replay


def ccv_config(server: ReplayServer, path: Path, **settings: object) -> Path:
    return write_config(path, [ccv_website(server)], **settings)


def seed_path(server: ReplayServer) -> str:
    return str(ccv_website(server)["seeds"][0]).removeprefix(server.base_url)  # type: ignore[index]


def doc_id(server: ReplayServer, path: str) -> str:
    return "ccv:" + server.base_url.split("//")[1] + path


def seed_page_without(server: ReplayServer, path: str, instead: str = "/elders.html") -> None:
    html = (FIXTURES / "ccv" / "onderwerp-roma.html").read_bytes().replace(path.encode(), instead.encode())
    server.set_body(seed_path(server), html, "text/html; charset=UTF-8")


def test_a_link_that_always_fails_does_not_stop_the_sweep(server: ReplayServer, tmp_path: Path) -> None:
    config = ccv_config(server, tmp_path / "s.toml")
    data = tmp_path / "data"
    crawl(config, data)
    first = documents(data)
    assert len(first) == 4
    server.hits.clear()
    server.route(FACTSHEET, Reply(status=500, body=b"Internal Server Error"))
    seed_page_without(server, REPORT)  # the report was taken off the site
    server.gone(REPORT, status=404)

    for _ in range(2):  # and again: the failing link keeps failing, nothing else changes
        summary, _ = crawl(config, data)
        result = by_source(summary, "ccv")
        assert summary.exit_code == 1 and [url for url, _ in result.failures] == [server.url(FACTSHEET)]
        after = documents(data)
        assert doc_id(server, REPORT) not in after and len(after) == 3
        assert after[doc_id(server, FACTSHEET)] == first[doc_id(server, FACTSHEET)]  # kept as it was
    assert not server.hits_for(REPORT)  # no longer linked: never asked, swept


def test_a_failing_page_keeps_what_it_linked_to_until_it_answers_again(server: ReplayServer,
                                                                        tmp_path: Path) -> None:
    config = ccv_config(server, tmp_path / "s.toml")
    data = tmp_path / "data"
    crawl(config, data)
    server.route(THEME, Reply(status=500, body=b"Internal Server Error"))
    seed_page_without(server, REPORT)

    for _ in range(2):
        summary, _ = crawl(config, data)
        assert summary.exit_code == 1 and by_source(summary, "ccv").failures[0][0] == server.url(THEME)
        after = documents(data)
        assert doc_id(server, REPORT) not in after  # swept although another URL failed
        assert {doc_id(server, THEME), doc_id(server, FACTSHEET)} <= set(after)  # hidden by the failure

    theme = (FIXTURES / "ccv" / "thema-jeugd.html").read_bytes().replace(FACTSHEET.encode(), b"/weg.html")
    server.route(THEME, Reply(body=theme, content_type="text/html; charset=UTF-8"))
    summary, _ = crawl(config, data)
    assert summary.exit_code == 0 and by_source(summary, "ccv").deleted == 1
    assert doc_id(server, FACTSHEET) not in documents(data)


def test_a_gone_page_is_removed_once_then_remembered_not_failed(server: ReplayServer, tmp_path: Path) -> None:
    config = ccv_config(server, tmp_path / "s.toml")
    recheck_now = ccv_config(server, tmp_path / "recheck.toml", gone_recheck_days=0)
    data = tmp_path / "data"
    crawl(config, data)
    server.gone(REPORT)  # still linked, answers 410

    summary, _ = crawl(config, data)
    assert summary.exit_code == 0 and by_source(summary, "ccv").deleted == 1
    server.hits.clear()
    summary, lines = crawl(config, data)  # before: "niet gevonden (HTTP 410)", exit 1 on every run
    result = by_source(summary, "ccv")
    assert summary.exit_code == 0 and (result.failed, result.gone, result.deleted) == (0, 1, 0)
    assert not server.hits_for(REPORT) and "1 verdwenen (404/410)" in lines[-1]
    with CrawlState(data) as state:
        row = state.get(server.url(REPORT))
        assert row is not None and (row.status, row.last_error) == ("gone", "HTTP 410")

    summary, _ = crawl(recheck_now, data)  # the slow schedule came round: asked, still gone
    assert summary.exit_code == 0 and by_source(summary, "ccv").gone == 1
    assert [hit.status for hit in server.hits_for(REPORT)] == [410]

    server.route(REPORT, Reply(body=(FIXTURES / "ccv" / "stand-in-report.pdf").read_bytes(),
                               content_type="application/pdf"))
    summary, _ = crawl(recheck_now, data)  # back on the site: indexed again
    assert summary.exit_code == 0 and by_source(summary, "ccv").new == 1
    assert doc_id(server, REPORT) in documents(data)
    with CrawlState(data) as state:
        assert state.get(server.url(REPORT)).status == "indexed"  # type: ignore[union-attr]


def test_a_broken_link_is_reported_once_then_remembered_as_gone(server: ReplayServer, tmp_path: Path) -> None:
    seed_page_without(server, REPORT, instead="/bestaat-niet.pdf")
    config = ccv_config(server, tmp_path / "s.toml")
    summary, _ = crawl(config, tmp_path / "data")
    result = by_source(summary, "ccv")
    assert summary.exit_code == 1 and result.failures == [(server.url("/bestaat-niet.pdf"),
                                                            "niet gevonden (HTTP 404)")]
    summary, _ = crawl(config, tmp_path / "data")
    assert summary.exit_code == 0 and by_source(summary, "ccv").gone == 1
