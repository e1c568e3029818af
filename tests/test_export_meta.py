"""Zotero ``<meta>`` tags for document pages (indexer.export.zotero_meta).

Zotero's Embedded Metadata translator saves a page as a *report* when it finds
``citation_technical_report_institution`` (docs/background.md §1.1); the golden file holds the
full tag list for every fixture document.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from indexer.export import zotero_meta
from indexer.model import Document

FIXTURES = Path(__file__).parent / "fixtures" / "export"
GOLDEN = Path(__file__).parent / "golden" / "export" / "documents.meta.json"


def documents() -> dict[str, Document]:
    data = json.loads((FIXTURES / "documents.json").read_text(encoding="utf-8"))
    return {item["id"]: Document.from_dict(item) for item in data}


def test_golden_meta_tags() -> None:
    tags = {doc_id: [list(pair) for pair in zotero_meta(doc)] for doc_id, doc in documents().items()}
    text = json.dumps(tags, ensure_ascii=False, indent=1) + "\n"
    if os.environ.get("BRONZOEKER_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_kamerbrief_is_a_report_with_its_number() -> None:
    tags = zotero_meta(documents()["officielebekendmakingen:kst-32824-193"])
    assert tags[:4] == [
        ("citation_title", "Afronding programma Aanpak uitbuiting Roma kinderen – opbrengsten en geëvalueerde proeftuinen"),
        ("citation_date", "2017/04/04"),
        ("citation_author", "Blok, S.A."),
        ("citation_author", "Asscher, L.F."),
    ]
    assert ("citation_technical_report_institution", "Tweede Kamer der Staten-Generaal") in tags
    assert ("citation_technical_report_number", "32824, nr. 193") in tags
    assert ("citation_pdf_url", "https://zoek.officielebekendmakingen.nl/kst-32824-193.pdf") in tags
    assert ("DC.type", "report") in tags


def test_every_report_kind_saves_as_report() -> None:
    reports = {"kamerstuk", "aanhangsel", "handelingen", "wodc", "ccv", "cahrom"}
    for doc in (doc for doc in documents().values() if doc.category in reports):
        names = [name for name, _ in zotero_meta(doc)]
        assert "citation_technical_report_institution" in names, doc.id
        assert names.count("citation_author") == len(doc.authors)


def test_reports_carry_number_language_and_abstract() -> None:
    docs = documents()
    wodc = dict(zotero_meta(docs["wodc:onderzoek-en-beleid-192"]))
    assert wodc["citation_technical_report_number"] == "192"
    assert wodc["citation_series_title"] == "Onderzoek en beleid"
    assert wodc["citation_date"] == "2001"
    assert wodc["citation_abstract"].startswith("Voor de bedrijfsvoering")
    cahrom = dict(zotero_meta(docs["cahrom:CAHROM(2014)16-fr"]))
    assert cahrom["citation_technical_report_number"] == "CAHROM (2014)16"
    assert cahrom["citation_language"] == "fr"
    assert cahrom["citation_technical_report_institution"] == "Conseil de l'Europe"


def test_regulation_and_other_types() -> None:
    docs = documents()
    law = dict(zotero_meta(docs["wetten:BWBR0034176"]))
    assert law["DC.type"] == "statute" and "citation_technical_report_institution" not in law
    other = dict(zotero_meta(docs["rijksoverheid:besluitenlijst-ministerraad-20250110"]))
    assert other["DC.type"] == "document" and other["citation_publisher"] == "Ministerraad"


def test_html_file_is_not_offered_as_pdf() -> None:
    doc = documents()["officielebekendmakingen:kst-32824-193"].replace(file_url="https://example.org/stuk.html")
    assert "citation_pdf_url" not in dict(zotero_meta(doc))
