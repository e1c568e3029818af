"""The real server under load: `indexer serve` (waitress) over an index, queried through
its JSON API on 127.0.0.1; reports its peak memory (VmHWM) and the HTTP latency."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from bench import stats, workdir
from bench.engines.ours import REQUESTS
from bench.queries import BenchQuery

STARTUP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(data_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`indexer serve` on a free local port; yields the process and the API's search URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "indexer.cli", "serve", "--data-dir", str(data_dir),
                                "--host", "127.0.0.1", "--port", str(port), "--threads", "4"],
                               cwd=workdir.PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process)
        yield process, f"http://127.0.0.1:{port}/api/v1/search"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"indexer serve exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("indexer serve did not start listening in time")


def api_url(base: str, query: BenchQuery) -> str:
    text, _facets, sort = REQUESTS[query.cls](query.words)
    return base + "?" + urllib.parse.urlencode({"q": text, "sort": sort})


def server_figures(data_dir: Path, queries: list[BenchQuery]) -> dict[str, Any]:
    """Peak memory of the server process while it answers ``queries`` (facets on, as the UI)."""
    workdir.read_all(data_dir)  # as the query runs: the index in the page cache, whatever ran before
    with running_server(data_dir) as (process, base):
        idle = stats.proc_peak_rss_mb(process.pid)
        times, anon = [], [stats.proc_anon_mb(process.pid)]
        for query in queries:
            started = time.perf_counter()
            with urllib.request.urlopen(api_url(base, query), timeout=120) as response:
                response.read()
            times.append(time.perf_counter() - started)
            anon.append(stats.proc_anon_mb(process.pid))
        peak = stats.proc_peak_rss_mb(process.pid)
    return {"queries": len(times), "peak_rss_mb": peak, "rss_after_start_mb": idle, "peak_anon_mb": max(anon),
            "http_median_ms": stats.median_ms(times), "http_p95_ms": stats.p95_ms(times)}
