"""A limit on downloads in progress: past ``max_exports`` the next one gets 429 with
Retry-After and a Dutch message, and a slot comes back when a download is closed."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from search_ui import create_app
from search_ui.exports import RETRY_AFTER_SECONDS

ALL = "/export?formaat=ris"  # every document of the index


def client(demo_data: Path, **config: object) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "SECRET_KEY": "t", **config}).test_client()


def open_download(browser: FlaskClient, url: str = ALL):
    response = browser.get(url, buffered=False)
    assert response.status_code == 200
    assert next(iter(response.response))  # the writer has started: the download is in progress
    return response


def test_downloads_past_the_limit_get_429_and_a_slot_comes_back_on_close(demo_data: Path) -> None:
    browser = client(demo_data, MAX_EXPORTS=2)
    first, second = open_download(browser), open_download(browser, "/mandje/export?formaat=csv")
    refused = browser.get(ALL)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert f"Te veel downloads tegelijk. Probeer het over {RETRY_AFTER_SECONDS} seconden opnieuw." in refused.get_data(as_text=True)
    english = browser.get(ALL + "&lang=en").get_data(as_text=True)
    assert "Too many downloads at once" in english
    first.close()
    third = open_download(browser)
    assert browser.get(ALL).status_code == 429
    second.close()
    third.close()
    finished = browser.get(ALL)
    assert finished.status_code == 200 and finished.get_data(as_text=True).count("ER  -") > 50
    assert browser.get(ALL).status_code == 200, "a finished download gives its slot back"


def test_the_limit_comes_from_the_settings(demo_data: Path, tmp_path: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text("[settings]\nmax_exports = 1\n", encoding="utf-8")
    browser = client(demo_data, CONFIG_PATH=str(config))
    held = open_download(browser)
    assert browser.get(ALL).status_code == 429
    held.close()
    assert browser.get(ALL).status_code == 200
