"""The segment writer's fast path (indexer.index.segment_postings) writes exactly the segment
Whoosh's own per-term path writes: every file inside every segment byte for byte (postings
blocks, term statistics, term-table rows, lengths, columns), on real motions of the bulk
sample, over commits of new documents, deletions and a merge of all segments (whose terms
run to several blocks), and it fails on out-of-order postings as Whoosh's loop does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh.codec.base import OutOfOrderError
from whoosh.filedb.compound import CompoundStorage

from bench.corpora import bulk_record
from indexer.citekeys import canonical_keys
from indexer.extract import ExtractionError, extract
from indexer.index import compact_terms, segment_postings, store, whoosh_compat
from indexer.index.analysed import index_fields

BULK = Path(__file__).resolve().parent / "fixtures" / "bulk-sample"


@pytest.fixture(scope="module")
def motions() -> list[dict[str, Any]]:
    """The analysed index fields of the bulk sample's motions (what the workers hand the crawl)."""
    fields = []
    for path in sorted(BULK.glob("*.xml")):
        try:
            fields.append(index_fields(extract(bulk_record(path)), canonical_keys))
        except ExtractionError:
            continue
    assert len(fields) > 250
    return fields


def segment_files(ix: Any) -> list[dict[str, bytes]]:
    """Every segment's files (named without the random segment id) and their bytes."""
    out = []
    for segment in whoosh_compat.segments(ix):
        storage = CompoundStorage(ix.storage.open_file(segment.make_filename(".seg"))) if segment.is_compound() \
            else ix.storage
        prefix = segment.make_filename("")
        files = {}
        for name in storage.list():
            if name.startswith(prefix):
                with storage.open_file(name) as handle:
                    files[name[len(prefix):]] = bytes(handle.read())
        out.append(files)
    return out


def build(path: Path, fields: list[dict[str, Any]], fast: bool) -> list[list[dict[str, bytes]]]:
    """Three commits (the last with deletions and a merge of every segment); the segments'
    files after each. ``fast``: the crawl's writer; else Whoosh's own per-term path."""
    ix = store.create_at(path)
    third = len(fields) // 3
    snapshots = []
    for number, batch in enumerate((fields[:third], fields[third:2 * third], fields[2 * third:])):
        writer = ix.writer()
        if fast:
            writer = whoosh_compat.cache_field_lengths(writer)
        for one in batch:
            writer.add_document(**one)
        # deletions from the committed segments: the first's before the second commit, the
        # second's before the merge (which leaves the deleted documents out)
        for docnum in ((), (0, 7, third - 1), (third + 5, 2 * third - 1))[number]:
            writer.delete_document(docnum)
        writer.commit(merge=False, optimize=number == 2)
        snapshots.append(segment_files(ix))
    return snapshots


def test_the_fast_path_writes_every_segment_file_byte_for_byte(motions: list[dict[str, Any]], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    whooshs = build(tmp_path / "whoosh", motions, fast=False)
    calls: list[int] = []
    write = segment_postings.write_postings
    monkeypatch.setattr(segment_postings, "write_postings", lambda *args: calls.append(1) or write(*args))
    ours = build(tmp_path / "fast", motions, fast=True)
    assert calls == [1, 1, 1]  # every commit's postings went through the fast path
    assert [len(snapshot) for snapshot in ours] == [1, 2, 1]  # the last commit merged both
    for snapshot_ours, snapshot_whoosh in zip(ours, whooshs, strict=True):
        for files_ours, files_whoosh in zip(snapshot_ours, snapshot_whoosh, strict=True):
            assert sorted(files_ours) == sorted(files_whoosh)
            assert ".pst" in files_ours and ".trm" in files_ours
            for name, data in files_whoosh.items():
                assert files_ours[name] == data, name


def test_the_merged_segment_has_terms_of_several_blocks(motions: list[dict[str, Any]], tmp_path: Path) -> None:
    ix = store.create_at(tmp_path / "index")
    writer = whoosh_compat.cache_field_lengths(ix.writer())
    for one in motions:
        writer.add_document(**one)
    writer.commit()
    with ix.reader() as reader:
        longest = max(reader.doc_frequency(field, term) for field, term in reader.all_terms())
    assert longest > 2 * 128  # three blocks or more for the commonest terms


@pytest.mark.parametrize("fast", [False, True])
def test_out_of_order_postings_fail_on_either_path(tmp_path: Path, fast: bool) -> None:
    ix = store.create_at(tmp_path / "index")
    writer = ix.writer()
    fieldwriter, schema = writer.fieldwriter, writer.schema
    items = [("body_nl", b"b", 0, 1.0, b""), ("body_nl", b"a", 1, 1.0, b"")]  # terms out of order
    fields = [("title_nl", b"a", 0, 1.0, b""), ("body_nl", b"a", 1, 1.0, b"")]  # fields out of order
    for wrong in (items, fields):
        assert segment_postings.applies(fieldwriter, None)
        add = segment_postings.write_postings if fast else type(fieldwriter).add_postings
        with pytest.raises(OutOfOrderError):
            add(fieldwriter, schema, None, iter(wrong))
    writer.cancel()


@pytest.mark.parametrize("length", [None, 0, 1, 2, 5, 100, 12_345, 99_684, 106_374, 500_000, 3.0])
def test_length_codes_are_whooshs(length: Any) -> None:
    from whoosh.util.numeric import length_to_byte

    assert compact_terms.length_code(length) == length_to_byte(length)


def test_another_codecs_writer_gets_the_pool_sorted(motions: list[dict[str, Any]], tmp_path: Path) -> None:
    """The crawl's writer hands the pool over unsorted; a writer the fast path does not apply
    to (Whoosh's W3 codec) iterates it sorted and writes what Whoosh's own writer writes."""
    from whoosh.codec.whoosh3 import W3Codec

    built = []
    for cached in (False, True):
        ix = store.create_at(tmp_path / f"w3-{cached}")
        writer = ix.writer(codec=W3Codec())
        if cached:
            writer = whoosh_compat.cache_field_lengths(writer)
            assert isinstance(writer.pool.iter_postings(), segment_postings.UnsortedPool)
            assert not segment_postings.applies(writer.fieldwriter, None)
        for one in motions[:60]:
            writer.add_document(**one)
        writer.commit()
        built.append(segment_files(ix))
    assert built[0] == built[1] and ".pst" in built[0][0]


def test_a_pool_past_its_memory_bound_is_merged_by_whoosh_and_written_the_same(motions: list[dict[str, Any]],
                                                                             tmp_path: Path) -> None:
    built = []
    for cached in (False, True):
        ix = store.create_at(tmp_path / f"runs-{cached}")
        writer = ix.writer(limitmb=0.05)  # runs of ~50 KB saved to disk as the documents come
        if cached:
            writer = whoosh_compat.cache_field_lengths(writer)
        for one in motions[:60]:
            writer.add_document(**one)
        assert writer.pool.runs
        writer.commit()
        built.append(segment_files(ix))
    assert built[0] == built[1] and ".pst" in built[0][0]
