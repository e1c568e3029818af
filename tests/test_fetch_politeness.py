"""The fetch layer against a real HTTP server on 127.0.0.1: robots.txt, per-host
spacing, Retry-After, back-off, conditional GET, gone/not-found, redirect loops,
size caps, timeouts and the User-Agent. Spacing is asserted on the server's
request arrival times, never on a wall-clock budget."""

from __future__ import annotations

import pytest

from indexer.fetch import Fetcher, FetchError, PolitenessSettings, RobotsDisallowed
from indexer.fetch.client import USER_AGENT
from indexer.model import ROLE_DOCUMENT, Request
from tests.replay_server import FIXTURES, ReplayServer, Reply

DELAY = 0.05


def fetcher(**overrides: object) -> Fetcher:
    settings = PolitenessSettings(delay=DELAY, max_retries=2, backoff=0.05, max_retry_after=2)
    options: dict[str, object] = {"timeout": 5.0, "settings": settings}
    options.update(overrides)
    return Fetcher(**options)  # type: ignore[arg-type]


def get(client: Fetcher, server: ReplayServer, path: str, role: str = "listing"):
    return client.fetch(Request(url=server.url(path), source="t", role=role))


def gaps(server: ReplayServer, prefix: str) -> list[float]:
    times = [hit.at for hit in server.hits_for(prefix)]
    return [b - a for a, b in zip(times, times[1:], strict=False)]


@pytest.fixture
def ccv():
    with ReplayServer("ccv") as server:
        yield server


def test_robots_disallow_raises_a_distinct_error_and_sends_nothing(ccv: ReplayServer) -> None:
    client = fetcher()
    with pytest.raises(RobotsDisallowed) as caught:
        get(client, ccv, "/zoeken/?q=roma")
    assert "robots.txt" in caught.value.reason
    assert ccv.hits_for("/zoeken/") == []
    assert len(ccv.hits_for("/robots.txt")) == 1
    assert get(client, ccv, "/themas/jeugd/").status == 200
    assert len(ccv.hits_for("/robots.txt")) == 1, "robots.txt is cached per host"


def test_robots_group_for_our_agent_wins_over_star(ccv: ReplayServer) -> None:
    ccv.robots_txt = "User-agent: *\nDisallow: /\n\nUser-agent: bronzoeker\nAllow: /themas/\nDisallow: /\n"
    client = fetcher()
    assert get(client, ccv, "/themas/jeugd/").status == 200
    with pytest.raises(RobotsDisallowed):
        get(client, ccv, "/page-sitemap.xml")


def test_crawl_delay_from_robots_spaces_requests(ccv: ReplayServer) -> None:
    ccv.robots_txt = "User-agent: *\nCrawl-delay: 0.3\n"
    client = fetcher()
    for _ in range(3):
        get(client, ccv, "/themas/jeugd/")
    assert len(gaps(ccv, "/themas/")) == 2
    assert all(gap >= 0.3 for gap in gaps(ccv, "/themas/"))


def test_one_host_requests_are_spaced_by_the_configured_delay(ccv: ReplayServer) -> None:
    client = fetcher()
    for path in ["/themas/jeugd/", "/page-sitemap.xml", "/sitemap_index.xml", "/themas/jeugd/"]:
        get(client, ccv, path)
    times = [hit.at for hit in ccv.hits if hit.path != "/robots.txt"]
    assert len(times) == 4
    assert all(b - a >= DELAY for a, b in zip(times, times[1:], strict=False))


def test_robots_unreachable_means_disallow_and_missing_means_allow() -> None:
    with ReplayServer() as server:
        server.route("/robots.txt", Reply(status=503))
        client = fetcher()
        with pytest.raises(FetchError, match=r"robots.txt unreachable \(HTTP 503") as caught:
            get(client, server, "/x")
        assert not isinstance(caught.value, RobotsDisallowed)  # a failure, not "skipped by robots"
    with ReplayServer() as server:  # no robots.txt at all: 404
        server.route("/x", Reply(body=b"hello"))
        assert get(fetcher(), server, "/x").body == b"hello"


def test_429_with_retry_after_is_waited_out(ccv: ReplayServer) -> None:
    ccv.once("/themas/jeugd/", Reply(status=429, headers={"Retry-After": "1"}))
    response = get(fetcher(), ccv, "/themas/jeugd/")
    assert response.status == 200
    hits = ccv.hits_for("/themas/jeugd/")
    assert [h.status for h in hits] == [429, 200]
    assert hits[1].at - hits[0].at >= 1.0


def test_503_is_retried_with_backoff_then_reported(ccv: ReplayServer) -> None:
    ccv.once("/themas/jeugd/", Reply(status=503), Reply(status=503))
    assert get(fetcher(), ccv, "/themas/jeugd/").status == 200
    assert [h.status for h in ccv.hits_for("/themas/jeugd/")] == [503, 503, 200]
    ccv.route("/page-sitemap.xml", Reply(status=500))
    with pytest.raises(FetchError, match="HTTP 500 \\(after 3 attempts\\)"):
        get(fetcher(), ccv, "/page-sitemap.xml")
    assert len(ccv.hits_for("/page-sitemap.xml")) == 3


def test_conditional_get_sends_stored_validators_and_gets_304(ccv: ReplayServer) -> None:
    path = "/app/uploads/2021/11/factsheet-jeugd.pdf"
    first = get(fetcher(), ccv, path, ROLE_DOCUMENT)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    stored = {ccv.url(path): (etag, last_modified)}
    client = fetcher(validators=stored.get)
    second = get(client, ccv, path, ROLE_DOCUMENT)
    assert second.status == 304 and second.body == b""
    assert ccv.hits_for(path)[-1].headers["if-none-match"] == etag
    ccv.set_body(path, b"%PDF-1.4 changed")
    third = get(client, ccv, path, ROLE_DOCUMENT)
    assert third.status == 200 and third.body == b"%PDF-1.4 changed"


def test_gone_and_not_found_are_answers_not_errors(ccv: ReplayServer) -> None:
    ccv.gone("/themas/jeugd/")
    assert get(fetcher(), ccv, "/themas/jeugd/").status == 410
    assert get(fetcher(), ccv, "/no/such/page").status == 404


def test_fout404_page_answering_200_counts_as_not_found() -> None:
    with ReplayServer("sru") as server:
        response = get(fetcher(), server, "/officielepublicaties/kst-28638-999/kst-28638-999.xml")
    assert response.status == 404
    assert "fout404" in response.url
    assert [h.status for h in server.hits if h.path != "/robots.txt"] == [302, 200]


def test_redirect_loop_is_refused_with_a_reason(ccv: ReplayServer) -> None:
    ccv.route("/loop/a", Reply(status=302, headers={"Location": "/loop/b"}))
    ccv.route("/loop/b", Reply(status=301, headers={"Location": "{{BASE}}/loop/a"}))
    with pytest.raises(FetchError) as caught:
        get(fetcher(), ccv, "/loop/a")
    assert caught.value.reason.startswith("redirect loop")
    assert len(ccv.hits_for("/loop/")) == 2


def test_redirect_chain_longer_than_the_limit_is_refused(ccv: ReplayServer) -> None:
    for n in range(4):
        ccv.route(f"/hop/{n}", Reply(status=302, headers={"Location": f"/hop/{n + 1}"}))
    ccv.route("/hop/4", Reply(body=b"end"))
    assert get(fetcher(), ccv, "/hop/0").body == b"end"
    with pytest.raises(FetchError, match="too many redirects"):
        get(fetcher(max_redirects=2), ccv, "/hop/0")


@pytest.mark.parametrize("send_length", [True, False])
def test_oversized_body_is_refused(ccv: ReplayServer, send_length: bool) -> None:
    ccv.route("/big.pdf", Reply(body=b"%PDF" + b"0" * 300_000, content_type="application/pdf",
                                send_length=send_length))
    with pytest.raises(FetchError, match="exceeds the limit of 100000"):
        get(fetcher(max_bytes=100_000), ccv, "/big.pdf", ROLE_DOCUMENT)


def test_slow_response_times_out_with_a_reason(ccv: ReplayServer) -> None:
    ccv.route("/slow", Reply(body=b"late", delay=1.5))
    with pytest.raises(FetchError, match="timed out"):
        get(fetcher(timeout=0.3, settings=PolitenessSettings(delay=DELAY, max_retries=1, backoff=0.05)),
            ccv, "/slow")
    assert len(ccv.hits_for("/slow")) == 2, "a timeout is retried once"


def test_user_agent_is_honest_and_not_blocked_by_dspace_rules(ccv: ReplayServer) -> None:
    get(fetcher(), ccv, "/themas/jeugd/")
    agent = ccv.hits_for("/themas/")[0].headers["user-agent"]
    assert agent == USER_AGENT
    assert "https://" in agent
    assert "fetch" not in agent.lower() and "libwww" not in agent.lower()


def test_file_urls_are_still_answered_locally(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("hallo")
    client = fetcher()
    listing = client.fetch(Request(url=tmp_path.as_uri() + "/", source="t"))
    assert b'"a.txt"' in listing.body
    assert client.fetch(Request(url=(tmp_path / "a.txt").as_uri(), source="t")).body == b"hallo"


def test_gzip_bodies_are_inflated_within_the_size_cap(ccv: ReplayServer) -> None:
    import gzip

    text = b"<html><body>" + b"multiprobleemgezinnen " * 5000 + b"</body></html>"
    ccv.route("/gz", Reply(body=gzip.compress(text), content_type="text/html",
                           headers={"Content-Encoding": "gzip"}))
    response = get(fetcher(), ccv, "/gz")
    assert response.body == text and "content-encoding" not in response.headers
    assert ccv.hits_for("/gz")[0].headers["accept-encoding"] == "gzip"
    with pytest.raises(FetchError, match="decompressed body exceeds the limit of 50000"):
        get(fetcher(max_bytes=50_000), ccv, "/gz")


def test_dspace_robots_rules_block_fetch_and_libwww_agents_but_not_ours() -> None:
    from indexer.fetch.robots import parse_robots

    rules = parse_robots((FIXTURES / "wodc" / "robots.txt").read_text())
    base = "https://repository.wodc.nl"
    assert rules.allowed(USER_AGENT, base + "/server/oai/request?verb=ListRecords&metadataPrefix=oai_dc")
    assert rules.allowed(USER_AGENT, base + "/handle/20.500.12832/2871")
    assert not rules.allowed(USER_AGENT, base + "/search?query=roma")
    assert not rules.allowed(USER_AGENT, base + "/entities/publication/x?f.author=y")
    assert not rules.allowed("libwww-perl/6.72", base + "/handle/20.500.12832/2871")
    assert not rules.allowed("Fetch/2.0", base + "/server/oai/request")
    assert rules.sitemaps == ["{{BASE}}/sitemap_index.xml", "{{BASE}}/sitemap_index.html"]


def test_a_huge_retry_after_is_capped(ccv: ReplayServer) -> None:
    ccv.once("/themas/jeugd/", Reply(status=503, headers={"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"}))
    client = fetcher(settings=PolitenessSettings(delay=DELAY, max_retries=1, backoff=0.05, max_retry_after=0.3))
    assert get(client, ccv, "/themas/jeugd/").status == 200
    first, second = ccv.hits_for("/themas/jeugd/")
    assert (first.status, second.status) == (503, 200) and second.at - first.at >= 0.3
