"""The front-coded term dictionary (schema 11: indexer.index.term_table, table_terms) answers
every question about a segment's terms exactly as W3's ordered hash table does: the same
terms in the same order, statistics, postings, lookups of absent terms, ``terms_from`` and
cursors from any point (between keys, at block boundaries, past the end), on real documents
(the bundled corpus, the bulk sample of real motions) and on numbers, long terms, an empty
field, merges and deletions; segments of the schema-10 codec stay readable beside them."""

from __future__ import annotations

import random
import shutil
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.reading import TermNotFound

from indexer.index import store, term_table, whoosh_compat
from indexer.index.compact_codec import CompactCodec, TableCodec
from indexer.index.table_terms import TableTermsReader
from tests.crawl_helpers import crawl, write_config
from tests.test_compact_codec import BULK, block_arrays, everything, rewrite

LONG = "x" * 300 + "lang"


def dictionary(ix: Any) -> dict[str, Any]:
    """What a segment's dictionary answers, in the order it answers it."""
    out: dict[str, Any] = {}
    with ix.reader() as reader:
        terms = list(reader.all_terms())
        out["terms"] = terms
        out["items"] = [(term, _stats(info)) for term, info in reader]
        fields = sorted({field for field, _ in terms})
        out["lexicons"] = {field: list(reader.lexicon(field)) for field in fields}
        out["cursors"] = {field: _walk(reader.cursor(field)) for field in fields}
        rng = random.Random(11)
        starts = rng.sample(terms, min(300, len(terms))) + terms[:3] + terms[-3:]
        for field, text in starts:
            between = text + b"\x00"
            out[("from", field, text)] = list(_first(reader.terms_from(field, text), 5))
            out[("from", field, between)] = list(_first(reader.terms_from(field, between), 5))
            out[("items", field, text)] = [(term, _stats(info)) for term, info in _first(reader.iter_from(field, text), 3)]
            out[("prefix", field, text[:2])] = list(reader.expand_prefix(field, text[:2]))
            cursor = reader.cursor(field)
            out[("find", field, between)] = (cursor.find(between), cursor.is_valid(), _stats(cursor.term_info()),
                                             cursor.next())
            out[("absent", field, between)] = ((field, between) in reader, reader.doc_frequency(field, between),
                                               reader.frequency(field, between))
            with pytest.raises(TermNotFound):
                reader.term_info(field, between)
        out["past the end"] = list(reader.terms_from(terms[-1][0], terms[-1][1] + b"\xff"))
    return out


def _first(items: Any, count: int) -> Any:
    for number, item in enumerate(items):
        if number == count:
            return
        yield item


def _stats(info: Any) -> Any:
    if info is None:
        return None
    return (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight(),
            info.min_id(), info.max_id())


def _walk(cursor: Any) -> list[Any]:
    found = []
    while cursor.is_valid():
        found.append((cursor.text(), _stats(cursor.term_info())))
        cursor.next()
    assert cursor.next() is None and cursor.text() is None and cursor.term_info() is None
    return found


def assert_same_dictionary(source: Any, tmp_path: Path) -> Any:
    """``source`` rewritten by W3, the schema-10 codec and the term table: all the same."""
    w3 = rewrite(source, tmp_path / "w3", W3Codec())
    compact = rewrite(source, tmp_path / "compact", CompactCodec())
    table = rewrite(source, tmp_path / "table", TableCodec())
    assert {type(segment.codec()) for segment in whoosh_compat.segments(table)} == {TableCodec}
    expected = everything(w3)
    assert everything(compact) == expected
    assert everything(table) == expected
    assert block_arrays(table) == block_arrays(w3)
    wanted = dictionary(w3)
    assert dictionary(compact) == wanted
    assert dictionary(table) == wanted
    return table


def test_the_bundled_corpus_has_the_same_dictionary(demo_data: Path, tmp_path: Path) -> None:
    table = assert_same_dictionary(store.open_index(demo_data), tmp_path)
    with table.reader() as reader:
        assert len(list(reader.all_terms())) > 20_000


def test_the_real_motions_have_the_same_dictionary_in_a_third_of_the_bytes(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(BULK, docs)
    crawled = tmp_path / "crawled"
    summary, _ = crawl(write_config(tmp_path / "bulk.toml", [{"name": "map", "kind": "folder", "path": str(docs)}],
                                    batch_size=100), crawled)
    assert summary.sources[0].new >= 290
    assert_same_dictionary(store.open_index(crawled), tmp_path)
    # docs/index-size.md: one segment of the real motions, 7.82 MB of W3 hash table -> 2.95 MB
    assert _trm(tmp_path / "table") < _trm(tmp_path / "compact") / 2


def _trm(path: Path) -> int:
    from whoosh.filedb.compound import CompoundStorage

    ix = whoosh_index.open_dir(str(path))
    (segment,) = whoosh_compat.segments(ix)
    return int(CompoundStorage(ix.storage.open_file(segment.make_filename(".seg"))).file_length(
        segment.make_filename(".trm")))


def test_numbers_long_terms_an_empty_field_merges_and_deletions(tmp_path: Path) -> None:
    """Numeric terms (bytes with every value 0-255, shifted copies), terms longer than a
    one-byte length, a field no document fills, three segments merged, deleted documents."""
    schema = Schema(key=ID(stored=True), tags=KEYWORD(scorable=True), text=TEXT(phrase=True),
                    number=NUMERIC(stored=True, bits=64, signed=True), empty=TEXT, raw=ID)
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    source = whoosh_index.create_in(str(source_dir), schema)
    for batch in range(3):
        writer = source.writer(codec=TableCodec())
        for i in range(batch * 300, batch * 300 + 300):
            writer.add_document(key=f"d{i}", tags=f"t{i % 3} t{i % 7} {LONG}{i % 4}",
                                text=f"alpha w{i % 37} solo{i} {'y' * (120 + i % 30)}", number=(i - 450) * 1_000_003,
                                raw=bytes([i % 256, 255 - i % 256]).decode("latin-1"))
        writer.commit(merge=False)
    writer = source.writer(codec=TableCodec())
    writer.delete_by_term("key", "d5")
    writer.delete_by_term("key", "d333")
    writer.commit(merge=False)
    assert len(whoosh_compat.segments(source)) == 3
    table = assert_same_dictionary(source, tmp_path)  # the three merged into one by add_exactly
    with table.reader() as reader:
        assert reader.doc_frequency("tags", f"{LONG}1") == 223 and ("empty", b"") not in reader
        assert list(reader.lexicon("empty")) == [] and not reader.cursor("empty").is_valid()


def test_an_index_keeps_reading_its_schema_10_segments_beside_new_ones(tmp_path: Path) -> None:
    schema = Schema(key=ID(stored=True), text=TEXT)
    ix = whoosh_index.create_in(str(tmp_path), schema)
    for codec, words in ((CompactCodec(), "oud woord"), (TableCodec(), "nieuw woord")):
        writer = ix.writer(codec=codec)
        writer.add_document(key=words, text=words)
        writer.commit(merge=False)
    ix = whoosh_compat.open_dir(tmp_path)
    assert [type(segment.codec()) for segment in whoosh_compat.segments(ix)] == [CompactCodec, TableCodec]
    with ix.searcher() as searcher:
        assert searcher.doc_frequency("text", "woord") == 2
        assert sorted(searcher.lexicon("text")) == [b"nieuw", b"oud", b"woord"]
    writer = ix.writer()  # the default codec from open_dir: the merge writes a term table
    writer.commit(optimize=True)
    ix = whoosh_compat.open_dir(tmp_path)
    assert [type(segment.codec()) for segment in whoosh_compat.segments(ix)] == [TableCodec]
    with ix.searcher() as searcher:
        assert searcher.doc_frequency("text", "woord") == 2


def _table(items: list[tuple[bytes, bytes]], block_keys: int) -> term_table.TermTableReader:
    out = BytesIO()
    writer = term_table.TermTableWriter(StructFile(_Kept(out)), block_keys=block_keys)
    writer.extras["fieldmap"] = {}
    for number, (key, value) in enumerate(items):
        writer.add(key, value, base=7 * number)  # kept for the blocks' first keys only
    writer.close()
    data = out.getvalue()
    return term_table.TermTableReader(BufferFile(memoryview(data)), len(data))


class _Kept(BytesIO):
    """A file whose bytes outlive its closing (the writer closes what it writes)."""

    def __init__(self, out: BytesIO) -> None:
        super().__init__()
        self._out = out

    def close(self) -> None:
        self._out.write(self.getvalue())


@pytest.mark.parametrize("block_keys", [1, 3, 16])
def test_the_table_finds_every_key_and_reads_on_from_any_key(block_keys: int) -> None:
    rng = random.Random(block_keys)
    keys = sorted({bytes(rng.randrange(256) for _ in range(rng.choice([1, 2, 5, 40, 200, 20_000])))
                   for _ in range(400)} | {b"\x00", b"\xff" * 3})
    items = [(key, bytes(rng.randrange(256) for _ in range(rng.choice([0, 3, 130])))) for key in keys]
    table, keyset = _table(items, block_keys), set(keys)
    assert len(table) == len(items) and table.blocks() == -(-len(items) // block_keys)
    assert list(table.items_from()) == items
    for number, (key, value) in enumerate(items):
        assert table[key] == value and key in table
        assert table.find(key) == (value, 7 * (number - number % block_keys))
        assert list(table.keys_from(key)) == keys[number:]
        after = key + b"\x00"
        assert (after in table) == (after in keyset)
        assert list(table.keys_from(after)) == keys[number + 1:]
    assert b"" not in table and list(table.keys_from(b"")) == keys
    assert list(table.keys_from(b"\xff" * 4)) == []
    with pytest.raises(ValueError, match="increase"):
        writer = term_table.TermTableWriter(StructFile(BytesIO()))
        writer.add(b"b", b"")
        writer.add(b"a", b"")


def test_an_empty_table_has_no_keys() -> None:
    table = _table([], 16)
    assert len(table) == 0 and list(table.items_from()) == [] and b"a" not in table
    assert table.closest(b"") is None


def test_a_segment_opens_with_a_small_sparse_index(demo_data: Path) -> None:
    ix = store.open_index(demo_data)
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            terms = leaf._terms  # noqa: SLF001 - the reader the codec made
            assert isinstance(terms, TableTermsReader)
            table = terms._table  # noqa: SLF001
            assert table.blocks() == -(-len(table) // term_table.BLOCK_KEYS)
            assert table.memory_bytes() < 10 * len(table)
