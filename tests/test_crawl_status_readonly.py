"""The status pages read the crawl state without ever writing to it: a web process that may
only read the data directory still shows every source's last crawl and failures."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from pathlib import Path

from click.testing import CliRunner

from indexer.cli import main
from indexer.fetch.state import STATE_FILE, CrawlState
from indexer.pipeline import RunSummary, SourceSummary
from search_ui import create_app


def data_dir_with_history(demo_data: Path, target: Path) -> Path:
    """The demo index with a crawl history of its own: one run with a failure."""
    target.mkdir()
    for path in demo_data.iterdir():
        if path.is_dir():
            shutil.copytree(path, target / path.name)
        elif path.name != STATE_FILE and not path.name.startswith(STATE_FILE):
            shutil.copy2(path, target / path.name)
    failed = SourceSummary("kamerstukken", unchanged=3)
    failed.fail("https://example.org/kapot.pdf", "PDF <kapot>")
    summary = RunSummary(sources=[failed])
    with CrawlState(target) as state:
        state.add_run("2026-11-02T00:00:00Z", "2026-11-02T03:00:00Z", summary.exit_code, summary.to_dict())
        state.mark_failed("https://example.org/kapot.pdf", "kamerstukken", "", "PDF <kapot>")
    return target


def freeze(state_file: Path) -> bytes:
    """Make the state read-only on disk, in the rollback-journal mode a copy or an older
    version may leave: any writer (even root, who ignores the file mode) changes its bytes."""
    db = sqlite3.connect(state_file, isolation_level=None)
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    state_file.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return state_file.read_bytes()


def test_status_of_a_read_only_crawl_state(demo_data: Path, tmp_path: Path) -> None:
    data_dir = data_dir_with_history(demo_data, tmp_path / "data")
    state_file = data_dir / STATE_FILE
    before = freeze(state_file)
    client = create_app({"DATA_DIR": str(data_dir)}).test_client()
    statuses = {s["name"]: s for s in client.get("/api/v1/status").get_json()["sources"]}
    assert statuses["kamerstukken"]["last_crawl"] == "2026-11-02T03:00:00Z"
    assert statuses["kamerstukken"]["url_counts"] == {"failed": 1}
    html = client.get("/status").get_data(as_text=True)
    assert "2 november 2026" in html and "PDF &lt;kapot&gt;" in html
    result = CliRunner().invoke(main, ["status", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "mislukt: https://example.org/kapot.pdf: PDF <kapot>" in result.output
    assert state_file.read_bytes() == before, "showing a status never writes the crawl state"
    assert not Path(f"{state_file}-wal").exists()
