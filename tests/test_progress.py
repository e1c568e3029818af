"""Crawl progress: plain periodic lines in a log, a redrawn line on a terminal, with
documents done, rate and the time left for the known queue. A stepped clock makes the
intervals exact; a real crawl of a folder shows the lines in its log."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import indexer.progress
from indexer.config import load_config
from indexer.pipeline import run_crawl
from indexer.progress import Progress

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


class SteppedClock:
    """A clock that moves one second per reading (deterministic intervals)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_a_log_gets_a_plain_line_every_interval_with_rate_and_time_left() -> None:
    lines: list[str] = []
    stream = io.StringIO()
    progress = Progress("wodc", lines.append, stream=stream, live=False, clock=SteppedClock(), log_every=10)
    progress.start(None)
    for done in range(1, 31):
        progress.tick(queued=60 - done, documents=done)
    assert lines[0] == "wodc: begonnen"
    periodic = lines[1:]
    assert len(periodic) == 3, periodic  # one per 10 seconds of a 30-second run
    assert periodic[0].startswith("wodc: 10 opgehaald, 10 documenten, 1,0/s, 50 in de wachtrij, nog ~")
    assert "nog ~50 s" in periodic[0]
    assert stream.getvalue() == "", "no terminal codes in a log"


def test_a_terminal_gets_one_redrawn_line_cleared_at_the_end() -> None:
    stream = io.StringIO()
    progress = Progress("ccv", lambda line: None, stream=stream, live=True, clock=SteppedClock())
    progress.start("2024-01-01")
    for done in range(1, 4):
        progress.tick(queued=1200, documents=done)
    progress.done()
    drawn = stream.getvalue()
    assert drawn.count("\r") == 4 and drawn.endswith("\r\x1b[K")
    assert "ccv: 3 opgehaald, 3 documenten" in drawn and "1.200 in de wachtrij" in drawn and "nog ~" in drawn


def test_no_estimate_without_a_queue() -> None:
    progress = Progress("x", lambda line: None, stream=io.StringIO(), live=False, clock=SteppedClock())
    progress.tick(queued=0, documents=1)
    assert "nog" not in progress.line()


def test_a_crawl_logs_progress_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for source in sorted((CORPUS / "html").iterdir())[:3]:
        shutil.copy(source, folder / source.name)
    config = tmp_path / "sources.toml"
    config.write_text('[[source]]\nname = "map"\nkind = "folder"\npath = "docs"\n', encoding="utf-8")
    monkeypatch.setattr(indexer.progress, "LOG_EVERY_SECONDS", 0.0)  # a line per request
    lines: list[str] = []
    run_crawl(load_config(config), tmp_path / "data", log=lines.append)
    progress = [line for line in lines if " opgehaald, " in line]
    assert len(progress) >= 3, lines
    assert progress[-1].startswith("map: 4 opgehaald, "), progress  # the listing, three files
    assert " documenten, " in progress[-1] and "/s, 0 in de wachtrij" in progress[-1]
