"""Leidraad citations (indexer.export.leidraad) against worked examples.

The rows come from docs/background.md §1.2 (Leidraad voor juridische auteurs 2019, Aanwijzing 3.43)
and from the real documents in tests/fixtures/export/documents.json.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from indexer.export import leidraad
from indexer.export.public_url import public_url
from indexer.extract import extract
from indexer.model import Document, Record

FIXTURES = Path(__file__).parent / "fixtures" / "export"


def fixture_documents() -> dict[str, Document]:
    data = json.loads((FIXTURES / "documents.json").read_text(encoding="utf-8"))
    return {item["id"]: Document.from_dict(item) for item in data}


def make(category: str, canonical: str = "", date: str = "", doc_type: str = "", **identifiers: str) -> Document:
    ids = {"canonical": canonical, **identifiers} if canonical else identifiers
    return Document(id=f"test:{canonical}", source="test", category=category, doc_type=doc_type, date=date, identifiers=ids)


def report(category: str, canonical: str, *, title: str = "", date: str = "", authors: tuple[str, ...] = (),
           creators: tuple[str, ...] = (), url: str = "", extra: dict[str, str] | None = None,
           **identifiers: str) -> Document:
    """A document with everything a non-parliamentary citation uses."""
    ids = {"canonical": canonical, **identifiers} if canonical else identifiers
    return Document(id=f"test:{canonical or title}", source="test", category=category, title=title, date=date,
                    authors=authors, creators=creators, url=url, identifiers=ids, extra=extra or {})


WORKED_EXAMPLES = [
    # Tweede Kamer, the seed letter (SOURCES A.11, first line)
    (make("kamerstuk", "kst-32824-193", dossier="32824", ondernummer="193", vergaderjaar="2016-2017"),
     "Kamerstukken II 2016/17, 32824, nr. 193"),
    # dossier with a hoofdstuk suffix as sources write it (37020-IX) → space (Aanwijzing 3.43)
    (make("kamerstuk", "kst-37020-IX-40", dossier="37020-IX", ondernummer="40", vergaderjaar="2026-2027"),
     "Kamerstukken II 2026/27, 37020 IX, nr. 40"),
    (make("kamerstuk", "kst-36600-VI-149", dossier="36600-VI", ondernummer="149", vergaderjaar="2024-2025"),
     "Kamerstukken II 2024/25, 36600 VI, nr. 149"),
    (make("kamerstuk", "kst-36600-VIII-92", dossier="36600 VIII", ondernummer="92", vergaderjaar="2024-2025"),
     "Kamerstukken II 2024/25, 36600 VIII, nr. 92"),
    # Eerste Kamer: letters, no "nr."
    (make("kamerstuk", "kst-35913-F", dossier="35913", ondernummer="F", vergaderjaar="2021-2022", kamer="I"),
     "Kamerstukken I 2021/22, 35913, F"),
    (make("kamerstuk", "kst-35300-A", dossier="35300", ondernummer="A", vergaderjaar="2019-2020", kamer="1"),
     "Kamerstukken I 2019/20, 35300, A"),
    (make("kamerstuk", "kst-33802-C", dossier="33802", ondernummer="C", vergaderjaar="2014-2015", kamer="I"),
     "Kamerstukken I 2014/15, 33802, C"),
    (make("kamerstuk", "kst-31700-VI-D", dossier="31700-VI", ondernummer="D", vergaderjaar="2008-2009", kamer="I"),
     "Kamerstukken I 2008/09, 31700 VI, D"),
    # spaced dossier number with a sub-number keeps its hyphen
    (make("kamerstuk", "kst-21501-02-3121", dossier="21 501-02", ondernummer="3121", vergaderjaar="2024-2025"),
     "Kamerstukken II 2024/25, 21501-02, nr. 3121"),
    # TK API: Soort=Brief regering, Volgnummer 133
    (make("kamerstuk", "kst-36180-133", dossier="36180", ondernummer="133", vergaderjaar="2024-2025"),
     "Kamerstukken II 2024/25, 36180, nr. 133"),
    # Bijlage: cite the main document it belongs to
    (make("kamerstuk", "blg-1093410", doc_type="bijlage", dossier="31305", ondernummer="412", vergaderjaar="2023-2024"),
     "Bijlage bij Kamerstukken II 2023/24, 31305, nr. 412"),
    # vergaderjaar spanning a century, and the en dash of the PDF running header
    (make("kamerstuk", "kst-26494-1", dossier="26494", ondernummer="1", vergaderjaar="1998-1999"),
     "Kamerstukken II 1998/99, 26494, nr. 1"),
    (make("kamerstuk", "kst-26800-VI-1", dossier="26800-VI", ondernummer="1", vergaderjaar="1999–2000"),
     "Kamerstukken II 1999/00, 26800 VI, nr. 1"),
    # vergaderjaar only from the date: motie Holman/Van Campen, 5 december 2024
    (make("kamerstuk", "kst-28286-1366", date="2024-12-05", dossier="28286", ondernummer="1366"),
     "Kamerstukken II 2024/25, 28286, nr. 1366"),
    # Aanhangsel: everything from the KOOP id
    (make("aanhangsel", "ah-tk-20192020-4046"), "Aanhangsel Handelingen II 2019/20, nr. 4046"),
    (make("aanhangsel", "ah-tk-20232024-1771", aanhangselnummer="1771", vergaderjaar="2023-2024"),
     "Aanhangsel Handelingen II 2023/24, nr. 1771"),
    # Handelingen since 2011: meeting and item
    (make("handelingen", "h-tk-20242025-42-4", vergadering="42", item="4"), "Handelingen II 2024/25, nr. 42, item 4"),
    (make("handelingen", "h-ek-20192020-5-3", vergadering="5", item="3"), "Handelingen I 2019/20, nr. 5, item 3"),
    # Handelingen before 2010/11: issue and page (Leidraad: Handelingen II 2007/08, nr. 70, p. 4867).
    # The bundled h-tk-20052006-3563-3563 page: KOOP id with first and last page, issue 54 in its metadata
    (report("handelingen", "h-tk-20052006-3563-3563", vergadering="3563", item="3563", kamer="II",
            vergaderjaar="2005-2006", extra={"OVERHEIDop.publicationIssue": "54", "OVERHEIDop.startpagina": "3563",
                                             "OVERHEIDop.eindpagina": "3563", "OVERHEIDop.paginareeks": "3563-3563"}),
     "Handelingen II 2005/06, nr. 54, p. 3563"),
    (report("handelingen", "h-tk-20072008-4867-4890", extra={"OVERHEIDop.publicationIssue": "70"}),
     "Handelingen II 2007/08, nr. 70, p. 4867-4890"),
    # only the KOOP id known (an SRU record without page metadata): pages from the id
    (report("handelingen", "h-ek-20082009-1234-1250"), "Handelingen I 2008/09, p. 1234-1250"),
    # the last year without item numbers
    (report("handelingen", "h-tk-20092010-5-1", extra={"OVERHEIDop.publicationIssue": "5",
                                                       "OVERHEIDop.startpagina": "312", "OVERHEIDop.eindpagina": "330"}),
     "Handelingen II 2009/10, nr. 5, p. 312-330"),
    # official journals (real samples of KOOP: stb-2018-84, stcrt-2015-47076, gmb-2017-100002, prb-2017-1003)
    (report("overig", "stb-2018-84", title="Besluit van 26 februari 2018"), "Stb. 2018, 84"),
    (report("regelgeving", "stcrt-2015-47076"), "Stcrt. 2015, 47076"),
    (report("overig", "stcrt-2013-10981"), "Stcrt. 2013, 10981"),
    (report("overig", "gmb-2017-100002"), "Gmb. 2017, 100002"),
    (report("overig", "prb-2017-1003"), "Prb. 2017, 1003"),
    (report("overig", "trb-2005-123"), "Trb. 2005, 123"),
    # WODC: authors, title, series and number, imprint, persistent handle
    (report("wodc", "wodc:3443", title="Verkennend onderzoek naar digitale criminaliteit",
            authors=("A.B. de Vries", "C. van der Berg"), date="2025-04-21", series="Cahier",
            report_number="Cahier 2025-21", handle="20.500.12832/3443"),
     "A.B. de Vries & C. van der Berg, Verkennend onderzoek naar digitale criminaliteit (Cahier 2025-21), "
     "Den Haag: WODC 2025, te raadplegen via https://hdl.handle.net/20.500.12832/3443"),
    # WODC report held only locally: no address, four authors become "e.a."
    (report("wodc", "", title="Model van justitiële jeugdvoorzieningen", date="2001",
            authors=("G.L.A.M. Huijbregts", "F.P. van Tulder", "D.E.G. Moolenaar", "X. Vier"),
            series="Onderzoek en beleid", report_number="192", url="file:///srv/corpus/ob192.pdf"),
     "G.L.A.M. Huijbregts e.a., Model van justitiële jeugdvoorzieningen (Onderzoek en beleid nr. 192), "
     "Den Haag: WODC 2001"),
    # CCV: the page read from a local copy, the report PDF on hetccv.nl: cite the PDF's address
    (Document(id="t:ccv", source="t", category="ccv", title="De oogst van negen keer proeftuinieren", date="2016",
              creators=("Centrum voor Criminaliteitspreventie en Veiligheid (CCV)",), url="file:///srv/ccv/oogst.html",
              file_url="https://hetccv.nl/app/uploads/2016/12/Rapport_Roma_totaal.pdf"),
     "Centrum voor Criminaliteitspreventie en Veiligheid (CCV), De oogst van negen keer proeftuinieren, "
     "Utrecht: CCV 2016, te raadplegen via https://hetccv.nl/app/uploads/2016/12/Rapport_Roma_totaal.pdf"),
    # CCV report read from a local copy: cited without the server's path
    (report("ccv", "", title="Procesevaluatie proeftuinen", date="2016-12-13",
            creators=("Centrum voor Criminaliteitspreventie en Veiligheid (CCV)",), url="file:///srv/ccv/rapport.pdf"),
     "Centrum voor Criminaliteitspreventie en Veiligheid (CCV), Procesevaluatie proeftuinen, Utrecht: CCV 2016"),
    # CAHROM (real samples of rm.coe.int): meeting report in English, Bureau report in French
    (Document(id="t:coe", source="t", category="cahrom", title="Meeting report", date="2013-06-28",
              identifiers={"canonical": "coe:CAHROM(2013)17-en", "coe_reference": "CAHROM(2013)17"},
              url="file:///srv/coe/CAHROM-2013-17.html", file_url="https://rm.coe.int/1680089824"),
     "Raad van Europa (CAHROM), Meeting report, CAHROM (2013)17, Straatsburg 28 juni 2013, te raadplegen via "
     "https://rm.coe.int/1680089824"),
    (report("cahrom", "coe:CAHROM(2014)16-fr", title="Projet de rapport", date="2014-09-10",
            coe_reference="CAHROM (2014)16", url="file:///srv/coe/CAHROM-2014-16-fr.docx"),
     "Raad van Europa (CAHROM), Projet de rapport, CAHROM (2014)16, Straatsburg 10 september 2014"),
]


@pytest.mark.parametrize(("doc", "expected"), WORKED_EXAMPLES, ids=[row[1] for row in WORKED_EXAMPLES])
def test_worked_examples(doc: Document, expected: str) -> None:
    assert leidraad.cite(doc) == expected


def test_table_is_large_enough() -> None:
    assert len(WORKED_EXAMPLES) >= 34  # 18 before issue 14, 16 added


FIXTURE_CITATIONS = {
    "officielebekendmakingen:kst-32824-193": "Kamerstukken II 2016/17, 32824, nr. 193",
    "officielebekendmakingen:ah-tk-20232024-1481": "Aanhangsel Handelingen II 2023/24, nr. 1481",
    "officielebekendmakingen:h-tk-20172018-50-1": "Handelingen II 2017/18, nr. 50, item 1",
    "officielebekendmakingen:kst-28638-239": "Kamerstukken II 2023/24, 28638, nr. 239",
    "wodc:onderzoek-en-beleid-192": "G.L.A.M. Huijbregts, F.P. van Tulder & D.E.G. Moolenaar, Model van justitiële "
    "jeugdvoorzieningen voor prognoses van de capaciteit (Onderzoek en beleid nr. 192), Den Haag: WODC 2001",
    "wodc:20.500.12832/2363": "J.D.M. van Dongen, C.S. Sergiou & I.H.A. Franken, Middelengebruik en geweld: "
    "ontwikkeling en validatie van een testbatterij, Den Haag: WODC 2019, "
    "te raadplegen via https://hdl.handle.net/20.500.12832/2363",  # the persistent handle
    "ccv:de-oogst-van-negen-keer-proeftuinieren": "Centrum voor Criminaliteitspreventie en Veiligheid (CCV), "
    "De oogst van negen keer proeftuinieren, Utrecht: CCV 2016, te raadplegen via https://hetccv.nl/onderwerpen/"
    "multiprobleemgezinnen-met-een-roma-achtergrond/documenten/de-oogst-van-negen-keer-proeftuinieren/",
    "cahrom:CAHROM(2013)13-en": "Raad van Europa (CAHROM), Abridged meeting report (list of decisions) as approved "
    "by the Committee, CAHROM (2013)13, Straatsburg 16 mei 2013, te raadplegen via http://rm.coe.int/"
    "CoERMPublicCommonSearchServices/DisplayDCTMContent?documentId=09000016800893e7",
}


@pytest.mark.parametrize(("doc_id", "expected"), FIXTURE_CITATIONS.items())
def test_real_documents(doc_id: str, expected: str) -> None:
    assert leidraad.cite(fixture_documents()[doc_id]) == expected


def test_pinpoint_page() -> None:
    doc = fixture_documents()["officielebekendmakingen:kst-32824-193"]
    assert leidraad.cite(doc, page="7") == "Kamerstukken II 2016/17, 32824, nr. 193, p. 7"


@pytest.mark.parametrize(
    ("date", "expected"),
    [("2017-09-18", "2016/17"), ("2017-09-19", "2017/18"), ("2018-01-15", "2017/18"), ("2017", "")],
)
def test_vergaderjaar_opens_on_prinsjesdag(date: str, expected: str) -> None:
    # Prinsjesdag 2017 fell on 19 September; a bare year cannot be placed.
    assert leidraad.vergaderjaar(make("kamerstuk", date=date)) == expected


@pytest.mark.parametrize("raw", ["2016-2017", "2016–2017", "2016/2017", "2016/17", "20162017"])
def test_vergaderjaar_spellings(raw: str) -> None:
    assert leidraad.vergaderjaar(make("kamerstuk", vergaderjaar=raw)) == "2016/17"


def test_four_authors_become_e_a() -> None:
    assert leidraad.author_list(["A. Een", "B. Twee", "C. van Drie", "D. Vier"]) == "A. Een e.a."


def test_write_one_line_per_document() -> None:
    out = io.StringIO()
    docs = list(fixture_documents().values())
    assert leidraad.write(docs, out) == len(docs)
    assert out.getvalue().splitlines() == [leidraad.cite(doc) for doc in docs]


@pytest.mark.parametrize(
    ("series", "number", "label"),
    [
        ("Onderzoek en beleid", "Onderzoek en beleid 192", "Onderzoek en beleid nr. 192"),
        ("Onderzoek en beleid", "192", "Onderzoek en beleid nr. 192"),
        ("Cahier", "Cahier 2025-21", "Cahier 2025-21"),
        ("", "2871", "2871"),
    ],
)
def test_series_labels_as_extractors_write_them(series: str, number: str, label: str) -> None:
    doc = make("wodc", series=series, report_number=number)
    assert leidraad.series_label(doc) == label


def test_parliamentary_documents_without_numbers_are_cited_by_title() -> None:
    besluitenlijst = Document(
        id="t:b", source="t", category="kamerstuk", title="Besluitenlijst procedurevergadering", date="2009-04-03",
        creators=("Vaste commissie voor Binnenlandse Zaken",),
    )
    assert leidraad.cite(besluitenlijst) == (
        "Vaste commissie voor Binnenlandse Zaken, Besluitenlijst procedurevergadering, 3 april 2009"
    )
    assert "nr." not in leidraad.cite(make("aanhangsel", vergaderjaar="2023-2024"))


def test_unknown_vergaderjaar_leaves_no_gap() -> None:
    assert leidraad.cite(make("aanhangsel", aanhangselnummer="12")) == "Aanhangsel Handelingen II, nr. 12"


REAL_JOURNAL_PUBLICATIONS = {
    "stb-2018-84.xml": "Stb. 2018, 84", "stb-2014-296.html": "Stb. 2014, 296",
    "stcrt-2015-47076.xml": "Stcrt. 2015, 47076", "stcrt-2013-10981.html": "Stcrt. 2013, 10981",
    "gmb-2017-100002.xml": "Gmb. 2017, 100002", "prb-2017-1003.xml": "Prb. 2017, 1003",
}


@pytest.mark.parametrize(("name", "expected"), REAL_JOURNAL_PUBLICATIONS.items())
def test_real_journal_publications_are_cited_by_journal_year_and_number(name: str, expected: str) -> None:
    # real KOOP publications (tests/fixtures/replay/koop, provenance there), extracted as crawled
    path = Path(__file__).parent / "fixtures" / "replay" / "koop" / name
    doc = extract(Record(source="koop", native_id=path.stem, url=path.as_uri(), body=path.read_bytes()))
    assert leidraad.cite(doc) == expected
    assert public_url(doc) == f"https://zoek.officielebekendmakingen.nl/{path.stem}.html"
