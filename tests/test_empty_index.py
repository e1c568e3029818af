"""An index without documents, or none at all, is a normal state: every command, page and
API answers "nog geen documenten" with the status of the sources, never an error (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from search_ui import create_app

PAGES = ("/", "/?q=roma", "/?q=roma&source=leeg&sort=date-desc", "/status", "/feed.atom?q=roma",
         "/mandje", "/federated?q=roma", "/hulp")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "leeg").mkdir()
    path = tmp_path / "s.toml"
    path.write_text('[[source]]\nname = "leeg"\nkind = "folder"\npath = "leeg"\n')
    return path


@pytest.fixture(params=["empty", "missing"])
def data(request: pytest.FixtureRequest, tmp_path: Path, config: Path) -> Path:
    """A data dir after a crawl of a source without documents, or one never crawled."""
    data = tmp_path / "data"
    if request.param == "empty":
        code, out = run("crawl", "--config", str(config), "--data-dir", str(data))
        assert code == 0, out
    return data


def test_commands_answer_on_an_empty_index(data: Path, config: Path) -> None:
    code, out = run("search", "roma", "--data-dir", str(data))
    assert code == 0 and "0 resultaten" in out and "nog geen documenten" in out
    code, out = run("search", "roma", "--json", "--data-dir", str(data))
    assert code == 0 and '"total": 0' in out
    code, out = run("status", "--data-dir", str(data), "--config", str(config))
    assert code == 0 and "nog geen documenten" in out and "  leeg: 0 documenten" in out
    code, out = run("export", "roma", "--format", "csv", "--data-dir", str(data))
    assert code == 0 and "Traceback" not in out


def test_pages_and_api_answer_on_an_empty_index(data: Path, config: Path) -> None:
    client = create_app({"DATA_DIR": str(data), "CONFIG_PATH": str(config)}).test_client()
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    for url in ("/", "/?q=roma", "/status"):
        html = client.get(url).get_data(as_text=True)
        assert "Nog geen documenten in de index." in html and ">leeg</a>" in html, url
    english = client.get("/?q=roma&lang=en").get_data(as_text=True)
    assert "No documents in the index yet." in english
    search = client.get("/api/v1/search?q=roma").get_json()
    assert search["total"] == 0 and search["notice"] == "nog geen documenten"
    assert [s["name"] for s in search["sources"]] == ["leeg"]
    status = client.get("/api/v1/status").get_json()
    assert status["notice"] == "nog geen documenten" and status["sources"][0]["name"] == "leeg"


def test_the_page_notices_when_documents_arrive(tmp_path: Path, config: Path, data: Path) -> None:
    client = create_app({"DATA_DIR": str(data), "CONFIG_PATH": str(config)}).test_client()
    assert client.get("/api/v1/search?q=roma").get_json()["total"] == 0
    (tmp_path / "leeg" / "brief.txt").write_text("Uitbuiting van Roma kinderen.\n", encoding="utf-8")
    code, out = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0, out
    result = client.get("/api/v1/search?q=roma").get_json()
    assert result["total"] == 1 and "notice" not in result


def test_rebuild_of_an_empty_index_leaves_no_half_built_directory(tmp_path: Path, config: Path) -> None:
    data = tmp_path / "data"
    run("crawl", "--config", str(config), "--data-dir", str(data))
    for _ in range(2):
        code, out = run("index", "--rebuild", "--data-dir", str(data))
        assert code == 0 and "index herbouwd: 0 documenten" in out
    assert [p.name for p in data.glob("index*")] == [(data / "CURRENT").read_text()]
    code, out = run("search", "roma", "--data-dir", str(data))
    assert code == 0 and "nog geen documenten" in out
