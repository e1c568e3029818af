"""Where the app sends people and what its links point at: ``next`` after a basket POST
stays on this site, and absolute links come from ``public_url``, never from a forged
``Host`` header (which only ever names the page that was asked for)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from indexer.config import ConfigError
from search_ui import create_app

SEED = "kamerstukken:kst-32824-193"
ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
EVIL = {"Host": "evil.example"}


def make_client(demo_data: Path, **config: object) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "SECRET_KEY": "t", **config}).test_client()


def csrf(client: FlaskClient) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/?q=motie").get_data(as_text=True)).group(1)


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/ /evil.example", "/\r\nX-Evil: 1",
                                    "/\x00/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/",
                                    "", "mandje"])
def test_next_outside_this_site_falls_back_to_the_basket(demo_data: Path, target: str) -> None:
    client = make_client(demo_data)
    response = client.post("/mandje/toevoegen", data={"csrf": csrf(client), "id": SEED, "next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/mandje"


def test_next_on_this_site_is_kept(demo_data: Path) -> None:
    client = make_client(demo_data)
    for target in ("/?q=uitbuiting&source=kamerstukken", "/document/kamerstukken:kst-32824-193?q=%C3%A9%C3%A9n"):
        response = client.post("/mandje/toevoegen", data={"csrf": csrf(client), "id": SEED, "next": target})
        assert response.headers["Location"] == target


def test_without_public_url_a_forged_host_reaches_no_link_but_the_page_itself(demo_data: Path) -> None:
    client = make_client(demo_data)
    api = client.get("/api/v1/search?q=uitbuiting", headers=EVIL).get_json()
    assert api["hits"] and all(h["html_url"].startswith("/document/") for h in api["hits"])
    assert "evil.example" not in client.get(f"/api/v1/documents/{SEED}", headers=EVIL).get_data(as_text=True)
    assert client.get("/api/v1/openapi.json", headers=EVIL).get_json()["servers"] == [{"url": "/"}]
    feed = ET.fromstring(client.get("/feed.atom?q=motie", headers=EVIL).data)
    self_links = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_links == ["http://evil.example/feed.atom?q=motie"], "the page asked for, as asked"
    others = [link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("rel") != "self"]
    assert others and not any("evil" in link for link in others)
    assert all(entry.findtext(f"{ATOM}id").startswith("urn:bronzoeker:document/") for entry in feed.findall(f"{ATOM}entry"))


def test_public_url_from_the_sources_file_makes_every_link_absolute(demo_data: Path, tmp_path: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text('[settings]\npublic_url = "https://zoek.example.nl/bronzoeker/"\n', encoding="utf-8")
    client = make_client(demo_data, CONFIG_PATH=str(config))
    base = "https://zoek.example.nl/bronzoeker"
    hits = client.get("/api/v1/search?q=uitbuiting", headers=EVIL).get_json()["hits"]
    assert hits and all(h["html_url"].startswith(base + "/document/") for h in hits)
    assert all(h["api_url"].startswith(base + "/api/v1/documents/") for h in hits)
    assert client.get("/api/v1/openapi.json", headers=EVIL).get_json()["servers"] == [{"url": base}]
    feed = client.get("/feed.atom?q=motie", headers=EVIL).get_data(as_text=True)
    assert "evil.example" not in feed and f'href="{base}/feed.atom?q=motie"' in feed
    description = ET.fromstring(client.get("/opensearch.xml", headers=EVIL).data)
    templates = [u.get("template") for u in description.findall(f"{OPENSEARCH}Url")]
    assert templates and all(t.startswith(base + "/") for t in templates)


def test_the_environment_overrides_the_file_and_bad_values_are_refused(demo_data: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "sources.toml"
    config.write_text('[settings]\npublic_url = "https://oud.example.nl"\n', encoding="utf-8")
    monkeypatch.setenv("BRONZOEKER_PUBLIC_URL", "http://intern.example:8080")
    client = make_client(demo_data, CONFIG_PATH=str(config))
    assert client.get("/api/v1/openapi.json").get_json()["servers"] == [{"url": "http://intern.example:8080"}]
    monkeypatch.setenv("BRONZOEKER_PUBLIC_URL", "javascript:alert(1)")
    with pytest.raises(ConfigError, match="public_url"):
        make_client(demo_data)
