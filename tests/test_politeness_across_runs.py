"""The delay between requests to one host holds across runs: the crawl state keeps when
each host was last asked (and the Crawl-delay then in force), and the next run's first
request waits out the rest. Spacing is read from the replay server's arrival times."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.config import Config
from indexer.fetch import CrawlState
from indexer.model import Request
from indexer.pipeline import make_fetcher
from indexer.settings import FetchSettings, PolitenessSettings, Settings
from tests.replay_server import ReplayServer

DELAY = 0.4


@pytest.fixture
def ccv():
    with ReplayServer("ccv") as server:
        yield server


def one_run(data_dir: Path, server: ReplayServer, paths: list[str], delay: float = DELAY) -> None:
    """A run as the pipeline makes it: a fresh fetcher over the state in ``data_dir``."""
    config = Config(path=data_dir / "sources.toml", settings=Settings(politeness=PolitenessSettings(delay=delay), fetch=FetchSettings(timeout=5.0)), sources=())
    with CrawlState(data_dir) as state:
        fetcher = make_fetcher(config, state)
        for path in paths:
            fetcher.fetch(Request(url=server.url(path), source="t", role="listing"))


def test_a_new_run_waits_out_the_delay_after_the_last_runs_last_request(ccv: ReplayServer, tmp_path: Path) -> None:
    one_run(tmp_path, ccv, ["/themas/jeugd/", "/page-sitemap.xml"])
    one_run(tmp_path, ccv, ["/themas/jeugd/"])
    times = [hit.at for hit in ccv.hits]  # robots.txt included: it is a request to the host too
    assert len(times) == 5
    assert all(b - a >= DELAY for a, b in zip(times, times[1:], strict=False)), times


def test_a_crawl_delay_learnt_last_run_holds_before_robots_txt_is_read_again(ccv: ReplayServer,
                                                                             tmp_path: Path) -> None:
    ccv.robots_txt = "User-agent: *\nCrawl-delay: 0.6\n"
    one_run(tmp_path, ccv, ["/themas/jeugd/"], delay=0.01)
    last_of_first = ccv.hits[-1].at
    one_run(tmp_path, ccv, ["/themas/jeugd/"], delay=0.01)
    first_of_second = ccv.hits[2].at  # run two's robots.txt
    assert first_of_second - last_of_first >= 0.6
    with CrawlState(tmp_path) as state:
        stored = state.host_time(ccv.url("/").split("/")[2])
    assert stored is not None and stored[1] == pytest.approx(0.6)


def test_hosts_never_asked_do_not_wait_and_state_is_per_host(tmp_path: Path) -> None:
    with CrawlState(tmp_path) as state:
        assert state.host_time("example.org") is None
        state.set_host_time("example.org", 1000.0, 2.0)
        state.set_host_time("example.org", 1001.5, 3.0)
        assert state.host_time("example.org") == (1001.5, 3.0)
        assert state.host_time("other.example") is None
