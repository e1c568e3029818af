"""Analysis in the extraction workers: the crawl process gets each document's index fields
analysed by the worker that extracted it, and the index it writes from them is exactly the
one it would have written analysing the texts itself (every field, term, posting, weight,
position and field length), with one worker and with several."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from indexer.citekeys import canonical_keys
from indexer.extract import guarded
from indexer.index import rebuild, store
from indexer.index.analysed import Analysed, index_fields
from indexer.model import Record
from indexer.pipeline import analysed_fields
from tests.crawl_helpers import crawl, write_config
from tests.documents import document_path

BULK = Path(__file__).resolve().parent / "fixtures" / "bulk-sample"
#: real files of the bundled corpus beside the motions: a PDF, HTML, text, Markdown, the English convention
CORPUS_FILES = ["kst-21501-02-3121-motie-ceder.pdf", "kst-32824-399.html", "kst-32824-193.txt",
                "h-tk-20172018-50-1.xml", "BWBR0029749.md", "BWBV0004138.md"]
MOTIONS = 60


def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted(BULK.glob("*.xml"))[:MOTIONS]:
        shutil.copy(path, docs)
    for name in CORPUS_FILES:
        shutil.copy(document_path(name), docs)
    return docs


def postings(data_dir: Path) -> dict[tuple[str, bytes], list[tuple[str, float, bytes]]]:
    """(field, term) -> [(document id, weight, encoded value)] over the whole index."""
    ix = store.open_index(data_dir)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = dict(enumerate(reader.column_reader("id")))  # schema 12 stores no fields
        out = {}
        for field, term in reader.all_terms():
            matcher = reader.postings(field, term)
            rows = []
            while matcher.is_active():
                rows.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                matcher.next()
            out[(field, term)] = sorted(rows)
        return out


def field_lengths(data_dir: Path) -> dict[tuple[str, str], int]:
    """(document id, field) -> its length (a segment without the field says None: 0)."""
    ix = store.open_index(data_dir)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = reader.column_reader("id")  # schema 12 stores no fields
        return {(ids[docnum], name): reader.doc_field_length(docnum, name) or 0
                for docnum in reader.all_doc_ids() for name in ix.schema.scorable_names()}


def test_the_worker_hands_back_the_analysed_fields() -> None:
    record = Record(source="map", native_id="kst-32824-193", url="file:///x", file_url="file:///x",
                    body=document_path("kst-32824-193.txt").read_bytes())
    pool = guarded.Pool(1, after=analysed_fields)
    try:
        pending = pool.submit(record)
        doc, fields = pending.result(), pending.prepared
    finally:
        pool.shutdown()
    assert isinstance(fields["body_nl"], Analysed) and isinstance(fields["title_nl"], Analysed)
    assert fields["id"] == doc.id  # ids, facets and the record stay as they were
    here: dict[str, Any] = index_fields(doc, canonical_keys)
    assert {name: getattr(value, "items", value) for name, value in fields.items()} == \
        {name: getattr(value, "items", value) for name, value in here.items()}
    assert any(term == b"uitbuiting" for term, *_ in fields["body_nl"].items)


def test_an_index_from_analysed_fields_equals_one_analysed_by_the_writer(tmp_path: Path) -> None:
    docs = folder(tmp_path)
    for workers in (1, 2):
        crawled = tmp_path / f"crawled{workers}"
        source = {"name": "map", "kind": "folder", "path": str(docs)}
        summary, _ = crawl(write_config(tmp_path / f"w{workers}.toml", [source], batch_size=25,
                                        extract_workers=workers), crawled)
        assert summary.sources[0].new == MOTIONS + len(CORPUS_FILES)
        rebuilt = tmp_path / f"rebuilt{workers}"
        shutil.copytree(crawled, rebuilt)
        rebuild(rebuilt, canonical_keys)  # from the document store, every text analysed by the writer
        crawled_postings, rebuilt_postings = postings(crawled), postings(rebuilt)
        assert len(crawled_postings) > 5_000
        assert {key for key in crawled_postings if key[0] == "body_en"}, "the English text has its field"
        differing = [key for key in rebuilt_postings if crawled_postings.get(key) != rebuilt_postings[key]]
        assert not differing, differing[:10]
        assert crawled_postings.keys() == rebuilt_postings.keys()
        assert field_lengths(crawled) == field_lengths(rebuilt)
