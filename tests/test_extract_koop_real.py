"""KOOP official publications other than Kamerstukken, on real files (Gemeenteblad,
Provinciaal blad, Staatsblad, Staatscourant as XML and as zoek.officielebekendmakingen.nl
HTML, and the metadata.xml / metadata_owms.xml manifestations; tests/fixtures/replay/koop,
provenance in tests/fixtures/replay/PROVENANCE.md) and the real SRU record of
gmb-2023-174296 with and without namespaces. Expected values were read from the files."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract import extract, sniff
from indexer.model import Record, Request, Response
from indexer.sources import build_source

KOOP = Path(__file__).parent / "fixtures" / "replay" / "koop"
SRU = Path(__file__).parent / "fixtures" / "replay" / "sru"
CONTENT_TYPES = {".xml": "application/xml", ".html": "text/html"}

#: file -> (title, date, category, doc_type, canonical, creators)
EXPECTED = {
    "gmb-2017-100002.xml": ("Ingediende aanvraag omgevingsvergunning, Zuiderweg 21 Midwolda", "", "bekendmaking",
                            "bekendmaking", "gmb-2017-100002", ("Gemeente Oldambt",)),
    "prb-2017-1003.xml": ("Provincie Utrecht Wet luchtvaart: Bekendmaking TUG-ontheffing (luchtvaart) locatie "
                          "Neerzeldertseweg 4 in Hoogland", "2017-03-07", "bekendmaking", "bekendmaking",
                          "prb-2017-1003", ("Provincie Utrecht",)),
    "stb-2018-84.xml": ("Besluit van 9 maart 2018, houdende vaststelling van de bestanddelen van de beeldenaar van "
                        "de munten van vijf en tien euro die worden uitgegeven ter viering van Leeuwarden-Fryslân "
                        "als culturele hoofdstad van Europa", "2018-03-27", "regelgeving", "besluit", "stb-2018-84",
                        ()),
    "stcrt-2015-47076.xml": ("Ter inzage: omgevingsvergunning", "", "bekendmaking", "bekendmaking",
                             "stcrt-2015-47076", ()),
    "gmb-2017-100007.html": ("Bekendmaking Wet op de kansspelen St. Inloophuis Velp Zuid", "2017-06-14",
                             "bekendmaking", "bekendmaking", "gmb-2017-100007", ("Gemeente Rheden",)),
    "stb-2014-296.html": ("Besluit van 14 juli 2014, houdende verlenging van de Samenwerkingsregeling waarborging plannen "
                          "van aanpak landstaken Curaçao en Sint Maarten", "2014-07-29", "regelgeving", "besluit", "stb-2014-296",
                          ("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",)),
    "stcrt-2013-10981.html": ("Omgevingsvergunning ‘uitbreiden van een woning, Jan Arendsland 13’, Staphorst",
                              "2013-04-23", "bekendmaking", "bekendmaking", "stcrt-2013-10981",
                              ("Gemeente Staphorst",)),
    "opmeta1-metadata.xml": ("Kennisgeving melding incidentele festiviteit op grond van de Algemene Plaatselijke "
                             "Verordening, Hogeweg 15 in Yerseke", "2024-05-17", "bekendmaking",
                             "evenementenvergunning", "gmb-2024-216934", ("Gemeente Reimerswaal",)),
    "opmeta2-metadata_owms.xml": ("Kennisgeving melding incidentele festiviteit op grond van de Algemene "
                                  "Plaatselijke Verordening, Hogeweg 15 in Yerseke", "2024-05-17", "bekendmaking",
                                  "evenementenvergunning", "gmb-2024-216934", ("Gemeente Reimerswaal",)),
}
MASTHEADS = ("GEMEENTEBLAD", "Officiële uitgave", "PROVINCIAAL BLAD", "van het Koninkrijk der Nederlanden",
             "STAATSCOURANT")


def extracted(name: str):  # type: ignore[no-untyped-def]
    path = KOOP / name
    url = f"https://repository.overheid.nl/frbr/officielepublicaties/{name}"
    record = Record(source="koop", native_id=name, url=url, body=path.read_bytes(),
                    content_type=CONTENT_TYPES[path.suffix], file_url=url)
    return extract(record)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_publication_title_date_kind_id_and_creator_from_metadata_not_masthead(name: str) -> None:
    doc = extracted(name)
    got = (doc.title, doc.date, doc.category, doc.doc_type, doc.identifiers.get("canonical", ""), doc.creators)
    assert got == EXPECTED[name]
    assert not any(doc.title.startswith(masthead) for masthead in MASTHEADS)


def test_body_dates_are_not_publication_dates() -> None:
    # 05/06/2017 is when the permit was applied for; 24 december 2015 when the plan goes on display
    assert extracted("gmb-2017-100002.xml").date == ""
    assert extracted("stcrt-2015-47076.xml").date == ""


def test_xml_without_declaration_or_with_bom_is_xml_not_raw_markup() -> None:
    body = (KOOP / "opmeta1-metadata.xml").read_bytes()
    assert not body.startswith(b"<?xml")
    assert sniff.detect_format(body, "application/xml") == sniff.XML
    assert sniff.detect_format(body, "") == sniff.XML
    bom = (KOOP / "stcrt-2015-47076.xml").read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf")
    assert sniff.detect_format(bom[3:].split(b"\n", 1)[1].lstrip(), "") == sniff.KOOP_XML  # no <?xml line either
    doc = extracted("opmeta1-metadata.xml")
    assert "<metadata" not in " ".join(doc.pages) and "<metadata" not in doc.title
    # a Markdown file that starts with a tag is still text (corpus/regelgeving/*.md do)
    markdown = b"<meta http-equiv='Content-Type' content='text/html; charset=utf-8' />\n\n##Aanwijzing\n\nTekst.\n"
    assert sniff.detect_format(markdown, "text/markdown") == sniff.TEXT


def sru_items(name: str) -> list[object]:
    source = build_source("koop", "sru", {"endpoint": "http://127.0.0.1:9/sru", "query": "x",
                                          "defaults": {"category": "overig-niet", "language": "en"}})
    request: Request = next(iter(source.start(None)))
    return list(source.parse(Response(request, request.url, 200, {"content-type": "text/xml"},
                                      (SRU / name).read_bytes())))


@pytest.mark.parametrize("name", ["gmb_stripped.xml", "gmb_namespaced.xml"])
def test_sru_parses_the_real_record_with_and_without_namespaces(name: str) -> None:
    items = sru_items(name)
    (request, cursor) = items
    meta = request.meta
    assert request.native_id == "gmb-2023-174296"
    assert request.url.endswith("/gmb-2023-174296/1/xml/gmb-2023-174296.xml")
    assert meta["title"] == ("Ingekomen melding, Frater Romboutsstraat 42 5571KZ Bergeijk, "
                             "verwijderen van asbest van het dak")
    assert meta["date"] == "2023-04-20" and meta["doc_type"] == "omgevingsvergunning"
    assert meta["category"] == "bekendmaking" and meta["canonical"] == "gmb-2023-174296"
    assert meta["creators"] == ["Gemeente Bergeijk"] and meta["language"] == "nl"  # record beats defaults
    assert meta["url"] == "https://zoek.officielebekendmakingen.nl/gmb-2023-174296.html"
    assert cursor.value == "2023-04-20"
