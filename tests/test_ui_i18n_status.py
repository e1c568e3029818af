"""Dutch by default with an English switch (URL or cookie, a translation for every UI
text), and the status page over the index and the crawl state."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from indexer.fetch.state import STATE_FILE, CrawlState
from indexer.pipeline import RunSummary, SourceSummary
from search_ui import create_app
from search_ui.document_pages import EXTRA_LABELS, IDENTIFIER_LABELS
from search_ui.formatting import CATEGORY_LABELS, FACET_LABELS, LANGUAGE_LABELS
from search_ui.views import SORT_LABELS

UI = Path(__file__).resolve().parent.parent / "search_ui"
#: Templates other work owns (federated search) keep their own texts.
OWN_TEMPLATES = list((UI / "templates").iterdir())


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data)}).test_client()


def ui_texts() -> set[str]:
    """Every Dutch text the UI shows: ``_()`` calls in templates and the label tables."""
    texts: set[str] = set()
    for template in OWN_TEMPLATES:
        source = template.read_text(encoding="utf-8")
        texts |= set(re.findall(r'_\("((?:[^"\\]|\\.)+)"', source)) | set(re.findall(r"_\('([^']+)'", source))
        texts |= set(re.findall(r'\d{3}: "([^"]+)"', source))  # error.html's messages
    for table in (CATEGORY_LABELS, FACET_LABELS, LANGUAGE_LABELS, SORT_LABELS, IDENTIFIER_LABELS, EXTRA_LABELS):
        texts |= set(table.values())
    return texts


def test_every_ui_text_has_an_english_translation() -> None:
    english = json.loads((UI / "translations" / "en.json").read_text(encoding="utf-8"))
    missing = sorted(ui_texts() - set(english))
    assert not missing, missing
    placeholders = {k: v for k, v in english.items() if set(re.findall(r"{\w+}", k)) != set(re.findall(r"{\w+}", v))}
    assert not placeholders


def test_dutch_by_default_english_by_url_then_by_cookie(client: FlaskClient) -> None:
    dutch = client.get("/?q=uitbuiting+Roma+kinderen").get_data(as_text=True)
    assert '<html lang="nl">' in dutch and "Zoeken in alle bronnen" in dutch and "4 april 2017" in dutch
    response = client.get("/?q=uitbuiting+Roma+kinderen&lang=en")
    english = response.get_data(as_text=True)
    assert '<html lang="en">' in english and "Search all sources" in english and "4 April 2017" in english
    assert "taal=en" in response.headers["Set-Cookie"]
    remembered = client.get("/status").get_data(as_text=True)
    assert "Status of the sources" in remembered
    assert 'href="/status?lang=nl"' in remembered  # the way back to Dutch
    assert "Status van de bronnen" in client.get("/status?lang=nl").get_data(as_text=True)


def test_unknown_language_falls_back_to_dutch(client: FlaskClient) -> None:
    response = client.get("/?lang=xx")
    assert '<html lang="nl">' in response.get_data(as_text=True)
    assert "taal=" not in response.headers.get("Set-Cookie", "")


def test_status_page_without_crawl_state_counts_the_index(client: FlaskClient, demo_data: Path) -> None:
    state_file = demo_data / STATE_FILE
    existed = state_file.exists()
    html = client.get("/status").get_data(as_text=True)
    assert state_file.exists() == existed, "the status page never creates the crawl state"
    stats = client.get("/api/v1/status").get_json()["sources"]
    counts = {s["name"]: s["documents"] for s in stats}
    assert counts["kamerstukken"] >= 10 and sum(counts.values()) == sum(
        f["count"] for f in client.get("/api/v1/search").get_json()["facets"]["source"])
    assert ">kamerstukken</a></th>" in html


def record_run(data_dir: Path, finished: str, sources: list[SourceSummary]) -> None:
    summary = RunSummary(sources=sources)
    with CrawlState(data_dir) as state:
        state.add_run(finished[:10] + "T00:00:00Z", finished, summary.exit_code, summary.to_dict())
        for source in sources:
            for url, reason in source.failures:
                state.mark_failed(url, source.name, "", reason)


def test_status_page_shows_last_crawl_last_change_and_failures(demo_data: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    for path in demo_data.iterdir():  # the index of the demo, with a crawl history of our own
        if path.name.startswith("index"):
            shutil.copytree(path, data_dir / path.name)  # an index may not be a link out of the data dir
        else:
            (data_dir / path.name).symlink_to(path)
    (data_dir / STATE_FILE).unlink(missing_ok=True)
    record_run(data_dir, "2026-11-01T03:00:00Z", [SourceSummary("kamerstukken", new=10)])
    failed = SourceSummary("kamerstukken", unchanged=10)
    failed.fail("https://example.org/kapot.pdf", "PDF <kapot>")
    record_run(data_dir, "2026-11-02T03:00:00Z", [failed, SourceSummary("aanhangsel", changed=1)])
    client = create_app({"DATA_DIR": str(data_dir)}).test_client()
    statuses = {s["name"]: s for s in client.get("/api/v1/status").get_json()["sources"]}
    kamerstukken = statuses["kamerstukken"]
    assert kamerstukken["last_crawl"] == "2026-11-02T03:00:00Z" and kamerstukken["last_exit_code"] == 1
    assert kamerstukken["last_changed"] == "2026-11-01T03:00:00Z"
    assert kamerstukken["url_counts"] == {"failed": 1} and kamerstukken["documents"] >= 10
    assert statuses["aanhangsel"]["last_changed"] == "2026-11-02T03:00:00Z"
    html = client.get("/status").get_data(as_text=True)
    assert "2 november 2026" in html and "1 november 2026" in html and "PDF &lt;kapot&gt;" in html


def test_document_text_keeps_its_own_language_in_the_english_ui(client: FlaskClient) -> None:
    html = client.get("/document/kamerstukken:kst-32824-193?lang=en").get_data(as_text=True)
    assert '<h1 lang="nl">Afronding programma' in html and 'aria-labelledby="tekst-kop" lang="nl"' in html
    assert '<h2 id="tekst-kop" lang="en">Text' in html
    dutch = client.get("/document/kamerstukken:kst-32824-193?lang=nl").get_data(as_text=True)
    assert "<h1>Afronding programma" in dutch
