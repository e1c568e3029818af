"""A taken port is said at once, in Dutch, with how to choose another (issue 15): before
``make demo`` crawls, and by ``indexer serve`` instead of an OSError traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

INDEXER = Path(sys.executable).parent / "indexer"


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_make_demo_checks_the_port_before_it_crawls(busy_port: int, tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = subprocess.run(["make", "--no-print-directory", "demo", f"PORT={busy_port}", f"DATA={data}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode != 0
    assert f"fout: poort {busy_port} op 127.0.0.1 is al in gebruik" in done.stderr
    assert f"make demo PORT={busy_port + 1}" in done.stderr and "Traceback" not in done.stderr
    assert not data.exists(), "nothing was crawled"


def test_serve_on_a_busy_port_is_one_line_and_exit_2(busy_port: int, tmp_path: Path) -> None:
    done = subprocess.run([str(INDEXER), "serve", "--port", str(busy_port), "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"fout: poort {busy_port} op 127.0.0.1 is al in gebruik door een ander programma: kies een andere "
        f"poort, bijvoorbeeld `make demo PORT={busy_port + 1}` of `indexer serve --port {busy_port + 1}`"]


def test_a_free_port_passes_the_check() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = subprocess.run([sys.executable, "-m", "indexer.ports", "--port", str(port)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stderr == ""
