"""Page texts live once, in the document store (schema 6): snippets and document pages read
them from there and are what they were when the index stored them; an index of schema 5 (texts
in the index, maybe no store) fills the store and is rebuilt by the next crawl; a document the
store lacks is a clear error, never a 500."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, Schema

from indexer.cli import main
from indexer.docstore import STORE_FILE
from indexer.fetch.state import STATE_FILE
from indexer.index import SearchRequest, health, open_backend, store
from indexer.index.page_texts import TextMissing
from indexer.index.schema import (
    HASH_FIELD,
    LEGACY_RECORD_FIELD,
    LEGACY_TEXT_FIELD,
    build_schema,
    document_fields,
    pack_hash,
)
from indexer.index.stored_fields import searcher_ids_and_hashes
from indexer.index.writer import hashes_of_source
from indexer.model import Document
from search_ui import create_app
from tests.crawl_helpers import documents, two_motion_folder

GOLDEN = Path(__file__).resolve().parent / "golden" / "search" / "demo-snippets.json"
#: words, a phrase with stop words, a compound, an identifier, English, several words
QUERIES = ("mensenhandel", '"Raad van State"', "uitbuiting Roma kinderen", "kinderopvang",
           "kst-32824-193", "jeugdbescherming gemeenten", "trafficking", '"in het kader van"')
LOST = "test:kst-28638-239"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def shown(data: Path) -> dict[str, object]:
    """Per query: the first page's (id, snippet, page) and a digest of each hit's marked document page."""
    backend = open_backend(data)
    try:
        result = {}
        for query in QUERIES:
            hits = backend.search(SearchRequest(query=query, snippets=True)).hits
            pages = [backend.marked_pages(backend.get(hit.document.id), query) for hit in hits[:3]]  # type: ignore[arg-type]
            result[query] = {"hits": [[hit.document.id, hit.snippet, hit.snippet_page] for hit in hits],
                             "marked_pages": [hashlib.sha256("\f".join(p).encode()).hexdigest() for p in pages]}
        return result
    finally:
        backend.close()  # type: ignore[attr-defined]


def test_snippets_and_document_pages_are_as_when_the_index_stored_the_texts(demo_data: Path) -> None:
    found = shown(demo_data)
    if os.environ.get("BRONZOEKER_WRITE_GOLDEN"):  # written once by the schema-5 code, see PROVENANCE.md
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert found == json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert LEGACY_TEXT_FIELD not in store.open_index(demo_data).schema  # and not stored twice


def legacy_index(data: Path, docs: Iterable[Document]) -> None:
    """The live index as schema 5 wrote it: the metadata record and the page texts stored in the index too."""
    schema = build_schema()
    schema.add(LEGACY_TEXT_FIELD, STORED())
    schema.add(LEGACY_RECORD_FIELD, STORED())
    old_index(data, schema, 5, [{**document_fields(doc, set()), LEGACY_TEXT_FIELD: doc.body,
                                 LEGACY_RECORD_FIELD: json.dumps({**doc.to_dict(), "pages": []}, ensure_ascii=False)}
                                for doc in docs])


def old_index(data: Path, schema: Schema, version: int, documents: list[dict[str, Any]]) -> None:
    """A live index of an older ``version`` with ``schema``, holding ``documents`` (their fields)."""
    path = store.current_dir(data)
    path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(path), schema)
    with ix.writer() as writer:
        for fields in documents:
            writer.add_document(**fields)
    (path / store.VERSION_FILE).write_text(json.dumps({"schema_version": version}))


def test_an_index_of_schema_5_without_a_store_fills_it_and_the_next_crawl_rebuilds(tmp_path: Path,
                                                                                  corpus_dir: Path) -> None:
    config = two_motion_folder(tmp_path, corpus_dir)
    crawled = tmp_path / "crawled"
    assert run("crawl", "--config", str(config), "--data-dir", str(crawled))[0] == 0
    before = documents(crawled)
    data = tmp_path / "data"
    legacy_index(data, before.values())  # a data directory from before the store, at schema 5
    code, _, err = run("search", "motie", "--data-dir", str(data))
    assert code == 2 and "indexer index --rebuild" in err
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0 and " 0 nieuw" in err and " 0 gewijzigd" in err  # rebuilt from the store, nothing refetched
    assert (data / STORE_FILE).is_file() and documents(data) == before
    assert LEGACY_TEXT_FIELD not in store.open_index(data).schema
    hits = open_backend(data).search(SearchRequest(query="beraadslaging", snippets=True)).hits
    assert len(hits) == 2 and all("<mark>" in hit.snippet for hit in hits)


def test_an_outdated_index_beside_a_store_is_rebuilt_from_it(tmp_path: Path, corpus_dir: Path) -> None:
    config = two_motion_folder(tmp_path, corpus_dir)
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    before = documents(data)
    (store.current_dir(data) / store.VERSION_FILE).write_text(json.dumps({"schema_version": 5}))
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0 and " 0 nieuw" in err and documents(data) == before


def test_a_store_without_the_texts_of_a_textless_index_is_not_filled_from_it(tmp_path: Path,
                                                                              corpus_dir: Path) -> None:
    config = two_motion_folder(tmp_path, corpus_dir)
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    (data / STORE_FILE).unlink()  # the only copy of the texts is gone: refilling would lose them
    code, _, err = run("index", "--rebuild", "--data-dir", str(data))
    assert code == 2 and "de index bewaart geen teksten" in err
    assert len(documents_in_index(data)) == 2  # nothing was changed


def documents_in_index(data: Path) -> list[str]:
    with store.open_index(data).searcher() as searcher:
        return [doc_id for doc_id, _ in searcher_ids_and_hashes(searcher, searcher.reader().all_doc_ids())]


@pytest.fixture
def store_lacking_one(tmp_path: Path, corpus_dir: Path) -> tuple[Path, Path]:
    """A data directory whose index lists LOST and whose store does not hold it."""
    config = two_motion_folder(tmp_path, corpus_dir)
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    with sqlite3.connect(data / STORE_FILE) as db:
        db.execute("DELETE FROM documents WHERE seq = (SELECT seq FROM ids WHERE id = ?)", (LOST,))
        db.execute("DELETE FROM ids WHERE id = ?", (LOST,))
    return data, config


def test_a_missing_text_leaves_the_result_list_and_stops_the_document_page_clearly(
        store_lacking_one: tuple[Path, Path]) -> None:
    data, _ = store_lacking_one
    backend = open_backend(data)
    hits = {hit.document.id: hit for hit in backend.search(SearchRequest(query="beraadslaging", snippets=True)).hits}
    assert set(hits) == {LOST, "test:kst-28638-238"}
    assert hits[LOST].snippet == "" and "<mark>" in hits["test:kst-28638-238"].snippet
    with pytest.raises(TextMissing, match=f"de tekst van {LOST} staat niet in de documentopslag"):
        backend.get(LOST)
    code, _, err = run("show", LOST, "--data-dir", str(data))
    assert code == 2 and err.startswith(f"fout: de tekst van {LOST}")
    client = create_app({"DATA_DIR": str(data), "TESTING": True}).test_client()
    assert client.get(f"/document/{LOST}").status_code == 503
    assert client.get(f"/api/v1/documents/{LOST}").status_code == 503
    assert client.get("/?q=beraadslaging").status_code == 200


def test_check_reports_a_missing_text_and_repair_and_crawl_bring_it_back(store_lacking_one: tuple[Path, Path]) -> None:
    data, config = store_lacking_one
    code, out, _ = run("check", "--data-dir", str(data))
    assert code == 2 and f"in de index maar niet in de documentopslag: {LOST}" in out
    assert run("check", "--repair", "--data-dir", str(data))[0] == 0
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0 and " 1 nieuw" in err
    assert LOST in documents(data) and run("check", "--data-dir", str(data))[0] == 0


def test_the_index_stores_no_fields_and_has_the_ids_and_hashes_as_columns(tmp_path: Path, corpus_dir: Path) -> None:
    config = two_motion_folder(tmp_path, corpus_dir)
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    with store.open_index(data).searcher() as searcher:
        stored = list(searcher.all_stored_fields())
        columns = dict(searcher_ids_and_hashes(searcher, range(searcher.doc_count_all())))
    assert len(stored) == 2 and all(not fields for fields in stored)
    assert columns == {doc.id: doc.content_hash for doc in documents(data).values()}
    assert all(len(pack_hash(doc.content_hash)) == 33 for doc in documents(data).values())  # raw, not hex


def test_a_result_page_reads_its_documents_from_the_store_in_one_query(tmp_path: Path, corpus_dir: Path) -> None:
    config = two_motion_folder(tmp_path, corpus_dir)
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    backend = open_backend(data)
    backend.search(SearchRequest(query="beraadslaging"))  # opens this thread's store connection
    statements: list[str] = []
    backend.texts._store()._db.set_trace_callback(statements.append)  # type: ignore[union-attr]
    result = backend.search(SearchRequest(query="beraadslaging", snippets=True))
    assert len(result.hits) == 2 and all(hit.document.title and "<mark>" in hit.snippet for hit in result.hits)
    assert [s for s in statements if s.startswith("SELECT")] == [
        "SELECT id, data FROM ids CROSS JOIN documents USING (seq) WHERE id IN"
        f" ('{result.hits[0].document.id}','{result.hits[1].document.id}') AND data IS NOT NULL"]


def test_a_garbled_row_is_listed_for_the_next_crawl_which_fetches_it_again(tmp_path: Path, corpus_dir: Path) -> None:
    config = two_motion_folder(tmp_path, corpus_dir)
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    with sqlite3.connect(data / STORE_FILE) as db:
        db.execute("UPDATE documents SET data = X'28b52ffd0000' WHERE seq = (SELECT seq FROM ids WHERE id = ?)", (LOST,))
    code, out, _ = run("check", "--data-dir", str(data))
    assert code == 2 and f"documentopslag: BESCHADIGD — documentopslag: {LOST} niet te lezen" in out
    code, out, err = run("check", "--repair", "--data-dir", str(data))
    assert code == 0 and "alles in orde" in out
    assert "documentopslag opnieuw gevuld met wat leesbaar was: 1 documenten" in err
    assert f"1 document(en) verloren, de volgende `indexer crawl` haalt ze opnieuw op: {LOST}" in err
    with sqlite3.connect(data / STATE_FILE) as db:  # forgotten, validators and all: fetched in full
        assert db.execute("SELECT status, etag FROM urls WHERE doc_id = ?", (LOST,)).fetchone() == ("deleted", "")
    assert set(documents(data)) == {"test:kst-28638-238"}
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0 and " 1 nieuw" in err and LOST in documents(data)
    assert run("check", "--data-dir", str(data))[0] == 0


def schema_11_index(data: Path, docs: Iterable[Document]) -> None:
    """The live index as schemas 9 to 11 wrote it: the id and the content hash as stored fields,
    no hash column."""
    schema = build_schema()
    schema.remove("id")
    schema.remove(HASH_FIELD)
    schema.add("id", ID(stored=True, unique=True, sortable=True))
    schema.add(HASH_FIELD, STORED())
    old_index(data, schema, 11, [document_fields(doc, set()) for doc in docs])


def test_an_index_of_schema_11_is_checked_compared_and_rebuilt_by_its_stored_hashes(tmp_path: Path,
                                                                                  corpus_dir: Path) -> None:
    config = two_motion_folder(tmp_path, corpus_dir)
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    before = documents(data)
    shutil.rmtree(store.current_dir(data))
    schema_11_index(data, before.values())
    old = whoosh_index.open_dir(str(store.current_dir(data)))
    assert not old.schema[HASH_FIELD].column_type  # really the old layout
    report = health.inspect(data)
    assert report.problems == [] and report.hashes == {doc.id: doc.content_hash for doc in before.values()}
    [source] = {doc.source for doc in before.values()}
    assert hashes_of_source(old, source) == report.hashes
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0 and " 0 nieuw" in err and " 0 gewijzigd" in err  # rebuilt from the store, nothing refetched
    assert store.open_index(data).schema[HASH_FIELD].column_type and documents(data) == before
