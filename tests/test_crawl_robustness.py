"""A crawl that is safe to schedule: robots.txt and the per-host delay honoured, bad
documents (malformed PDF, redirect loop, oversized body) failing alone with a reason and
exit code 1, a second concurrent run refused with exit code 2, and a run killed with
SIGKILL mid-way that, started again, ends with the same index as an uninterrupted run."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import pytest

from indexer.check import check
from indexer.fetch import CrawlState
from tests.crawl_helpers import by_source, crawl, crawl_subprocess, documents, fingerprint, write_config
from tests.replay_server import FIXTURES, ReplayServer, Reply
from tests.test_crawl_incremental import ccv_website


@pytest.fixture
def server():
    with ReplayServer("ccv", "tk") as replay:
        yield replay


def test_robots_disallow_and_crawl_delay_are_honoured(server: ReplayServer, tmp_path: Path) -> None:
    server.robots_txt = "User-agent: *\nDisallow: /themas/\nCrawl-delay: 0.2\n"
    summary, lines = crawl(write_config(tmp_path / "s.toml", [ccv_website(server)]), tmp_path / "data")
    result = by_source(summary, "ccv")
    assert summary.exit_code == 0 and result.skipped_robots == 1 and result.failed == 0
    assert server.hits_for("/themas/") == [], "a disallowed page is never requested"
    assert not any("/themas/" in doc_id for doc_id in documents(tmp_path / "data"))
    assert "1 overgeslagen (robots)" in lines[-1]
    times = [h.at for h in server.hits if h.path != "/robots.txt"]
    assert len(times) == 2 and all(b - a >= 0.2 for a, b in zip(times, times[1:], strict=False))
    with CrawlState(tmp_path / "data") as state:
        assert state.get(server.url("/themas/jeugd/")).status == "skipped"  # type: ignore[union-attr]


def test_requests_to_one_host_keep_the_configured_delay(server: ReplayServer, tmp_path: Path) -> None:
    crawl(write_config(tmp_path / "s.toml", [ccv_website(server)], delay=0.15), tmp_path / "data")
    times = [h.at for h in server.hits]
    assert len(times) == 5  # robots.txt, two pages, two PDFs
    assert all(b - a >= 0.15 for a, b in zip(times, times[1:], strict=False))


LINKS_PAGE = b"""<!DOCTYPE html><html lang="nl"><head><title>Documenten</title></head><body><ul>
<li><a href="/docs/evaluatie.pdf">Evaluatie</a></li><li><a href="/docs/kapot.pdf">Kapot</a></li>
<li><a href="/docs/lus.pdf">Lus</a></li><li><a href="/docs/groot.pdf">Groot</a></li></ul></body></html>"""


def test_bad_documents_fail_alone_with_reasons_and_exit_code_1(server: ReplayServer, tmp_path: Path) -> None:
    server.route("/docs/", Reply(body=LINKS_PAGE, content_type="text/html"))
    server.route("/docs/evaluatie.pdf", Reply(body=(FIXTURES / "ccv" / "stand-in-factsheet.pdf").read_bytes(),
                                              content_type="application/pdf"))
    server.route("/docs/kapot.pdf", Reply(body=(FIXTURES / "ccv" / "truncated.pdf").read_bytes(),
                                          content_type="application/pdf"))
    server.route("/docs/lus.pdf", Reply(status=302, headers={"Location": "/docs/lus.pdf?v=2"}))
    server.route("/docs/lus.pdf", Reply(status=302, headers={"Location": "/docs/lus.pdf"}), query={"v": "2"})
    server.route("/docs/groot.pdf", Reply(body=b"%PDF-1.4" + b"0" * 80_000, content_type="application/pdf"))
    source = {"name": "ccv", "kind": "website", "seeds": [server.url("/docs/")], "documents": r"\.pdf$"}
    summary, _ = crawl(write_config(tmp_path / "s.toml", [source], max_bytes=60_000), tmp_path / "data")
    result = by_source(summary, "ccv")
    assert summary.exit_code == 1 and (result.new, result.failed) == (1, 3)
    reasons = dict(result.failures)
    assert reasons[server.url("/docs/lus.pdf")].startswith("redirect loop")
    assert "exceeds the limit of 60000" in reasons[server.url("/docs/groot.pdf")]
    assert server.url("/docs/kapot.pdf") in reasons
    host = server.base_url.split("//")[1]
    assert list(documents(tmp_path / "data")) == [f"ccv:{host}/docs/evaluatie.pdf"]
    record = json.loads(Path(summary.record_path).read_text())
    assert record["exit_code"] == 1 and len(record["sources"][0]["failures"]) == 3
    with CrawlState(tmp_path / "data") as state:
        assert state.runs()[0]["exit_code"] == 1
        assert state.get(server.url("/docs/kapot.pdf")).status == "failed"  # type: ignore[union-attr]


def tk_config(server: ReplayServer, path: Path, delay: float, workers: int = 1, run_ahead: int = 1) -> Path:
    source = {"name": "tweedekamer", "kind": "tk_odata", "endpoint": server.url("/OData/v4/2.0"),
              "filter": "Kamerstukdossier/any(d: d/Nummer eq 28638)"}
    return write_config(path, [source], delay=delay, batch_size=1, extract_workers=workers,
                        extract_run_ahead=run_ahead)


RESOURCE = "/OData/v4/2.0/Document({})/resource"
FOURTH = RESOURCE.format("a57a16ff-b1d5-4580-b3a4-0ca486833713")  # first document of page 2
PDF = (FIXTURES / "tk" / "resource.pdf").read_bytes()


def wait_for_hits(server: ReplayServer, path: str, process) -> None:  # type: ignore[no-untyped-def]
    """Until the crawl subprocess has asked for ``path`` (or ended)."""
    for _ in range(1200):
        if server.hits_for(path) or process.poll() is not None:
            return
        time.sleep(0.05)


def test_second_concurrent_run_exits_2_with_a_clear_message(server: ReplayServer, tmp_path: Path) -> None:
    config = tk_config(server, tmp_path / "s.toml", delay=0.05)
    release = threading.Event()  # the first run waits on this answer until the second has ended
    server.once(FOURTH, Reply(body=PDF, content_type="application/pdf", hold=release))
    first = crawl_subprocess(config, tmp_path / "data")
    try:
        wait_for_hits(server, FOURTH, first)
        assert first.poll() is None, "the first crawl is still running"
        second = crawl_subprocess(config, tmp_path / "data")
        _, err = second.communicate(timeout=60)
        assert second.returncode == 2, err
        assert "er loopt al een crawl" in err
    finally:
        release.set()
        _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert len(documents(tmp_path / "data")) == 6


@pytest.mark.parametrize("workers, run_ahead, committed", [
    # one worker: the first two committed one by one; the third was extracted in the worker
    # while the fourth was fetched, and is lost with the kill (the restart redoes it)
    (1, 1, 2),
    # a pool of two: the first committed; the second and third were in the workers
    (2, 1, 1),
    # workers running ahead (the default): all three were sent to them, none indexed yet
    (2, 400, 0),
])
def test_killed_run_restarted_ends_with_the_same_index(server: ReplayServer, tmp_path: Path, workers: int,
                                                      run_ahead: int, committed: int) -> None:
    reference = tmp_path / "reference"
    summary, _ = crawl(tk_config(server, tmp_path / "fast.toml", delay=0.05, workers=workers,
                                 run_ahead=run_ahead), reference)
    assert summary.exit_code == 0
    config = tk_config(server, tmp_path / "kill.toml", delay=0.05, workers=workers, run_ahead=run_ahead)
    server.hits.clear()
    server.once(FOURTH, Reply(body=PDF, content_type="application/pdf", delay=30.0))  # never answered in time
    victim = crawl_subprocess(config, tmp_path / "data")
    wait_for_hits(server, FOURTH, victim)
    assert victim.poll() is None, "the crawl is mid-way, waiting for the fourth document"
    victim.send_signal(signal.SIGKILL)  # the crawl process only, as `kill -9 PID` would
    assert victim.wait(timeout=30) == -signal.SIGKILL
    for stream in (victim.stdout, victim.stderr):
        stream.close()  # type: ignore[union-attr]
    partial = fingerprint(tmp_path / "data")
    assert len(partial) == committed, "what the commits before the kill held, nothing still in a worker"
    with CrawlState(tmp_path / "data") as state:
        assert state.cursor("tweedekamer") is None
        assert state.indexed_doc_ids("tweedekamer") == set(partial), "URL state only after the commit"

    rerun = crawl_subprocess(config, tmp_path / "data")
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert fingerprint(tmp_path / "data") == fingerprint(reference)
    assert f"{6 - committed} nieuw, 0 gewijzigd, {committed} ongewijzigd" in err
    assert not check(tmp_path / "data").damaged  # the document store is in step with the index again
    with CrawlState(tmp_path / "data") as state:
        assert state.cursor("tweedekamer") == "2025-06-12T11:27:27.1002685Z"
        assert len(state.indexed_doc_ids("tweedekamer")) == len(fingerprint(reference))
