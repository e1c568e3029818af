"""Titles of real PDFs that are not Kamerstukken (letterheads, address blocks, label columns,
editor's leftovers in the PDF properties) and dates that cannot be true (flagged, not used).
Expected titles were written down from page 1 of each document."""

from __future__ import annotations

import json

import pytest

from indexer.extract import extract
from indexer.model import Record
from tests.documents import document_path

TITLES = {
    # Woo beslisnota: letterhead "Ministerie van Onderwijs, Cultuur en / Wetenschap", stamp, label column
    "beslisnota-ocw-handgeschreven.pdf": "Wetsvoorstel terugdringen verzuim",
    # letter of the gemeente Emmen: address block first, then "onderwerp"
    "emmen-toezeggingen-commissie-bme-ocrmypdf.pdf": "Toezeggingen Commissie BME 04-12-2024",
    # Woo nota VWS: "Welzijn en Sport" is the second line of the ministry's name; "Bijlage(n)" a side label
    "woo-vws-nota-scan-ocrmypdf.pdf": "Project vermindering mijding van mondzorg om financiële redenen",
    # notitie of the Landsadvocaat: a disclaimer, a label column, the addressee, then the subject
    "landsadvocaat-juridische-analyse-coronamelder-2020.pdf":
        "Juridische analyse - advies Autoriteit Persoonsgegeven inzake de DPIA van de CoronaMelder",
    # PDF properties say "TLDR; management" (a section further on); page 1's heading is the title
    "ssc-ict-learninglion-explainer-kamervragen.pdf": "RAG en implicaties (Learning Lion)",
    # title broken over three lines on the cover
    "vws-programma-van-eisen-notificatie-app-20200519.pdf":
        "Programma van Eisen voor een digitale oplossing ter aanvulling op bron- en contactonderzoek",
    # PDF properties give "Onderzoeksrapport van …", the cover prints this
    "toegankelijkheidsonderzoek-coronamelder-2.5.4-android-20220201.pdf":
        "Toegankelijkheidsonderzoek CoronaMelder 2.5.4 (Android 10) op WCAG 2.1",
    # plausible PDF properties are kept
    "ssc-ict-learninglion-acceptatiecriteria-v1.0.pdf": "Acceptatie criteria",
}


def record(name: str, metadata: dict[str, str] | None = None) -> Record:
    path = document_path(name)
    sidecar = path.with_name(name + ".meta.json")
    meta = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    return Record(source="t", native_id=path.stem, url=path.as_uri(), body=path.read_bytes(),
                  file_url=path.as_uri(), metadata={**meta, **(metadata or {})})


@pytest.mark.parametrize(("name", "title"), TITLES.items())
def test_titles_of_real_pdfs(name: str, title: str) -> None:
    assert extract(record(name)).title == title


def test_scan_with_ocr_gets_its_subject_not_its_letterhead() -> None:
    # page 1 is an image: Tesseract reads "Nn ota Eerste bevindingen … een, 96817177"
    doc = extract(record("ic-scan-no-textlayer.pdf"))
    assert doc.title == "Eerste bevindingen gebiedsverbinder kernenergie"


def test_a_date_after_the_fetch_is_flagged_not_trusted() -> None:
    # the answer is dated 7 maart 2024; a crawl on 1 January 2024 cannot have fetched it
    doc = extract(record("ah-tk-20232024-1178.pdf"), fetched_at="2024-01-01T12:00:00Z")
    assert doc.date == "" and "date-after-fetch" in doc.flags
    assert doc.extra["unverified_date"] == "2024-03-07"
    assert extract(record("ah-tk-20232024-1178.pdf"), fetched_at="2026-12-01T12:00:00Z").date == "2024-03-07"


def test_a_date_before_the_series_is_flagged_not_trusted() -> None:
    # a sidecar claiming 2016 for an Aanhangsel of parliamentary year 2023-2024
    doc = extract(record("ah-tk-20232024-1178.pdf", {"date": "2016-05-01"}))
    assert doc.date == "" and "date-before-series" in doc.flags
