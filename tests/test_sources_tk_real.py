"""Tweede Kamer OData on real entities: one real page of the Document set
(document_page_100.json) and three real Zaak expansions from the 2024-2025 bulk set
(tests/fixtures/replay/tk/zaak/, provenance in tests/fixtures/replay/PROVENANCE.md): every
``Soort`` is mapped (docs/tk-soort.md), and government papers never get the Kamer as creator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from indexer.citekeys.doctypes import DOC_TYPES, SPELLINGS
from indexer.model import Request, Response
from indexer.sources import build_source
from indexer.sources.tk_odata import document_metadata

TK = Path(__file__).parent / "fixtures" / "replay" / "tk"


def page_entities() -> list[dict[str, Any]]:
    return json.loads((TK / "document_page_100.json").read_text(encoding="utf-8"))


def zaak_document(name: str, soort: str) -> dict[str, Any]:
    documents = json.loads((TK / "zaak" / f"{name}.json").read_text(encoding="utf-8"))["Document"]
    return next(document for document in documents if document["Soort"] == soort)


def test_every_soort_of_the_real_page_is_in_the_vocabulary() -> None:
    kinds = {entity["Soort"] for entity in page_entities() if entity.get("Soort")}
    assert len(kinds) == 25
    assert sorted(kind for kind in kinds if kind.lower() not in {s.text for s in SPELLINGS}) == []


def test_amended_motions_and_member_and_committee_letters_are_mapped() -> None:
    amended = document_metadata(zaak_document("0006f304-7f6f-45f7-923e-9975c29d77c6", "Motie (gewijzigd/nader)"))
    assert amended["doc_type"] == "motie" and amended["canonical"] == "kst-19637-3384"
    committee = document_metadata(zaak_document("10b210a4-a519-48a6-a638-e9e25ed46a51", "Brief commissie aan bewindspersoon"))
    assert committee["doc_type"] == "brief" and committee["creators"] == ["Tweede Kamer"]
    member = next(e for e in page_entities() if e.get("Soort") == "Brief lid / fractie")
    assert document_metadata(member)["doc_type"] == "brief"


def test_government_letter_never_gets_the_kamer_as_creator() -> None:
    letter = zaak_document("ac97c859-7b2f-4f0c-b0f2-dd656404bbc2", "Brief regering")
    assert letter["Soort"] == "Brief regering" and letter["Organisatie"] == "Tweede Kamer"
    assert "creators" not in document_metadata(letter)
    answers = [e for e in page_entities() if e.get("Soort") == "Antwoord schriftelijke vragen"]
    assert answers and all("creators" not in document_metadata(e) for e in answers)
    motion = next(e for e in page_entities() if e.get("Soort") == "Motie")
    assert document_metadata(motion)["creators"] == ["Tweede Kamer"]


def test_government_creator_is_the_signers_office_when_the_record_names_it() -> None:
    # DocumentActor in the shape of the published entity model (not in any recording)
    letter = {**zaak_document("ac97c859-7b2f-4f0c-b0f2-dd656404bbc2", "Brief regering"), "DocumentActor": [
        {"ActorNaam": "J.A. Wiersma", "Functie": "minister van Landbouw, Visserij, Voedselzekerheid en Natuur",
         "Relatie": "Eerste ondertekenaar"}]}
    meta = document_metadata(letter)
    assert meta["creators"] == ["Minister van Landbouw, Visserij, Voedselzekerheid en Natuur"]
    assert meta["authors"] == ["J.A. Wiersma"]


def test_connector_reads_the_real_page() -> None:
    source = build_source("tweedekamer", "tk_odata", {"endpoint": "http://127.0.0.1:9/OData/v4/2.0",
                                                      "defaults": {"category": "kamerstuk"}})
    request: Request = next(iter(source.start(None)))
    body = json.dumps({"value": page_entities()}).encode()
    items = list(source.parse(Response(request, request.url, 200, {"content-type": "application/json"}, body)))
    documents = [i for i in items if isinstance(i, Request)]
    assert len(documents) == 186  # 250 entities, 64 tombstones
    assert {d.meta["doc_type"] for d in documents} <= set(DOC_TYPES)
    assert all(d.meta["category"] for d in documents)
