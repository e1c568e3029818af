"""Exit codes per the README: 0 all good, 1 some documents (or a whole source) failed,
2 could not run, with one Dutch line and no traceback unless ``--debug`` (issue 15, item 5):
an unreachable host, a full disk, a damaged state database, a truncated segment."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.index import store
from search_ui import create_app
from tests.conftest import FIXTURES

BULK = FIXTURES / "bulk-sample"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout + result.stderr


def one_dutch_line(out: str, words: str) -> None:
    errors = [line for line in out.splitlines() if line.startswith("fout: ")]
    assert len(errors) == 1 and words in errors[0], out
    assert "Traceback" not in out and "Aborted" not in out


def test_a_host_that_does_not_resolve_is_a_failed_source_not_skipped_by_robots(tmp_path: Path) -> None:
    config = tmp_path / "s.toml"
    config.write_text('[settings]\nmax_retries = 1\nbackoff = 0.05\ntimeout = 3.0\n\n[[source]]\nname = "wodc"\n'
                      'kind = "oai_pmh"\nendpoint = "https://repository.wodc.invalid/server/oai/request"\n'
                      'metadata_prefix = "oai_dc"\n')
    code, out = run("crawl", "--config", str(config), "--data-dir", str(tmp_path / "data"))
    assert code == 1, out
    assert "1 mislukt, 0 overgeslagen (robots)" in out
    assert "mislukt: https://repository.wodc.invalid/" in out and "robots.txt unreachable" in out
    code, out = run("status", "--config", str(config), "--data-dir", str(tmp_path / "data"))
    assert code == 0 and "(met fouten): 1 mislukt" in out


@pytest.fixture
def folder_config(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in sorted(os.listdir(BULK))[:6]:
        shutil.copy(BULK / name, docs)
    config = tmp_path / "s.toml"
    config.write_text(f'[[source]]\nname = "bulk"\nkind = "folder"\npath = "{docs}"\n')
    return config


def test_a_truncated_segment_is_one_line_and_exit_2(tmp_path: Path, folder_config: Path) -> None:
    data = tmp_path / "data"
    assert run("crawl", "--config", str(folder_config), "--data-dir", str(data))[0] == 0
    (segment,) = store.current_dir(data).glob("*.seg")
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])
    for args in (("search", "kamer"), ("crawl", "--config", str(folder_config))):
        code, out = run(*args, "--data-dir", str(data))
        assert code == 2, (args, out)
        one_dutch_line(out, "de index is beschadigd")
    code, out = run("--debug", "search", "kamer", "--data-dir", str(data))
    assert code == 2 and "Traceback" in out and "EOFError" in out and "fout: de index is beschadigd" in out
    assert run("index", "--rebuild", "--data-dir", str(data))[0] == 0  # from the document store


@pytest.mark.parametrize("damage", [b"", b"SQLite format 3\x00" + b"\xff" * 200, os.urandom(3000)])
def test_a_damaged_state_database_is_one_line_and_exit_2(tmp_path: Path, folder_config: Path,
                                                         damage: bytes) -> None:
    data = tmp_path / "data"
    assert run("crawl", "--config", str(folder_config), "--data-dir", str(data))[0] == 0
    state = data / "crawl-state.sqlite"
    for leftover in data.glob("crawl-state.sqlite-*"):
        leftover.unlink()
    state.write_bytes(damage or state.read_bytes()[:5000])
    for args in (("crawl", "--config", str(folder_config)), ("status", "--config", str(folder_config))):
        code, out = run(*args, "--data-dir", str(data))
        assert code == 2, (args, out)
        one_dutch_line(out, "de crawlstatus (crawl-state.sqlite) is onleesbaar of beschadigd")
    client = create_app({"DATA_DIR": str(data), "CONFIG_PATH": str(folder_config)}).test_client()
    assert client.get("/status").status_code == 503 and client.get("/api/v1/status").status_code == 503
    assert client.get("/api/v1/status").get_json()["error"] == "unavailable"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs of our own (skipped where this process may not mount one)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def resize(mount: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mount)], check=True)


def committed_files(index_dir: Path) -> set[str]:
    ix = store.open_index(index_dir.parent)
    names = {"MAIN_WRITELOCK", store.VERSION_FILE, f"_MAIN_{ix.latest_generation()}.toc"}
    for segment in ix._segments():  # noqa: SLF001
        names |= {n for n in os.listdir(index_dir) if n.startswith(f"{segment.segment_id()}.")}
    return names


def fill(path: Path) -> None:
    """Write ``path`` until the disk is full (as a commit killed half-way would leave it).
    Unbuffered: a buffered file holding the part of a chunk that no longer fitted would fail
    again when it is closed (whether it does depends on how many bytes were left)."""
    with path.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass


def test_a_full_disk_is_exit_2_leaves_only_committed_files_and_recovers(tmp_path: Path, small_disk: Path) -> None:
    config = tmp_path / "bulk.toml"
    config.write_text(f'[settings]\nbatch_size = 100\n\n[[source]]\nname = "bulk"\nkind = "folder"\npath = "{BULK}"\n')
    data = small_disk / "data"
    code, out = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 2
    one_dutch_line(out, "de schijf is vol")
    index_dir = store.current_dir(data)
    assert set(os.listdir(index_dir)) == committed_files(index_dir)  # nothing half-written stays
    assert run("search", "kamer", "--data-dir", str(data))[0] == 0

    # a commit killed mid-write; room for it first, since on a full tmpfs even creating an
    # empty file can fail (it fills the disk again itself)
    resize(small_disk, "4m")
    # ballast outside the data directory keeps the room the crawl has after the cleanup what
    # it was at 3 MB: too little for the whole index, so the disk fills again
    (small_disk / "ballast").write_bytes(b"\0" * 1024 * 1024)
    fill(index_dir / "MAIN_killedcommit0001.seg")
    code, out = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 2 and "opgeruimd na een afgebroken run" in out and "MAIN_killedcommit0001.seg" in out
    one_dutch_line(out, "de schijf is vol")  # cleaned first, then the same full disk again

    resize(small_disk, "40m")
    (small_disk / "ballast").unlink()
    code, out = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0, out
    code, out = run("search", "", "--json", "--data-dir", str(data))
    assert '"total": 298' in out
    assert set(os.listdir(index_dir)) == committed_files(index_dir)

    fill(small_disk / "filler")  # a rebuild on a full disk leaves no build behind
    code, out = run("index", "--rebuild", "--data-dir", str(data))
    assert code == 2 and [p.name for p in data.glob("index*")] == [index_dir.name]
    one_dutch_line(out, "de schijf is vol")
    (small_disk / "filler").unlink()
    code, out = run("index", "--rebuild", "--data-dir", str(data))
    assert code == 0 and "index herbouwd: 298 documenten" in out
