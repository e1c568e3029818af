"""References on the document page are links with a readable label: to the cited document
in this index when it is there, else to the public address its key names."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search_ui import create_app, reference_links

SEED = "kamerstukken:kst-32824-193"
HANDELINGEN = "kamerstukken-html:h-tk-20052006-3563-3563"


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "SECRET_KEY": "test"}).test_client()


def refs(client: FlaskClient, doc_id: str) -> list[tuple[str, str]]:
    page = client.get(f"/document/{doc_id}").get_data(as_text=True)
    listed = re.search(r'<ul class="refs">(.*?)</ul>', page, re.S).group(1)
    return re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a>', listed)


def test_references_outside_the_index_link_to_their_public_address(client: FlaskClient) -> None:
    assert refs(client, SEED) == [
        ("https://hetccv.nl/onderwerpen/multi-probleemgezinnen-met-een-roma-achtergrond",
         "hetccv.nl/onderwerpen/multi-probleemgezinnen-met-een-roma-achtergrond"),
        ("https://zoek.officielebekendmakingen.nl/kst-28638-152.html", "Kamerstuk 28638, nr. 152"),
        ("https://hetccv.nl/fileadmin/Bestanden/Onderwerpen/Multiprobleem_gezin/Rapport_Roma_totaal__JH13.12.2016_.pdf",
         "hetccv.nl/fileadmin/Bestanden/Onderwerpen/Multiprobleem_gezin/Rapport_Roma_totaal__JH13.12.2016_.pdf"),
        ("https://zoek.officielebekendmakingen.nl/kst-28638-157.html", "Kamerstuk 28638, nr. 157"),
    ]


def test_a_reference_in_the_index_links_to_its_page_with_its_citation(client: FlaskClient) -> None:
    links = dict(refs(client, HANDELINGEN))
    assert links["/document/kamerstukken-html:kst-19637-1020"] == "Kamerstukken II 2005/06, 19637, nr. 1020"
    assert links["https://zoek.officielebekendmakingen.nl/kst-19637-1015.html"] == "Kamerstuk 19637, nr. 1015"
    assert not any("<code>" in label for label in links.values())


def test_doctests() -> None:
    result = doctest.testmod(reference_links)
    assert result.attempted > 0 and result.failed == 0
