"""CAHROM and CCV on real recorded text (rm.coe.int documents and a hetccv.nl document page,
text renderings copied to tests/fixtures/replay/coe and ccv; provenance in
tests/fixtures/replay/PROVENANCE.md). Expected values were read from the excerpts."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract import extract
from indexer.model import Record

REPLAY = Path(__file__).parent / "fixtures" / "replay"
LEGACY = "http://rm.coe.int/CoERMPublicCommonSearchServices/DisplayDCTMContent?documentId="
CCV_PAGE = ("https://hetccv.nl/onderwerpen/multiprobleemgezinnen-met-een-roma-achtergrond/documenten/"
            "de-oogst-van-negen-keer-proeftuinieren/")

#: excerpt -> (title, date, doc_type, canonical, language, meeting)
CAHROM = {
    "rm-coe-09000016800893e6-CAHROM-2012-26-excerpt.txt":
        ("Meeting report", "2013-01-24", "verslag", "coe:CAHROM(2012)26-en", "en", "4th meeting"),
    "rm-coe-09000016800893e7-CAHROM-2013-13-excerpt.txt":
        ("Abridged meeting report (list of decisions) as approved by the Committee", "2013-05-16", "verslag",
         "coe:CAHROM(2013)13-en", "en", "5th meeting, Strasbourg, 14-16 May 2013"),
    "rm-coe-0900001680089824-CAHROM-2013-17-excerpt.txt":
        ("Meeting report", "2013-06-28", "verslag", "coe:CAHROM(2013)17-en", "en",
         "5th meeting, Strasbourg, 14-16 May 2013"),
    "rm-coe-09000016801eac93-CAHROM-2014-16-fr-excerpt.txt":
        ("Projet de rapport", "2014-09-10", "verslag", "coe:CAHROM(2014)16-fr", "fr", "8e réunion du Bureau"),
}


def record(url: str, path: Path, content_type: str = "text/plain", **metadata: object) -> Record:
    return Record(source="t", native_id=url, url=url, body=path.read_bytes(), content_type=content_type,
                  file_url=url, metadata=metadata)


@pytest.mark.parametrize("name", sorted(CAHROM))
def test_cahrom_legacy_url_without_category_hint(name: str) -> None:
    doc_id = name.split("-")[2]
    doc = extract(record(LEGACY + doc_id, REPLAY / "coe" / name))  # no "cahrom" in the URL, no metadata
    got = (doc.title, doc.date, doc.doc_type, doc.identifiers.get("canonical"), doc.language,
           doc.extra.get("meeting"))
    assert got == CAHROM[name]
    assert doc.category == "cahrom"
    assert not doc.title.startswith(("Strasbourg", "AD HOC", "COMITÉ", "Ad hoc"))


def test_reference_glued_to_the_date_is_found() -> None:
    doc = extract(record(LEGACY + "09000016800893e7", REPLAY / "coe" / CAHROM_13))
    assert "16 May 2013CAHROM (2013)13" in (REPLAY / "coe" / CAHROM_13).read_text(encoding="utf-8")
    assert doc.identifiers["coe_reference"] == "CAHROM(2013)13"


CAHROM_13 = "rm-coe-09000016800893e7-CAHROM-2013-13-excerpt.txt"


def test_bureau_meeting_is_not_a_plenary_meeting() -> None:
    doc = extract(record(LEGACY + "09000016801eac93", REPLAY / "coe" / "rm-coe-09000016801eac93-CAHROM-2014-16-fr-excerpt.txt"))
    assert "Bureau" in doc.extra["meeting"]


def test_ccv_document_page_title_is_not_the_shop_banner() -> None:
    for path, ctype in ((REPLAY / "ccv" / "hetccv-de-oogst-van-negen-keer-proeftuinieren-excerpt.txt", "text/plain"),
                        (REPLAY / "ccv" / "document-de-oogst.html", "text/html")):
        doc = extract(record(CCV_PAGE, path, ctype, category="ccv"))
        assert doc.title == "De oogst van negen keer proeftuinieren", ctype
        assert doc.extra["theme"] == "Multiprobleemgezinnen met een Roma achtergrond"  # "Roma", as written
        assert doc.summary.startswith("Al decennia lang worden Romakinderen")
        assert "winkelmand" not in doc.summary and "Organisatie" not in doc.summary
        assert doc.category == "ccv" and doc.doc_type == "rapport" and doc.language == "nl"


def test_ccv_theme_from_a_slug_alone_is_never_capitalized() -> None:
    doc = extract(Record(source="t", native_id="x", url="https://hetccv.nl/onderwerpen/aanpak-roma-uitbuiting/",
                         body=b"Een pagina zonder de titel.\n", content_type="text/plain"))
    assert doc.extra["theme"] == "Aanpak roma uitbuiting"
