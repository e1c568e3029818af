"""The data directory is ours alone: CURRENT may only name an index directory inside it,
and nothing outside the data directory is ever written or deleted (issue 15, item 1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.index import store

TEXT = "Afronding van het programma Aanpak uitbuiting Roma kinderen.\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>" for p in folder.rglob("*")}


@pytest.fixture
def site(tmp_path: Path) -> dict[str, Path]:
    """A crawled data directory, a folder source, and a sentinel directory beside the data dir."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "brief.txt").write_text(TEXT, encoding="utf-8")
    config = tmp_path / "s.toml"
    config.write_text(f'[[source]]\nname = "map"\nkind = "folder"\npath = "{docs}"\n')
    data = tmp_path / "work" / "data"
    sentinel = tmp_path / "work" / "victim"
    (sentinel / "sub").mkdir(parents=True)
    (sentinel / "sub" / "keep.txt").write_text("niet van ons")
    code, out = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0, out
    return {"data": data, "config": config, "sentinel": sentinel, "root": tmp_path}


@pytest.mark.parametrize("pointer", ["", "\n", "../victim", "../../etc", ".", "/etc", "index-x/../../victim"])
def test_a_current_outside_our_index_is_refused_and_nothing_changes(site: dict[str, Path], pointer: str) -> None:
    data, sentinel = site["data"], site["sentinel"]
    (data / "CURRENT").write_text(pointer)
    before_data, before_sentinel = snapshot(data), snapshot(sentinel)
    for args in (("index", "--rebuild"), ("crawl", "--config", str(site["config"])), ("search", "Roma")):
        code, out = run(*args, "--data-dir", str(data))
        assert code == 2, (args, out)
        assert "CURRENT" in out and "geen indexmap in de datamap" in out and "Traceback" not in out
    assert snapshot(sentinel) == before_sentinel
    after = snapshot(data)
    after.pop("crawl.lock"), before_data.pop("crawl.lock")  # the lock file holds the last pid
    assert after == before_data


def test_a_current_that_is_a_link_out_of_the_data_dir_is_refused(site: dict[str, Path]) -> None:
    data, sentinel = site["data"], site["sentinel"]
    (data / "index-link").symlink_to(sentinel, target_is_directory=True)
    (data / "CURRENT").write_text("index-link")
    before = snapshot(sentinel)
    code, out = run("index", "--rebuild", "--data-dir", str(data))
    assert code == 2 and "geen link" in out
    assert snapshot(sentinel) == before and (data / "index-link").is_symlink()


def test_publish_refuses_a_build_outside_the_data_dir(site: dict[str, Path]) -> None:
    elsewhere = site["root"] / "index-elders"
    elsewhere.mkdir()
    with pytest.raises(store.UnsafeDataDir):
        store.publish(site["data"], elsewhere)
    assert (site["data"] / "CURRENT").exists() is False or (site["data"] / "CURRENT").read_text() != elsewhere.name


def test_leftovers_of_a_killed_run_are_cleaned_before_the_next_one(site: dict[str, Path]) -> None:
    data = site["data"]
    code, out = run("index", "--rebuild", "--data-dir", str(data))
    assert code == 0 and "index herbouwd: 1 documenten" in out
    live = data / (data / "CURRENT").read_text()
    half_built = data / "index-20260101-000000-deadbeef"
    shutil.copytree(live, half_built)  # a rebuild killed before CURRENT moved
    segment = next(live.glob("MAIN_*.seg"))
    orphan = live / "MAIN_zzzzzzzzzzzzzzzz.seg"  # a segment no TOC lists (a commit that died)
    orphan.write_bytes(segment.read_bytes())
    (live / "MAIN_zzzzzzzzzzzzzzzz.bzpost").write_bytes(b"x" * 100)
    (live / "_MAIN_99.toc.1764547200.5").write_bytes(b"half a toc")
    (live / ".MAIN_zzzzzzzzzzzzzzzz.bzpost.tmp.docs").write_bytes(b"spool")
    (data / "CURRENT.tmp").write_text("index-x")
    code, out = run("crawl", "--config", str(site["config"]), "--data-dir", str(data))
    assert code == 0 and "opgeruimd na een afgebroken run" in out
    assert not half_built.exists() and not (data / "CURRENT.tmp").exists()
    assert sorted(p.name for p in live.iterdir() if "zzzz" in p.name or ".toc." in p.name) == []
    assert segment.exists() and "1 ongewijzigd" in out
    assert [p.name for p in data.glob("index*")] == [live.name] and snapshot(site["sentinel"])
    (data / "CURRENT").unlink()  # without CURRENT nobody knows which build is live: none is removed
    code, out = run("crawl", "--config", str(site["config"]), "--data-dir", str(data))
    assert code == 0 and live.is_dir() and (live / segment.name).is_file()
