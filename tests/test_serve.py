"""``indexer serve`` as a real subprocess on 127.0.0.1: it keeps answering while 100
idle TCP connections are open, closes idle connections after its channel timeout, and
writes an access log in the common log format. The time bounds are failure guards
(a hung server), not speed measurements."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

GUARD = 10.0  # seconds: far more than any answer takes; only a hung server gets near it
CLF = re.compile(r'^(?P<host>\S+) - - \[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] '
                 r'"(?P<request>[^"\\]*(?:\\.[^"\\]*)*)" (?P<status>\d{3}) (?P<bytes>\d+|-)$')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def indexer_serve(data_dir: Path, log: Path, *options: str) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "indexer.cli", "serve", "--data-dir", str(data_dir),
               "--host", "127.0.0.1", "--port", str(port), *options]
    with log.open("w") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=GUARD)


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "indexer serve exited"
        try:
            with urllib.request.urlopen(base + "/opensearch.xml", timeout=GUARD):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("indexer serve did not come up")


def logged_lines(log: Path, expected: str) -> list[str]:
    """The log's lines once ``expected`` is in it (a line is written when its response closes)."""
    deadline = time.monotonic() + GUARD
    while expected not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    return log.read_text().splitlines()


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=GUARD) as response:
        return response.status, response.read()


def test_a_query_is_answered_while_100_idle_connections_are_open(demo_data: Path, tmp_path: Path) -> None:
    with indexer_serve(demo_data, tmp_path / "stderr.log") as base, ExitStack() as idle:
        host, port = base.removeprefix("http://").split(":")
        for _ in range(100):
            idle.enter_context(socket.create_connection((host, int(port)), timeout=GUARD))
        status, body = get(base + "/api/v1/search?q=uitbuiting")
        assert status == 200 and b'"total"' in body
        status, _ = get(base + "/?q=roma")
        assert status == 200


def test_access_log_in_common_log_format_on_stderr_and_to_a_file(demo_data: Path, tmp_path: Path) -> None:
    stderr = tmp_path / "stderr.log"
    with indexer_serve(demo_data, stderr) as base:
        get(base + "/api/v1/search?q=uitbuiting%20roma")
        lines = [line for line in logged_lines(stderr, "/api/v1/search") if CLF.match(line)]
    logged = [CLF.match(line) for line in lines if "/api/v1/search" in line]
    assert logged and logged[0]["host"] == "127.0.0.1" and logged[0]["status"] == "200"
    assert logged[0]["request"] == "GET /api/v1/search?q=uitbuiting%20roma HTTP/1.1"
    assert int(logged[0]["bytes"]) > 100

    access = tmp_path / "access.log"
    with indexer_serve(demo_data, tmp_path / "stderr2.log", "--access-log", str(access)) as base:
        get(base + "/status")
        with socket.create_connection((base.removeprefix("http://").split(":")[0], int(base.rsplit(":", 1)[1]))) as raw:
            raw.sendall(b'GET /"forged\\x" HTTP/1.0\r\n\r\n')
            raw.recv(65536)
        lines = logged_lines(access, "forged")
    assert lines and all(CLF.match(line) for line in lines), lines
    assert any('"GET /status HTTP/1.1" 200 ' in line for line in lines)
    assert any('\\"forged' in line for line in lines), "a quote in the URL is escaped, not a field end"
    assert "GET /status" not in (tmp_path / "stderr2.log").read_text()


def test_idle_connections_are_closed_after_the_channel_timeout(demo_data: Path, tmp_path: Path) -> None:
    with indexer_serve(demo_data, tmp_path / "stderr.log", "--channel-timeout", "1",
                       "--connection-limit", "20", "--threads", "2") as base:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=GUARD * 3) as idle:
            assert idle.recv(1) == b"", "the server closed the idle connection"
        assert get(base + "/api/v1/search?q=motie")[0] == 200
