"""The CLI through click's CliRunner: crawl, search, show, export, sources, status, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import rispy
from click.testing import CliRunner

from indexer.cli import main
from tests.crawl_helpers import two_motion_folder

SEED = "kamerstukken:kst-32824-193"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_search_json_lists_the_seed_letter_first(demo_data: Path) -> None:
    code, out, _ = run("search", "uitbuiting Roma kinderen", "--json", "--data-dir", str(demo_data))
    assert code == 0
    data = json.loads(out)
    assert data["total"] >= 1 and data["hits"][0]["id"] == SEED


def test_show_prints_the_full_record(demo_data: Path) -> None:
    code, out, _ = run("show", SEED, "--json", "--data-dir", str(demo_data))
    record = json.loads(out)
    assert code == 0 and record["identifiers"]["dossier"] == "32824"
    assert "kst-28638-152" in record["references"]
    assert any("Eind 2016" in page for page in record["pages"])


def test_export_ris_reads_back_with_rispy(demo_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "uitbuiting.ris"
    code, _, err = run("export", "uitbuiting", "--format", "ris", "--output", str(out),
                       "--data-dir", str(demo_data))
    assert code == 0, err
    entries = rispy.loads(out.read_text(encoding="utf-8"))
    titles = [e.get("title") or e.get("primary_title") for e in entries]
    assert any(t and t.startswith("Afronding programma Aanpak uitbuiting Roma kinderen") for t in titles)


def test_crawl_reports_a_corrupt_pdf_and_indexes_the_rest(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(corpus_dir / "xml/kst-28638-239.xml", folder)
    shutil.copy(corpus_dir / "kamerstukken/kst-28286-1366-motie-holman-van-campen.pdf", folder)
    good = (folder / "kst-28286-1366-motie-holman-van-campen.pdf").read_bytes()
    (folder / "kapot.pdf").write_bytes(good[: len(good) // 3])
    config = tmp_path / "s.toml"
    config.write_text(f'[[source]]\nname = "test"\nkind = "folder"\npath = "{folder}"\n')
    data = tmp_path / "data"
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 1
    assert "kapot.pdf" in err and "mislukt" in err
    code, out, _ = run("status", "--json", "--data-dir", str(data), "--config", str(config))
    status = json.loads(out)
    assert status["documents"] == 2 and status["index"]["segments"] == status["index"]["flat_postings"] >= 1
    assert status["index"]["mapped_files"]["state"] == "aan"  # segments read from the memory map
    (test,) = status["crawl"]
    assert test["name"] == "test" and test["last_exit_code"] == 1 and test["last_run"]["failed"] == 1
    assert [url.rsplit("/", 1)[-1] for url, _ in test["errors"]] == ["kapot.pdf"]
    code, out, _ = run("status", "--data-dir", str(data), "--config", str(config))
    assert code == 0 and "  test: 2 documenten" in out and "(met fouten): 2 nieuw, 1 mislukt" in out
    assert "segmenten uit het geheugen gemapt: aan (Whoosh-Reloaded 2.7.5)" in out
    assert "mislukt: " in out and "kapot.pdf" in out
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert "2 ongewijzigd" in err  # a second run finds nothing new


def test_clear_errors(tmp_path: Path, corpus_dir: Path) -> None:
    code, _, err = run("crawl", "--config", str(tmp_path / "nope.toml"), "--data-dir", str(tmp_path))
    assert code == 2 and "config file not found" in err
    code, _, err = run("crawl", "--config", str(corpus_dir / "demo.toml"), "--source", "nope",
                       "--data-dir", str(tmp_path))
    assert code == 2 and "unknown source 'nope'" in err
    code, out, _ = run("search", "x", "--data-dir", str(tmp_path / "empty"))
    assert code == 0 and "nog geen documenten" in out  # no index yet is a normal state
    code, _, err = run("export", "x", "--format", "docx", "--data-dir", str(tmp_path))
    assert code == 2 and "unknown format" in err


def test_sources_and_status(demo_data: Path, corpus_dir: Path) -> None:
    code, out, _ = run("sources", "--config", str(corpus_dir / "demo.toml"))
    assert code == 0 and out.splitlines()[0].startswith("kamerstukken\tfolder\t")
    code, out, _ = run("status", "--data-dir", str(demo_data), "--config", str(corpus_dir / "demo.toml"))
    assert code == 0 and "aanhangsel: 21 documenten, nieuwste " in out
    assert out.count("laatste crawl ") == 6 and "nog niet gecrawld" not in out


def test_edited_sidecar_metadata_counts_as_a_change(tmp_path: Path, corpus_dir: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(corpus_dir / "kamerstukken/kst-32824-193.txt", folder)
    sidecar = folder / "kst-32824-193.txt.meta.json"
    meta = json.loads((corpus_dir / "kamerstukken/kst-32824-193.txt.meta.json").read_text())
    sidecar.write_text(json.dumps(meta))
    config = tmp_path / "s.toml"
    config.write_text(f'[[source]]\nname = "brieven"\nkind = "folder"\npath = "{folder}"\n')
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    sidecar.write_text(json.dumps({**meta, "title": "Eindbrief Roma-programma"}))
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0 and "1 gewijzigd" in err
    code, out, _ = run("show", "brieven:kst-32824-193", "--json", "--data-dir", str(data))
    assert json.loads(out)["title"] == "Eindbrief Roma-programma"


def test_an_index_of_an_older_version_is_rebuilt_by_the_next_crawl(tmp_path: Path, corpus_dir: Path) -> None:
    from indexer.index.schema import SCHEMA_VERSION
    from indexer.index.store import VERSION_FILE, current_dir

    config = two_motion_folder(tmp_path, corpus_dir)
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    (current_dir(data) / VERSION_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION - 1}))
    assert run("search", "motie", "--data-dir", str(data))[0] == 2  # readers refuse the old index
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0 and "opnieuw opgebouwd" in err and "2 documenten opnieuw" in err
    assert "2 ongewijzigd" in err  # the rebuilt index kept every document: nothing refetched as new
    assert json.loads((current_dir(data) / VERSION_FILE).read_text())["schema_version"] == SCHEMA_VERSION
    code, out, _ = run("search", "motie", "--json", "--data-dir", str(data))
    assert code == 0 and json.loads(out)["total"] == 2
