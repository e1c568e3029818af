"""Postings and field lengths read from Whoosh's segments straight into numpy arrays.

A W3 posting block is one pickled (docnums, weights, values) tuple of up to 128
postings; docnums are delta-encoded per block. :func:`postings` turns a term's blocks
into two arrays; :func:`phrase_docs` decodes positions only for candidate documents;
:class:`FieldLengths` reads the one-byte length column BM25 needs; :class:`PostingsCache`
keeps recent terms' arrays (and phrases' documents) within a memory budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Phrase
from whoosh.searching import Searcher
from whoosh.util.numeric import _length_byte_cache

POSTINGS_CACHE_BYTES = 256 * 1024 * 1024
BYTE_TO_LENGTH = np.asarray(_length_byte_cache, dtype=np.float32)


class FieldLengths:
    """Per-field document lengths of one searcher (for BM25 length normalisation), cached."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._lock = threading.Lock()
        self._lengths: dict[str, np.ndarray] = {}

    def __call__(self, fieldname: str) -> np.ndarray:
        with self._lock:
            if fieldname not in self._lengths:
                self._lengths[fieldname] = read_lengths(self.searcher, fieldname)
            return self._lengths[fieldname]


class PostingsCache:
    """Decoded postings (docnums, weights) of the terms queried lately, per searcher, and
    the documents of recent phrases.

    Reading a term's postings means unpickling every block, positions included, and a
    phrase means decoding positions; the terms and phrases people search for repeat, so
    their arrays are kept, least recently used first out, within a memory budget (a
    searcher is replaced when the index changes, and its cache with it).
    """

    def __init__(self, max_bytes: int = POSTINGS_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple[str, str], load: Callable[[], tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = load()
        with self._lock:
            self._entries[key] = value
            self._bytes += value[0].nbytes + value[1].nbytes
            while self._bytes > self.max_bytes and len(self._entries) > 1:
                ids, weights = self._entries.popitem(last=False)[1]
                self._bytes -= ids.nbytes + weights.nbytes
        return value


def phrase_docs(leaf: Any, query: Phrase, candidates: np.ndarray) -> np.ndarray:
    """The candidate docnums (of one segment) where the phrase's words follow each other.

    Word by word, so later words' positions are decoded only for the documents still in
    the running (decoding positions is the expensive part).
    """
    fmt = leaf.schema[query.fieldname].format
    ends = _positions(leaf.postings(query.fieldname, query.words[0]), candidates, fmt)
    for word in query.words[1:]:
        following = _positions(leaf.postings(query.fieldname, word), candidates, fmt)
        ends = {doc: kept for doc, starts in ends.items()
                if (kept := [p for p in following.get(doc, ()) if any(0 < p - s <= query.slop for s in starts)])}
        candidates = np.asarray(sorted(ends), dtype=np.int64)
        if not len(candidates):
            break
    return np.asarray(sorted(ends), dtype=np.int64)


def _positions(matcher: Any, candidates: np.ndarray, fmt: Any) -> dict[int, list[int]]:
    """docnum -> word positions, decoded only for the candidate documents' postings."""
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    found: dict[int, list[int]] = {}
    if not isinstance(matcher, W3LeafMatcher):
        for _ in _drain(matcher):
            found[matcher.id()] = list(matcher.value_as("positions"))
        return found
    while matcher.is_active():
        matcher._read_data()
        ids = np.cumsum(np.asarray(matcher._data[0], dtype=np.int64))
        wanted = np.flatnonzero(np.isin(ids, candidates, assume_unique=True))
        values = matcher._data[2]
        for i in wanted.tolist():
            found[int(ids[i])] = fmt.decode_positions(values[i])
        matcher._next_block()
    return found


def postings(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every docnum of a term's postings in one segment and its weight (deletions are masked later)."""
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        items = np.asarray([(matcher.id(), matcher.weight()) for _ in _drain(matcher)], dtype=np.float64)
        items = items.reshape(-1, 2)
        return items[:, 0].astype(np.int64), items[:, 1].astype(np.float32)
    id_blocks, weight_blocks = [], []
    while matcher.is_active():
        matcher._read_data()  # the block's pickled (ids, weights, values) tuple
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        ids = np.asarray(raw_ids, dtype=np.int64)
        id_blocks.append(ids if matcher._byteids else np.cumsum(ids))  # ids are delta-encoded per block
        weight_blocks.append(_block_weights(raw_weights, len(ids)))
        matcher._next_block()
    if not id_blocks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def _block_weights(raw: Any, count: int) -> np.ndarray:
    if raw is None:
        return np.ones(count, dtype=np.float32)  # every weight 1.0: stored as None
    if isinstance(raw, float):
        return np.full(count, raw, dtype=np.float32)  # one weight for the whole block
    return np.asarray(raw, dtype=np.float32)


def _drain(matcher: Any) -> Any:
    while matcher.is_active():
        yield matcher
        matcher.next()


def read_lengths(searcher: Searcher, fieldname: str) -> np.ndarray:
    """Document lengths of a field (Whoosh's one-byte approximation, as its scorer uses)."""
    lengths = np.ones(searcher.doc_count_all(), dtype=np.float32)
    for leaf, offset in searcher.reader().leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        reader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if perdoc else None
        if reader is None:
            continue
        codes = np.fromiter(iter(reader), dtype=np.uint8, count=leaf.doc_count_all())
        lengths[offset:offset + len(codes)] = np.where(codes > 0, BYTE_TO_LENGTH[codes], 1.0)
    return lengths
