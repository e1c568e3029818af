"""Every private Whoosh access of :mod:`indexer.index.whoosh_compat`, exercised on the real
index of the bundled corpus and checked against Whoosh's public API: a Whoosh upgrade that
renames or changes one of them fails here."""

from __future__ import annotations

import inspect
import logging
import pickle
import re
import shutil
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh.fields import TEXT, Schema
from whoosh.filedb.structfile import BufferFile
from whoosh.index import create_in
from whoosh.query import Prefix

from indexer.index import mapped_files, store, whoosh_compat
from indexer.index.analysis import DutchStemFilter, StemFilter
from indexer.index.postings import blocks

ROOT = Path(__file__).resolve().parent.parent
FIELD = "body_nl"


def test_the_pinned_whoosh_is_installed_with_every_attribute_used() -> None:
    pin = re.search(r'"Whoosh-Reloaded==([^"]+)"', (ROOT / "pyproject.toml").read_text())
    assert pin and pin.group(1) == whoosh_compat.PINNED == whoosh_compat.installed_version()
    missing = [f"{owner.__name__}.{name}" for owner, name in whoosh_compat.NEEDED if not hasattr(owner, name)]
    assert not missing


def test_opening_an_index_installs_the_mapped_files(demo_data: Path) -> None:
    ix = whoosh_compat.open_dir(store.current_dir(demo_data))
    assert BufferFile.__init__ is mapped_files.mapped_init
    assert whoosh_compat.mapped_files_state()["state"] == "aan"
    assert mapped_files.replaceable(inspect.getsource(whoosh_compat.ORIGINAL_BUFFERFILE_INIT))
    with ix.searcher() as searcher:
        assert searcher.doc_count() > 10


def test_a_changed_constructor_is_left_alone_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert not mapped_files.replaceable("def __init__(self, buf):\n    self.file = io.BytesIO(bytes(buf))\n")
    with caplog.at_level(logging.WARNING, logger=whoosh_compat.LOG.name):
        whoosh_compat.log_state({"state": "uit", "reason": "een andere Whoosh"})
    assert "uit (een andere Whoosh)" in caplog.text


def test_segments_toc_and_segment_ids(demo_data: Path) -> None:
    ix = whoosh_compat.open_dir(store.current_dir(demo_data))
    found = whoosh_compat.segments(ix)
    assert found and sum(segment.doc_count_all() for segment in found) == ix.doc_count_all()
    assert (store.current_dir(demo_data) / whoosh_compat.toc_filename(ix)).is_file()
    with ix.reader() as reader:
        leaves = {whoosh_compat.segment_id(leaf) for leaf, _ in reader.leaf_readers()}
    assert leaves == {segment.segment_id() for segment in found}
    assert whoosh_compat.segment_id(object()) is None


def test_clean_unreferenced_removes_only_unlisted_segment_files(demo_data: Path, tmp_path: Path) -> None:
    copy = tmp_path / "index"
    shutil.copytree(store.current_dir(demo_data), copy)
    stray = copy / "MAIN_0123456789abcdef.seg"
    stray.write_bytes(b"left by a killed writer")
    kept = sorted(path.name for path in copy.iterdir() if path != stray)
    whoosh_compat.clean_unreferenced(whoosh_compat.open_dir(copy))
    assert sorted(path.name for path in copy.iterdir()) == kept


def test_blocks_hold_exactly_the_postings_whoosh_lists(tmp_path: Path) -> None:
    ix = whoosh_compat.open_dir(_many_documents(tmp_path, 700))
    with ix.reader() as reader:
        leaf = _largest_leaf(reader)
        expected = list(leaf.postings("body", "mensenhandel").all_ids())
        matcher = whoosh_compat.block_matcher(leaf.postings("body", "mensenhandel"))
        assert matcher is not None
        ids: list[int] = []
        while matcher.is_active():
            block_ids, _, values = whoosh_compat.read_block(matcher)
            assert len(values) == len(block_ids) and block_ids[-1] == matcher.block_max_id()
            ids.extend(block_ids.tolist())
            whoosh_compat.next_block(matcher)
        assert ids == expected and len(expected) == 350  # several blocks of up to 128
        assert np.concatenate([ids for ids, _, _ in blocks(leaf.postings("body", "mensenhandel"))]).tolist() == expected


def _many_documents(tmp_path: Path, count: int) -> Path:
    """A small real index with one term in every other document (so more than one block)."""
    path = tmp_path / "many"
    path.mkdir()
    ix = create_in(str(path), Schema(body=TEXT(phrase=True)))
    with ix.writer() as writer:
        for n in range(count):
            writer.add_document(body=f"rapport {n} over " + ("mensenhandel" if n % 2 else "uitbuiting"))
    return path


def test_length_codes_decode_to_whoosh_lengths(demo_data: Path) -> None:
    ix = whoosh_compat.open_dir(store.current_dir(demo_data))
    with ix.reader() as reader:
        leaf = _largest_leaf(reader)
        codes = whoosh_compat.length_codes(leaf, FIELD)
        assert codes is not None and len(codes) == leaf.doc_count_all()
        lengths = whoosh_compat.BYTE_TO_LENGTH[codes]
        # Whoosh answers None (not the default) for a document whose field is empty (code 0)
        assert [leaf.doc_field_length(n, FIELD, 0) or 0 for n in range(len(codes))] == lengths.astype(int).tolist()
        assert whoosh_compat.length_codes(leaf, "no_such_field") is None


def test_pattern_terms_are_the_prefix_expansion(demo_data: Path) -> None:
    ix = whoosh_compat.open_dir(store.current_dir(demo_data))
    with ix.reader() as reader:
        found = [term.decode() for term in whoosh_compat.pattern_terms(Prefix("body_nl", "mensen"), reader)]
        assert found == [term.decode() for term in reader.expand_prefix("body_nl", "mensen")]
        assert "mensenhandel" in found


def test_stem_hooks_survive_pickling_as_in_a_schema() -> None:
    assert whoosh_compat.stem_function(DutchStemFilter())("gezinnen") == "gezin"
    english = pickle.loads(pickle.dumps(StemFilter("english")))
    assert [whoosh_compat.stem_function(english)(word) for word in ("children", "~being")] == ["children", "~being"]
    assert whoosh_compat.stem_function(english)("trafficking") == "traffick"


def test_release_write_lock_frees_the_index_for_the_next_writer(tmp_path: Path) -> None:
    ix = store.create_at(tmp_path / "index")
    stuck = ix.writer()
    whoosh_compat.release_write_lock(stuck)
    ix.writer(timeout=0).cancel()  # would raise LockError if the lock were still held
    whoosh_compat.release_write_lock(stuck)  # a released lock is left alone


def _block_stats(ix: Any) -> dict[tuple[str, bytes], list[tuple[Any, ...]]]:
    """(field, term) -> per block: its postings and Whoosh's stored block statistics."""
    out = {}
    with ix.reader() as reader:
        for field, term in reader.all_terms():
            leaf = whoosh_compat.block_matcher(reader.postings(field, term))
            assert leaf is not None
            rows = []
            while leaf.is_active():
                ids, weights, values = whoosh_compat.read_block(leaf)
                rows.append((leaf.block_min_length(), leaf.block_max_length(), leaf.block_max_weight(),
                             ids.tolist(), repr(weights), repr(values)))
                whoosh_compat.next_block(leaf)
            out[(field, term)] = rows
    return out


def test_cached_field_lengths_write_the_same_segment(demo_data: Path, tmp_path: Path) -> None:
    from indexer.citekeys import canonical_keys
    from indexer.index.docstore_sync import filled_store
    from indexer.index.schema import document_fields

    with closing(filled_store(demo_data)) as documents:
        docs = list(documents.documents())  # with their texts
    built = []
    for cached in (False, True):
        ix = store.create_at(tmp_path / f"index-{cached}")
        writer = ix.writer()
        calls: list[int] = []
        if cached:
            writer = whoosh_compat.cache_field_lengths(writer)
            read = writer.per_document_reader
            writer.per_document_reader = lambda calls=calls, read=read: calls.append(1) or read()
        for doc in docs:
            writer.add_document(**document_fields(doc, canonical_keys(doc)))
        # the cached writer's postings go through the inlined loop, the plain one's through Whoosh's
        assert ("add_postings" in vars(writer.fieldwriter)) == cached
        writer.commit()
        assert calls == ([1] if cached else [])  # the flush asked the cached reader
        built.append(_block_stats(ix))
    plain, cached_stats = built
    assert len(plain) > 10_000 and cached_stats == plain


def _largest_leaf(reader: Any) -> Any:
    return max((leaf for leaf, _ in reader.leaf_readers()), key=lambda leaf: leaf.doc_count_all())
