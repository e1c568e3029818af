"""Dossier pages (/dossier/<nummer>), vote outcomes read from real Handelingen, and the
results-over-time histogram, through Flask's test client over the demo index."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask.testing import FlaskClient

from indexer.export import FORMATS
from indexer.extract.votes import find_votes
from indexer.index import SearchRequest, open_backend, open_writer
from indexer.model import Document
from search_ui import create_app
from tests.test_ui_basket_export import parsed_count

ATOM = "{http://www.w3.org/2005/Atom}"
STEMMING_32824 = "kamerstukken-html:h-tk-20232024-13-19"  # the vote on motion 32824 nr. 405
STEMMINGEN_36333 = "kamerstukken-html:h-tk-20232024-10-8"  # 32 motions, two roll-call votes


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "TESTING": True}).test_client()


def dossier_ids(demo_data: Path, number: str, **filters: tuple[str, ...]) -> list[str]:
    request = SearchRequest(filters={"dossier": (number,), **filters}, sort="date-desc")
    return [doc.id for doc in open_backend(demo_data).iter_documents(request)]


def timeline_ids(html: str) -> list[str]:
    items = re.findall(r'<li class="timeline-item[^"]*">.*?href="/document/([^"]+)"', html, re.S)
    return [unescape(item) for item in items]


# -- dossier page ----------------------------------------------------------------------------

def test_dossier_page_lists_every_document_newest_first(client: FlaskClient, demo_data: Path) -> None:
    html = client.get("/dossier/32824").get_data(as_text=True)
    own = dossier_ids(demo_data, "32824")
    shown = timeline_ids(html)
    assert len(own) == 6 and set(own) <= set(shown)
    assert shown[-1] == "kamerstukken:kst-32824-193"  # the 2017 letter: oldest, last
    assert "Integratiebeleid" in html  # the dossier title from the index
    groups = re.findall(r'<h2 id="periode-\d+">([^<]+)</h2>', html)
    assert groups[0] == "Vergaderjaar 2024-2025" and groups == sorted(groups, reverse=True)
    assert groups[-1] == "Vergaderjaar 2016-2017"
    assert '<time datetime="2017-04-04">4 april 2017</time>' in html


def test_dossier_page_shows_the_handelingen_vote_on_its_motion(client: FlaskClient) -> None:
    html = client.get("/dossier/32824").get_data(as_text=True)
    assert STEMMING_32824 in html  # cites the dossier's motion, shown on its timeline
    motion = html.split('href="/document/kamerstukken-html:kst-32824-405"')[1].split("</li>")[0]
    assert "Stemming: aangenomen" in motion
    assert "Voor (12)" in motion and "Tegen (7)" in motion and "GroenLinks" in motion
    other = html.split('href="/document/kamerstukken-html:kst-32824-399"')[1].split("</li>")[0]
    assert "Stemming" not in other  # no vote on record for this one


def test_dossier_type_filter(client: FlaskClient, demo_data: Path) -> None:
    html = client.get("/dossier/32824").get_data(as_text=True)
    assert re.search(r'href="/dossier/32824\?doc_type=motie">Moties</a> <span class="count">5</span>', html)
    filtered = client.get("/dossier/32824?doc_type=motie").get_data(as_text=True)
    assert timeline_ids(filtered) == dossier_ids(demo_data, "32824", doc_type=("motie",))
    assert "kst-32824-193" not in "".join(timeline_ids(filtered))
    letters = client.get("/dossier/32824?doc_type=brief").get_data(as_text=True)
    assert timeline_ids(letters) == ["kamerstukken:kst-32824-193"]


def test_unknown_dossier_is_not_found(client: FlaskClient) -> None:
    assert client.get("/dossier/99999").status_code == 404
    assert client.get("/dossier/<script>").status_code == 404


def test_dossier_number_with_a_roman_part(client: FlaskClient) -> None:
    response = client.get("/dossier/36600%20vi")
    assert response.status_code == 200 and len(timeline_ids(response.get_data(as_text=True))) == 1


def test_whole_dossier_exports_in_every_format(client: FlaskClient, demo_data: Path) -> None:
    html = client.get("/dossier/32824").get_data(as_text=True)
    form = html.split('<form class="export"')[1].split("</form>")[0]
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', form)
    assert hidden == [("dossier", "32824")]
    for name in FORMATS:
        response = client.get("/export", query_string=[*hidden, ("formaat", name)])
        assert parsed_count(name, response.get_data(as_text=True)) == 6, name


def test_dossier_feed(client: FlaskClient) -> None:
    html = client.get("/dossier/32824").get_data(as_text=True)
    href = unescape(re.search(r'<a class="feedlink" href="([^"]+)"', html)[1])
    feed = ET.fromstring(client.get(href).data)
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    assert len(links) == 6 and "/document/kamerstukken:kst-32824-193" in links


def test_document_page_and_dossier_facet_link_to_the_dossier(client: FlaskClient) -> None:
    document = client.get("/document/kamerstukken:kst-32824-193").get_data(as_text=True)
    assert 'href="/dossier/32824">Dossier 32824: alle stukken' in document
    search = client.get("/").get_data(as_text=True)
    assert '<a class="facet-dossier" href="/dossier/32824">' in search
    assert '<a class="facet-dossier" href="/dossier/36600%20VI">' in search


# -- votes from the Handelingen text ------------------------------------------------------------

def test_votes_of_a_real_stemmingen_item(demo_data: Path) -> None:
    item = open_backend(demo_data).get(STEMMINGEN_36333)
    assert item is not None
    votes = find_votes(" ".join(item.pages))
    # 32 motions listed; nr. 69 was held over (no vote), nr. 52 was voted as its new nr. 77
    assert len(votes) == 31 and "kst-36333-69" not in votes and "kst-36333-77" in votes
    roll_call = votes["kst-36333-44"]
    assert (roll_call.outcome, roll_call.votes_for, roll_call.votes_against) == ("verworpen", 65, 82)
    assert votes["kst-36333-39"].outcome == "aangenomen"
    assert votes["kst-36333-39"].parties_against == ("VVD", "CDA", "JA21", "Groep Van Haga", "PVV", "FVD")
    assert Counter(v.outcome for v in votes.values()) == {"aangenomen": 16, "verworpen": 15}  # as the text says


# -- the histogram -----------------------------------------------------------------------------

def bars(html: str) -> dict[str, tuple[int, str]]:
    """period -> (count, link) of every bar drawn in the SVG."""
    found = re.findall(r'<a class="histogram-bar" href="([^"]+)" aria-label="[^"]*: (\d+) [^"]*" '
                       r'data-period="([^"]+)">', html)
    return {period: (int(count), unescape(href)) for href, count, period in found}


def date_counts(demo_data: Path, width: int, **request: object) -> Counter[str]:
    documents = open_backend(demo_data).iter_documents(SearchRequest(**request))  # type: ignore[arg-type]
    return Counter(doc.date[:width] for doc in documents if len(doc.date or "") >= width)


def test_histogram_counts_every_match_per_year(client: FlaskClient, demo_data: Path) -> None:
    html = client.get("/?q=motie").get_data(as_text=True)
    drawn = bars(html)
    expected = date_counts(demo_data, 4, query="motie")
    assert {period: count for period, (count, _) in drawn.items()} == expected
    assert sum(expected.values()) > 10  # more than the page of hits
    figure = html.split('<figure class="histogram"')[1].split("</figure>")[0]
    assert "style=" not in figure and "<script" not in figure  # the CSP allows neither
    table = dict(re.findall(r"<tr><td>(?:<a [^>]+>)?([^<]+)(?:</a>)?</td><td>(\d+)</td></tr>", figure))
    assert table["2024"] == str(expected["2024"]) and table["2019"] == "0"  # empty years listed too


def test_histogram_per_month_when_the_period_is_short(client: FlaskClient, demo_data: Path) -> None:
    drawn = bars(client.get("/?van=2024&tot=2024").get_data(as_text=True))
    expected = date_counts(demo_data, 7, date_from="2024", date_to="2024")
    assert {period: count for period, (count, _) in drawn.items()} == expected
    assert "Resultaten per maand" in client.get("/?van=2024&tot=2024").get_data(as_text=True)


def test_histogram_bar_filters_the_period(client: FlaskClient) -> None:
    count, href = bars(client.get("/?q=motie").get_data(as_text=True))["2023"]
    assert dict(parse_qsl(urlsplit(href).query)) == {"q": "motie", "van": "2023", "tot": "2023"}
    total = client.get("/api/v1/search?" + urlsplit(href).query).get_json()["total"]
    assert total == count


def test_dossier_page_has_its_histogram(client: FlaskClient, demo_data: Path) -> None:
    drawn = bars(client.get("/dossier/32824").get_data(as_text=True))
    own = date_counts(demo_data, 4, filters={"dossier": ("32824",)})
    assert {period: count for period, (count, _) in drawn.items()} == own
    assert drawn["2023"][1] == "/dossier/32824?van=2023&tot=2023"


def test_a_stray_date_does_not_draw_centuries_of_empty_bars(tmp_path: Path) -> None:
    dates = ("1001-01-01", "2023-05-01", "2024-02-01", "2024-03-01")
    with open_writer(tmp_path, lambda d: set()) as writer:
        for number, date in enumerate(dates):
            writer.upsert(Document(id=f"t:{number}", source="t", title=f"Stuk {number}", date=date,
                                   pages=("tekst over uitbuiting",), identifiers={"dossier": "32824"}))
    client = create_app({"DATA_DIR": str(tmp_path)}).test_client()
    drawn = bars(client.get("/?q=uitbuiting").get_data(as_text=True))
    assert {period: count for period, (count, _) in drawn.items()} == {"1001": 1, "2023": 1, "2024": 2}
    dossier_bars = bars(client.get("/dossier/32824").get_data(as_text=True))
    assert sum(count for count, _ in dossier_bars.values()) == 4


def test_escaping_on_the_dossier_page(tmp_path: Path) -> None:
    payload = '<script>alert("x")</script>'
    doc = Document(id="t:1", source="t", title=payload, date="2024-01-01", doc_type=payload,
                   identifiers={"dossier": "32824", "canonical": payload}, extra={"dossier_title": payload})
    with open_writer(tmp_path, lambda d: set()) as writer:
        writer.upsert(doc)
    html = create_app({"DATA_DIR": str(tmp_path)}).test_client().get("/dossier/32824").get_data(as_text=True)
    assert payload not in html and "&lt;script&gt;" in html
