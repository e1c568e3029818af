"""The one-byte layout of the flat postings (version 3): values that do not fit a byte
(a docnum gap past 254, a position past 65,535 in a long document, a word hundreds of
times in one document) read back exactly as Whoosh stores them, weights that are not
the counts times the field's boost are kept, and a file of an older version is ignored
by the reader and rewritten by the writer."""

from __future__ import annotations

import dataclasses
import json
import struct
from pathlib import Path

import numpy as np
import pytest

from indexer.citekeys import canonical_keys
from indexer.docstore import open_store
from indexer.index import SearchRequest, open_backend, store
from indexer.index import flat_postings as fp
from indexer.index.flat_postings_writer import write_missing
from indexer.index.postings import _positions
from indexer.index.writer import open_writer
from indexer.model import Document
from tests.flat_checks import same_as_whoosh

LONG_ID = "test:lang-document"
FIELDS = ("body_nl", "title_nl", "author", "ident")


def long_document(docs: list[Document], words: int = 70_000) -> Document:
    """One document of the demo corpus's bodies one after another, past ``words`` words."""
    pages: list[str] = []
    for doc in docs:
        pages.extend(doc.pages)
        if sum(len(page.split()) for page in pages) > words:
            break
    return dataclasses.replace(docs[0], id=LONG_ID, title="Alle moties achter elkaar", pages=tuple(pages),
                               identifiers={}, references=(), content_hash="lang")


def page_documents(docs: list[Document]) -> list[Document]:
    """Every page of the demo documents as a document of its own (525: docnum gaps past 254)."""
    return [dataclasses.replace(doc, id=f"{doc.id}:p{number}", pages=(page,), identifiers={}, references=(),
                                content_hash=f"p{number}")
            for doc in docs for number, page in enumerate(doc.pages, 1)]


@pytest.fixture(scope="module")
def layout_data(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo documents, each of their pages and one long document in one segment, with
    a flat file of every term."""
    with open_store(demo_data) as documents:
        docs = list(documents.documents())
    docs = [*docs, *page_documents(docs), long_document(docs)]
    data_dir = tmp_path_factory.mktemp("layout")
    with open_writer(data_dir, canonical_keys, len(docs)) as writer:
        for doc in docs:
            writer.upsert(doc)
    for path in store.current_dir(data_dir).glob(f"*{fp.SUFFIX}"):
        path.unlink()
    assert write_missing(store.open_index(data_dir), min_postings=1) == 1
    return data_dir


def the_flat_file(data_dir: Path) -> tuple[fp.FlatPostings, object]:
    ix = store.open_index(data_dir)
    leaf = next(iter(ix.reader().leaf_readers()))[0]
    flat = fp.FlatPostingsSet(store.current_dir(data_dir)).for_leaf(leaf)
    assert flat is not None
    return flat, leaf


def test_every_term_reads_back_with_its_wide_values(layout_data: Path) -> None:
    flat, leaf = the_flat_file(layout_data)
    seen = {"position past 65,535": 0, "count past 254": 0, "gap past 254": 0, "one position": 0,
            "weights kept": 0, "weights derived": 0}
    for fieldname in FIELDS:
        field, fmt = leaf.schema[fieldname], leaf.schema[fieldname].format
        for term in list(leaf.lexicon(fieldname)):
            text = field.from_bytes(term)
            docs, expected = same_as_whoosh(flat, leaf, fieldname, text)
            some = docs[::3]  # a subset of candidates: the positions of the others are skipped
            assert all(np.array_equal(a, b) for a, b in zip(
                _positions(leaf.postings(fieldname, text), some, fmt), flat.positions(fieldname, text, some),
                strict=True)), text
            counts = np.bincount(np.searchsorted(docs, expected[0]), minlength=len(docs))
            seen["position past 65,535"] += int(expected[1].max(initial=0) > 65_535)
            seen["count past 254"] += int(counts.max() > 254)
            seen["gap past 254"] += int(len(docs) > 1 and np.diff(docs).max() > 254)
            seen["one position"] += int((counts == 1).any())
            seen["weights kept" if flat._terms[fieldname][text][4] >= 0 else "weights derived"] += 1
    assert all(seen.values()), seen
    for name in ("gaps", "counts", "positions"):  # each needed its wide values
        assert len(getattr(flat, f"_{name}").at) > 0, name


def test_the_long_document_is_found_by_a_phrase_past_65535(layout_data: Path) -> None:
    flat, leaf = the_flat_file(layout_data)
    ids = list(leaf.column_reader("id"))  # schema 12 stores no fields: the id is a column
    long_docnum = ids.index(LONG_ID)
    docs, positions = flat.positions("body_nl", "regering", np.asarray([long_docnum]))
    assert positions.max() > 65_535 and set(docs.tolist()) == {long_docnum}
    result = open_backend(layout_data).search(SearchRequest(query='"verzoekt de regering"', page_size=500,
                                                            snippets=False))
    assert LONG_ID in {hit.document.id for hit in result.hits}


def test_a_file_of_version_2_is_ignored_and_rewritten(layout_data: Path, tmp_path: Path) -> None:
    from tests.crawl_helpers import copy_index_and_store

    data_dir = copy_index_and_store(layout_data, tmp_path)
    path = next(store.current_dir(data_dir).glob(f"*{fp.SUFFIX}"))
    query = SearchRequest(query='"verzoekt de regering" minister', page_size=100, snippets=False)
    expected = [(hit.document.id, hit.score) for hit in open_backend(data_dir).search(query).hits]
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[8:16])
    header = json.loads(raw[16:16 + length])
    assert header["version"] == fp.VERSION == 3
    path.write_bytes(raw.replace(b'"version": 3', b'"version": 2', 1))  # arrays a version 2 reader would misread
    assert not fp.is_current(path)
    assert fp.read(path, path.stem, header["doc_count"]) is None
    assert [(hit.document.id, hit.score) for hit in open_backend(data_dir).search(query).hits] == expected
    assert write_missing(store.open_index(data_dir)) == 1  # a commit's writer replaces it
    assert fp.is_current(path) and write_missing(store.open_index(data_dir)) == 0
