"""Snippets over the real demo corpus show the match: a phrase query's snippet shows and
marks the phrase (not its words scattered), a compound query's snippet the compound (not
its parts), stop words are marked only inside a phrase; the Kamerstuk head and Markdown
neither match nor show; the document page marks the same way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.extract import extract
from indexer.extract.text import extract_text
from indexer.index import SearchRequest, open_backend
from indexer.model import Record

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def hits(data_dir: Path, query: str, size: int = 30):  # type: ignore[no-untyped-def]
    return open_backend(data_dir).search(SearchRequest(query=query, page_size=size, facets=False)).hits


def literal(phrase: str) -> re.Pattern[str]:
    return re.compile(r"\b" + r"\s+".join(map(re.escape, phrase.split())) + r"\b", re.I)


@pytest.mark.parametrize("phrase", ["in het kader van", "Raad van State", "op de hoogte"])
def test_a_phrase_snippet_shows_and_marks_the_phrase_alone(demo_data: Path, phrase: str) -> None:
    backend, shown = open_backend(demo_data), 0
    for hit in hits(demo_data, f'"{phrase}"'):
        marked = [" ".join(m.split()).lower() for m in MARK.findall(hit.snippet)]
        assert all(m == phrase.lower() for m in marked), (hit.document.id, marked)
        doc = backend.get(hit.document.id)
        assert doc is not None
        if literal(phrase).search(doc.body[:400_000]):
            assert marked, (hit.document.id, hit.snippet)  # the body holds it: the snippet shows it
            shown += 1
    assert shown >= 3


def test_a_compound_snippet_shows_the_compound_not_its_parts(demo_data: Path) -> None:
    backend, checked = open_backend(demo_data), 0
    for query in ("mensenhandel", "jeugdzorg", "kinderuitbuiting"):
        for hit in hits(demo_data, query):
            doc = backend.get(hit.document.id)
            if doc is None or not re.search(query, doc.body[:400_000], re.I):
                continue  # only documents holding the compound itself
            marked = MARK.findall(hit.snippet)
            assert marked and all(query in m.lower() for m in marked), (query, hit.document.id, marked)
            checked += 1
    assert checked >= 8


def test_stop_words_are_marked_only_inside_a_phrase(demo_data: Path) -> None:
    for hit in hits(demo_data, "kader van de regering"):
        marked = {m.lower() for m in MARK.findall(hit.snippet)}
        assert not marked & {"van", "de"}, (hit.document.id, marked)
    phrase = hits(demo_data, '"in het kader van" regering')
    assert any("<mark>in het kader van</mark>" in h.snippet.lower() for h in phrase)


def test_the_document_page_marks_the_phrase_as_one_passage(demo_data: Path) -> None:
    backend = open_backend(demo_data)
    doc = backend.get("kamerstukken:kst-35538-4-advies-raad-van-state")
    assert doc is not None
    pages = backend.marked_pages(doc, '"Raad van State"')
    marked = {" ".join(m.split()).lower() for page in pages for m in MARK.findall(page)}
    assert marked == {"raad van state"}
    assert sum(len(MARK.findall(page)) for page in pages) == sum(len(literal("Raad van State").findall(p)) for p in doc.pages)


def test_the_kamerstuk_head_is_not_text(demo_data: Path) -> None:
    path = CORPUS / "xml" / "kst-28638-244.xml"
    doc = extract(Record(source="x", native_id=path.stem, url=path.as_uri(), body=path.read_bytes()))
    body = doc.body
    assert body.startswith("MOTIE VAN HET LID MUTLUER C.S.") and "Staten-Generaal" not in body and "Nr. 244" not in body
    assert doc.doc_type == "motie" and doc.identifiers["canonical"] == "kst-28638-244"  # still read from the head
    assert doc.extra["dossier_title"] == "Mensenhandel" and doc.identifiers["vergaderjaar"] == "2023-2024"
    motions = [h for h in hits(demo_data, "mensenhandel") if h.document.id.startswith("kamerstukken-xml:kst-28638")]
    assert motions and all("Kamerstukken" not in h.snippet and "Staten-Generaal" not in h.snippet for h in motions)
    # the head's words do not match a motion's text any more (its metadata still names the dossier)
    head = hits(demo_data, 'tekst:"Tweede Kamer der Staten-Generaal"', size=100)  # 16 XML Kamerstukken before
    assert not [h for h in head if h.document.id.startswith("kamerstukken-xml:kst-")]
    # the dossier title is metadata now, still searched: "Integratiebeleid" is only the title of
    # this motion's dossier, in its text no more
    doc = open_backend(demo_data).get("kamerstukken-html:kst-32824-399")
    assert doc is not None and "integratiebeleid" not in doc.body.lower()
    assert "kamerstukken-html:kst-32824-399" in {h.document.id for h in hits(demo_data, "integratiebeleid", size=100)}


@pytest.mark.parametrize("doc_id, starts", [
    ("kamerstukken:kst-21501-02-3121-motie-ceder", "MOTIE VAN HET LID CEDER"),  # PDF
    ("kamerstukken:kst-35538-4-advies-raad-van-state", "ADVIES AFDELING"),  # PDF, long dossier title
    ("kamerstukken-html:kst-32824-399", "MOTIE VAN HET LID VAN BAARLE"),  # HTML edition
    ("kamerstukken-html:kst-19637-1020", "GEWIJZIGDE MOTIE VAN HET LID VOS"),  # "nr." in lower case
    ("kamerstukken:kst-29338-289-verslag-schriftelijk-overleg-wetenschapsbudget", "Verslag van een schriftelijk overleg"),
    ("aanhangsel:ah-tk-20232024-1481", "Vragen van het lid Koekkoek"),
])
def test_the_masthead_of_kamerstukken_and_aanhangsels_is_not_text(demo_data: Path, doc_id: str, starts: str) -> None:
    backend = open_backend(demo_data)
    doc = backend.get(doc_id)
    assert doc is not None and doc.body.lstrip().startswith(starts), doc.body[:200]
    assert doc.identifiers.get("canonical") and doc.identifiers.get("vergaderjaar", "x")  # still read from it
    opening = open_backend(demo_data).search(SearchRequest(query=f"id:{doc_id.split(':')[1]}", page_size=1))
    assert "Staten-Generaal" not in " ".join(h.snippet for h in opening.hits)


def test_markdown_is_text_in_the_index_and_in_snippets(demo_data: Path) -> None:
    for path in sorted((CORPUS / "regelgeving").glob("*.md")):
        text = extract_text(path.read_bytes()).raw_pages[0]
        assert "](" not in text and "README" not in text and not re.search(r"^\s*#", text, re.M), path.name
    assert not hits(demo_data, "tekst:readme")
    regulations = [h for h in hits(demo_data, "mensenhandel artikel") if h.document.category == "regelgeving"]
    assert regulations and all("#" not in h.snippet and "](" not in h.snippet for h in regulations)
