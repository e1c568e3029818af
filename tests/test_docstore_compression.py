"""The document store's compression (indexer.docstore.compression): a zstd dictionary trained
on the store's first large batch and kept in the store, rows much smaller than zlib's,
every row read back exactly, and the zlib rows of a store of format 1 still readable."""

from __future__ import annotations

import dataclasses
import sqlite3
import zlib
from contextlib import closing
from pathlib import Path

import pytest

from indexer.docstore import STORE_FILE, compression, open_store
from indexer.docstore.compression import ZSTD_MAGIC, Codec, dictionary_id, encode, train
from indexer.docstore.sqlite_store import pack
from indexer.model import Document

FORMAT_1 = """
CREATE TABLE documents (id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, source TEXT NOT NULL,
                        content_hash TEXT NOT NULL, data BLOB);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('format', '1');
"""


@pytest.fixture(scope="module")
def page_documents(demo_data: Path) -> list[Document]:
    """Every page of the bundled corpus as a document of its own: several hundred real texts
    with the metadata of real documents (enough to train a dictionary on)."""
    with closing(open_store(demo_data)) as store:
        docs = list(store.documents())
    pages = [dataclasses.replace(doc, id=f"{doc.id}#{n}", pages=(page,), content_hash=f"{doc.content_hash}{n}")
             for doc in docs for n, page in enumerate(doc.pages) if page.strip()]
    assert len(pages) >= 400
    return pages


def rows(data_dir: Path) -> dict[str, bytes]:
    with closing(sqlite3.connect(data_dir / STORE_FILE)) as db:
        return {doc_id: data for doc_id, data in db.execute(
            "SELECT id, data FROM ids JOIN documents USING (seq) WHERE data IS NOT NULL")}


def dictionaries(data_dir: Path) -> list[int]:
    with closing(sqlite3.connect(data_dir / STORE_FILE)) as db:
        return [row[0] for row in db.execute("SELECT id FROM dictionaries ORDER BY n")]


def test_a_large_batch_trains_a_dictionary_that_every_row_names(page_documents: list[Document],
                                                                tmp_path: Path) -> None:
    with closing(open_store(tmp_path)) as store:
        store.apply({doc.id: doc for doc in page_documents})
        assert {doc.id: doc for doc in store.documents()} == {doc.id: doc for doc in page_documents}
        assert store.problems() == []
    [trained] = dictionaries(tmp_path)
    stored = rows(tmp_path)
    assert all(data.startswith(ZSTD_MAGIC) and dictionary_id(data) == trained for data in stored.values())
    zlib_bytes = sum(len(pack(doc)) for doc in page_documents)
    assert sum(map(len, stored.values())) < 0.75 * zlib_bytes


def test_a_small_batch_is_compressed_without_a_dictionary_until_a_large_one_comes(
        page_documents: list[Document], tmp_path: Path) -> None:
    first, rest = page_documents[:5], page_documents[5:]
    with closing(open_store(tmp_path)) as store, closing(open_store(tmp_path)) as reader:
        store.apply({doc.id: doc for doc in first})
        assert dictionaries(tmp_path) == [] and all(dictionary_id(d) == 0 for d in rows(tmp_path).values())
        store.apply({doc.id: doc for doc in rest})
        # the reader opened before the dictionary existed: it finds it in the store
        assert reader.get(rest[0].id) == rest[0] and reader.get(first[0].id) == first[0]
    assert len(dictionaries(tmp_path)) == 1


def test_rows_of_a_format_1_store_stay_readable(page_documents: list[Document], tmp_path: Path) -> None:
    old = page_documents[:3]
    with closing(sqlite3.connect(tmp_path / STORE_FILE)) as db:
        db.executescript(FORMAT_1)
        db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?)",
                       [(doc.id, n + 1, doc.source, doc.content_hash, zlib.compress(encode(doc)))
                        for n, doc in enumerate(old)])
        db.commit()
    with closing(open_store(tmp_path)) as store:
        assert [store.get(doc.id) for doc in old] == old
        store.apply({doc.id: doc for doc in page_documents[3:]})
        assert list(store.documents()) == sorted(page_documents, key=lambda doc: doc.id)
        assert store.problems() == []
    assert rows(tmp_path)[old[0].id].startswith(b"\x78")  # the old row was not rewritten


def test_a_damaged_row_is_reported_not_raised(page_documents: list[Document], tmp_path: Path) -> None:
    with closing(open_store(tmp_path)) as store:
        store.apply({doc.id: doc for doc in page_documents})
    victim = page_documents[7].id
    with closing(sqlite3.connect(tmp_path / STORE_FILE)) as db:
        data = rows(tmp_path)[victim]
        db.execute("UPDATE documents SET data = ? WHERE seq = (SELECT seq FROM ids WHERE id = ?)",
                   (data[:12] + b"\0" * 40, victim))
        db.commit()
    with closing(open_store(tmp_path)) as store:
        [problem] = store.problems()
    assert victim in problem



FORMAT_2 = """
CREATE TABLE documents (id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, source TEXT NOT NULL,
                        content_hash TEXT NOT NULL, data BLOB);
CREATE TABLE dictionaries (n INTEGER PRIMARY KEY, id INTEGER NOT NULL UNIQUE, data BLOB NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('format', '2');
INSERT INTO meta VALUES ('filled', '1');
"""


def test_a_format_2_store_is_migrated_in_place_rows_sequence_and_tombstones_kept(
        page_documents: list[Document], tmp_path: Path) -> None:
    """A store written by the code before format 3 (its schema and rows as that code wrote
    them: zstd with a trained dictionary, a tombstone) opens as format 3 with nothing lost."""
    docs = page_documents[:300]
    dict_id, dictionary = train(docs) or (0, b"")
    codec = Codec({dict_id: dictionary})
    with closing(sqlite3.connect(tmp_path / STORE_FILE)) as db:
        db.executescript(FORMAT_2)
        db.execute("INSERT INTO dictionaries (id, data) VALUES (?, ?)", (dict_id, dictionary))
        db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?)",
                       [(doc.id, n + 1, doc.source, doc.content_hash, codec.pack(encode(doc)))
                        for n, doc in enumerate(docs)])
        db.execute("UPDATE documents SET seq = 301, data = NULL, content_hash = '' WHERE id = ?", (docs[5].id,))
        db.commit()
    before = (tmp_path / STORE_FILE).stat().st_size
    with closing(open_store(tmp_path)) as store:
        live = [doc for doc in docs if doc.id != docs[5].id]
        assert list(store.documents()) == sorted(live, key=lambda doc: doc.id)
        assert store.get_many([docs[0].id, docs[5].id]) == {docs[0].id: docs[0]}
        assert store.hashes() == {doc.id: doc.content_hash for doc in live}
        assert store.is_filled() and store.count() == 299 and store.last_seq() == 301
        assert [(c.seq, c.doc_id, c.document) for c in store.changes(299)] == [
            (300, docs[-1].id, docs[-1]), (301, docs[5].id, None)]
        assert store.problems() == []
        assert store.apply({docs[5].id: docs[5]}) == 302 and store.get(docs[5].id) == docs[5]
    with closing(sqlite3.connect(tmp_path / STORE_FILE)) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() == ("3",)
        assert {row[0] for row in db.execute("SELECT name FROM sqlite_master")} >= {"ids", "documents"}
    assert (tmp_path / STORE_FILE).stat().st_size < before  # the VACUUM gave the old indexes' pages back


def test_a_grown_store_trains_a_new_dictionary_from_rows_spread_over_it(
        page_documents: list[Document], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compression, "RETRAIN_FROM", 400)  # the bundled corpus has some 500 pages, not 16,000
    monkeypatch.setattr(compression, "RETRAIN_GROWTH", 2)
    first, second, third = page_documents[:200], page_documents[200:400], page_documents[400:]
    with closing(open_store(tmp_path)) as store:
        store.apply({doc.id: doc for doc in first})
        assert len(dictionaries(tmp_path)) == 1
        store.apply({doc.id: doc for doc in second})  # seq 400 >= max(400, 2 x 200): trains
        store.apply({doc.id: doc for doc in third})
        assert list(store.documents()) == sorted(page_documents, key=lambda doc: doc.id)
        assert store.problems() == []
    old, new = dictionaries(tmp_path)
    stored = rows(tmp_path)
    assert {dictionary_id(stored[doc.id]) for doc in first + second} == {old}
    assert {dictionary_id(stored[doc.id]) for doc in third} == {new}
    with closing(open_store(tmp_path)) as reader:  # a new connection reads both
        assert reader.get_many([first[0].id, third[0].id]) == {first[0].id: first[0], third[0].id: third[0]}
