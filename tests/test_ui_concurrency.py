"""Searching never fails while the crawl writes: the production server (waitress, several
threads) answers clients that keep searching while a crawl commits batch after batch,
and it serves the new documents without a restart."""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from indexer.config import load_config
from indexer.pipeline import run_crawl
from tests.browser.server import serve_ui
from tests.conftest import CORPUS

CLIENTS = 3
BATCH_SIZE = 2


def write_config(tmp_path: Path, name: str, folder: str, include: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(f'[settings]\ndelay = 0.0\nbatch_size = {BATCH_SIZE}\n\n'
                    f'[[source]]\nname = "{name}"\nkind = "folder"\npath = "{CORPUS / folder}"\n'
                    f'include = ["{include}"]\n', encoding="utf-8")
    return path


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


class Searcher(threading.Thread):
    """A client that searches (HTML and JSON by turns) until told to stop; keeps what it saw."""

    def __init__(self, base: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.stop = base, stop
        self.totals: list[int] = []
        self.problems: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            self.check_api()
            self.check_page()

    def check_api(self) -> None:
        status, body = fetch(self.base + "/api/v1/search?q=&page_size=5")
        if status != 200:
            self.problems.append(f"api {status}: {body[:200]}")
            return
        data = json.loads(body)
        counted = sum(f["count"] for f in data["facets"]["source"])
        if counted != data["total"] or len(data["hits"]) != min(5, data["total"]):
            self.problems.append(f"inconsistent answer: total {data['total']}, facets {counted}")
        self.totals.append(data["total"])

    def check_page(self) -> None:
        status, body = fetch(self.base + "/?q=motie&sort=date-desc")
        if status != 200 or not body.rstrip().endswith("</html>") or 'id="resultaten-kop"' not in body:
            self.problems.append(f"page {status}: {body[-300:]}")


@pytest.mark.slow
def test_search_while_the_crawl_commits(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = run_crawl(load_config(write_config(tmp_path, "regelgeving", "regelgeving", "*.md")), data_dir,
                      log=lambda line: None)
    start = first.sources[0].new
    stop = threading.Event()
    with serve_ui(data_dir, threads=4) as base:
        clients = [Searcher(base, stop) for _ in range(CLIENTS)]
        for client in clients:
            client.start()
        crawl = run_crawl(load_config(write_config(tmp_path, "xml", "xml", "*.xml")), data_dir,
                          log=lambda line: None)
        stop.set()
        for client in clients:
            client.join(timeout=120)
        added = crawl.sources[0].new
        status, body = fetch(base + "/api/v1/search?q=")
        final_total = json.loads(body)["total"]
        page = fetch(base + "/?q=motie&source=xml")[1]
    assert added > 3 * BATCH_SIZE, "the crawl must commit several times"
    assert [p for c in clients for p in c.problems] == []
    for client in clients:
        assert client.totals and client.totals == sorted(client.totals), "a reader never goes back in time"
        assert client.totals[0] >= start and client.totals[-1] <= start + added
    seen = {total for client in clients for total in client.totals}
    assert len(seen) > 2, f"the clients should have searched between commits, saw only {seen}"
    assert final_total == start + added, "the server picked up the new index without a restart"
    assert int(re.search(r'id="resultaten-kop"[^>]*>\s*(\d+)', page).group(1)) > 0


@pytest.mark.slow
def test_search_while_the_index_is_rebuilt_and_swapped(tmp_path: Path) -> None:
    from indexer.citekeys import canonical_keys
    from indexer.index import rebuild

    data_dir = tmp_path / "data"
    crawl = run_crawl(load_config(write_config(tmp_path, "xml", "xml", "*.xml")), data_dir, log=lambda line: None)
    count = crawl.sources[0].new
    before = (data_dir / "CURRENT").read_text() if (data_dir / "CURRENT").exists() else "index"
    stop = threading.Event()
    with serve_ui(data_dir, threads=4) as base:
        clients = [Searcher(base, stop) for _ in range(CLIENTS)]
        for client in clients:
            client.start()
        rebuilt = rebuild(data_dir, canonical_keys)
        stop.set()
        for client in clients:
            client.join(timeout=120)
        after = fetch(base + "/api/v1/search?q=")[1]
    assert rebuilt == count and (data_dir / "CURRENT").read_text().strip() != before
    assert [p for c in clients for p in c.problems] == []
    assert all(set(c.totals) == {count} for c in clients)
    assert json.loads(after)["total"] == count
