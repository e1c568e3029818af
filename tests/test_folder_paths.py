"""A folder source stays in its folder: any name the file system allows is read as that
file, and links out of the folder are refused with a recorded reason (issue 15, item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main

SECRET = "Geheim: dit bestand ligt buiten de map en mag nooit in de index komen.\n"
NAMES = ("..%2f..%2fsecret%2fsecret.txt", "a#b.txt", "vraag?antwoord.txt", "honderd%25.txt", "met spatie.txt",
         "%2e%2e.txt", "ünïcode €.txt")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "a" / "b"
    (folder / "sub").mkdir(parents=True)
    for number, name in enumerate(NAMES):
        (folder / name).write_text(f"Document nummer {number} over uitbuiting.\n", encoding="utf-8")
    (folder / "sub" / "c#d.txt").write_text("Onderliggend document over uitbuiting.\n", encoding="utf-8")
    config = tmp_path / "s.toml"
    config.write_text(f'[[source]]\nname = "map"\nkind = "folder"\npath = "{folder}"\n')
    return {"folder": folder, "secret": secret, "config": config, "data": tmp_path / "data"}


def test_every_name_the_file_system_allows_is_indexed_as_itself(layout: dict[str, Path]) -> None:
    code, out = run("crawl", "--config", str(layout["config"]), "--data-dir", str(layout["data"]))
    assert code == 0, out
    code, out = run("search", "uitbuiting", "--json", "--limit", "50", "--data-dir", str(layout["data"]))
    ids = sorted(hit["id"] for hit in json.loads(out)["hits"])
    expected = sorted(f"map:{name[:-4]}" for name in NAMES) + ["map:sub/c#d"]
    assert ids == sorted(expected)
    code, out = run("search", "buiten de map nooit", "--json", "--data-dir", str(layout["data"]))
    assert json.loads(out)["total"] == 0


def test_links_out_of_the_folder_are_refused_with_their_reason(layout: dict[str, Path]) -> None:
    folder, secret = layout["folder"], layout["secret"]
    (folder / "uit.txt").symlink_to(secret / "secret.txt")
    (folder / "uitmap").symlink_to(secret, target_is_directory=True)
    (folder / "binnen.txt").symlink_to(folder / "a#b.txt")  # a link that stays inside is fine
    (folder / "kapot.txt").symlink_to(folder / "bestaat-niet.txt")
    code, out = run("crawl", "--config", str(layout["config"]), "--data-dir", str(layout["data"]))
    assert code == 1, out
    failures = [line for line in out.splitlines() if line.startswith("mislukt: ")]
    assert len(failures) == 3, out
    assert sum("buiten de map" in line for line in failures) == 2
    assert any("uit.txt" in line for line in failures) and any("uitmap" in line for line in failures)
    assert any("kapot.txt" in line and "cannot read file" in line for line in failures)
    code, out = run("search", "buiten de map nooit", "--json", "--data-dir", str(layout["data"]))
    assert json.loads(out)["total"] == 0
    code, out = run("search", "uitbuiting", "--json", "--limit", "50", "--data-dir", str(layout["data"]))
    assert "map:binnen" in {hit["id"] for hit in json.loads(out)["hits"]}
