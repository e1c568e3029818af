"""The index: upsert by id, search over the real corpus, facets, snippets, links, rebuild."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from indexer.index import SearchRequest, open_backend, open_writer, rebuild
from indexer.index.store import IndexMissing
from indexer.model import Document

SEED = "kamerstukken:kst-32824-193"


def keys(doc: Document) -> set[str]:
    return {doc.identifiers["canonical"]} if "canonical" in doc.identifiers else set()


def doc(doc_id: str, title: str, body: str, **kw: object) -> Document:
    return Document(id=doc_id, source=doc_id.split(":")[0], title=title, pages=(body,), **kw)  # type: ignore[arg-type]


def test_seed_letter_ranks_first(demo_data: Path) -> None:
    result = open_backend(demo_data).search(SearchRequest(query="uitbuiting Roma kinderen"))
    assert result.total >= 1
    assert result.hits[0].document.id == SEED
    hit = result.hits[0]
    assert "<mark>" in hit.snippet and hit.snippet_page is not None


def test_facet_counts_equal_a_brute_force_count(demo_data: Path) -> None:
    backend = open_backend(demo_data)
    result = backend.search(SearchRequest(query="minister", page_size=1000))
    assert result.total == len(result.hits) > 5
    for field in ("source", "category", "language", "year"):
        expected = Counter(getattr_facet(h.document, field) for h in result.hits)
        expected.pop("", None)
        assert dict(result.facets[field]) == dict(expected), field


def getattr_facet(document: Document, field: str) -> str:
    return document.year if field == "year" else getattr(document, field)


def test_filters_and_date_sort_cover_all_matches(demo_data: Path) -> None:
    backend = open_backend(demo_data)
    everything = backend.search(SearchRequest(query="", page_size=1000, sort="date-desc"))
    dates = [h.document.date for h in everything.hits if h.document.date]
    assert dates == sorted(dates, reverse=True)
    second_page = backend.search(SearchRequest(query="", page=2, page_size=5, sort="date-desc"))
    assert [h.document.id for h in second_page.hits] == [h.document.id for h in everything.hits[5:10]]
    only = backend.search(SearchRequest(query="", filters={"source": ("aanhangsel",)}, page_size=1000))
    assert only.total == 21 and {h.document.source for h in only.hits} == {"aanhangsel"}
    ranged = backend.search(SearchRequest(query="", date_from="2017", date_to="2017", page_size=1000))
    assert ranged.total >= 1 and all(h.document.date.startswith("2017") for h in ranged.hits)


def test_upsert_replaces_and_delete_removes(tmp_path: Path) -> None:
    with open_writer(tmp_path, keys) as writer:
        writer.upsert(doc("t:1", "Eerste versie", "uitbuiting van kinderen"))
        writer.upsert(doc("t:2", "Ander", "iets anders"))
    with open_writer(tmp_path, keys) as writer:
        writer.upsert(doc("t:1", "Tweede versie", "uitbuiting van kinderen"))
    backend = open_backend(tmp_path)
    result = backend.search(SearchRequest(query="uitbuiting"))
    assert result.total == 1 and result.hits[0].document.title == "Tweede versie"
    with open_writer(tmp_path, keys) as writer:
        writer.delete("t:1")
    assert backend.search(SearchRequest(query="uitbuiting")).total == 0
    assert backend.get("t:2") is not None and backend.get("t:1") is None


def test_cites_and_cited_by_follow_canonical_keys(tmp_path: Path) -> None:
    letter = doc("a:letter", "Brief", "zie Kamerstuk 28 638, nr. 152", references=("kst-28638-152",),
                 identifiers={"canonical": "kst-32824-193"})
    cited = doc("b:motie", "Motie", "tekst", identifiers={"canonical": "kst-28638-152"})
    with open_writer(tmp_path, keys) as writer:
        writer.upsert(letter)
        writer.upsert(cited)
    backend = open_backend(tmp_path)
    assert [d.id for d in backend.cites(letter)] == ["b:motie"]
    assert [d.id for d in backend.cited_by(cited)] == ["a:letter"]


def test_rebuild_keeps_every_document(tmp_path: Path) -> None:
    with open_writer(tmp_path, keys) as writer:
        for n in range(5):
            writer.upsert(doc(f"t:{n}", f"Titel {n}", f"tekst nummer {n} over gezinnen"))
    backend = open_backend(tmp_path)
    assert backend.search(SearchRequest(query="gezinnen")).total == 5
    assert rebuild(tmp_path, keys) == 5
    assert backend.search(SearchRequest(query="gezinnen")).total == 5  # the open backend follows the swap
    assert (tmp_path / "CURRENT").read_text().startswith("index-")


def test_empty_data_dir_is_an_empty_index_and_rebuild_says_so(tmp_path: Path) -> None:
    backend = open_backend(tmp_path)
    assert backend.search(SearchRequest(query="x")).total == 0 and backend.stats()["documents"] == 0
    with pytest.raises(IndexMissing, match="run `indexer crawl` first"):
        rebuild(tmp_path, keys)


def test_facet_labels_name_dossiers_by_their_title(tmp_path: Path) -> None:
    with open_writer(tmp_path, keys) as writer:
        writer.upsert(doc("t:1", "Motie", "tekst", identifiers={"dossier": "28638"},
                          extra={"dossier_title": "Mensenhandel"}))
        writer.upsert(doc("t:2", "Brief", "tekst", identifiers={"dossier": "35851"}))
    backend = open_backend(tmp_path)
    assert backend.facet_labels("dossier", ["28638", "35851", "99999"]) == {"28638": "Mensenhandel"}
    assert backend.facet_labels("source", ["t"]) == {}
