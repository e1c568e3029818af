"""Postings and field lengths read from Whoosh's segments straight into numpy arrays.

A W3 posting block is one pickled (docnums, weights, values) tuple of up to 128
postings; docnums are delta-encoded per block. :func:`blocks` yields a term's blocks
as arrays, :func:`postings` joins them; :func:`phrase_docs` matches a phrase on
candidate documents with positions from the segment's flat postings
(:mod:`indexer.index.flat_postings`) or, for the terms not there, decoded from the
blocks; :class:`FieldLengths` reads the one-byte length column BM25 needs;
:class:`PostingsCache` keeps recent terms' arrays (and phrases' documents) within a
memory budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, Iterator

import numpy as np
from whoosh.query import Phrase
from whoosh.searching import Searcher

from indexer.index.segment_arrays import SegmentArrays
from indexer.index.sorted_keys import docs_of, sorted_member
from indexer.index.whoosh_compat import BYTE_TO_LENGTH, block_matcher, length_codes, next_block, read_block

if TYPE_CHECKING:
    from indexer.index.flat_postings import FlatPostings

POSTINGS_CACHE_BYTES = 256 * 1024 * 1024


class FieldLengths:
    """Per-field document lengths of one searcher (for BM25 length normalisation), cached."""

    def __init__(self, searcher: Searcher, segments: SegmentArrays | None = None) -> None:
        self.searcher = searcher
        self.segments = segments or SegmentArrays()
        self._lock = threading.Lock()
        self._lengths: dict[str, np.ndarray] = {}
        self._averages: dict[str, float] = {}

    def __call__(self, fieldname: str) -> np.ndarray:
        with self._lock:
            if fieldname not in self._lengths:
                self._lengths[fieldname] = read_lengths(self.searcher, fieldname, self.segments)
            return self._lengths[fieldname]

    def average(self, fieldname: str, live: np.ndarray) -> float:
        """The field's mean length over the ``live`` documents (one without it counts 0).

        From the per-document lengths, not Whoosh's stored totals: those still count the
        deleted documents until a merge drops them, so two indexes of the same documents
        (two nodes, or one before and after a merge) would score them differently.
        """
        lengths = self(fieldname)
        with self._lock:
            if fieldname not in self._averages:
                count = int(np.count_nonzero(live))
                self._averages[fieldname] = float(lengths[live].sum(dtype=np.float64)) / count if count else 0.0
            return self._averages[fieldname]


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


def phrase_docs(leaf: Any, query: Phrase, candidates: np.ndarray, flat: FlatPostings | None = None) -> np.ndarray:
    """The candidate docnums (of one segment) where the phrase's words follow each other
    within its slop.

    Word by word, as ``docnum << 32 | position`` keys, so later words' positions are
    read only for the documents still in the running. Positions come from the
    segment's flat postings when the word is there, else from Whoosh's blocks.
    """
    keys = _position_keys(leaf, query.fieldname, query.words[0], candidates, flat)
    # a near query (two words in either order) reads each word's positions once
    gaps = list(range(1, query.slop + 1))
    if getattr(query, "unordered", False):
        gaps += [-gap for gap in gaps]
    for word in query.words[1:]:
        following = _position_keys(leaf, query.fieldname, word, candidates, flat)
        kept = np.zeros(len(following), dtype=bool)
        for gap in gaps:
            kept |= sorted_member(following - gap, keys)
        keys = following[kept]
        candidates = docs_of(keys)
        if not len(candidates):
            break
    return docs_of(keys)


def _position_keys(leaf: Any, fieldname: str, word: str, candidates: np.ndarray,
                   flat: FlatPostings | None) -> np.ndarray:
    if flat is not None and flat.has(fieldname, word):
        docs, positions = flat.positions(fieldname, word, candidates)
    else:
        fmt = leaf.schema[fieldname].format
        docs, positions = _positions(leaf.postings(fieldname, word), candidates, fmt)
    return (docs << 32) | positions


def _positions(matcher: Any, candidates: np.ndarray, fmt: Any) -> tuple[np.ndarray, np.ndarray]:
    """(docnum, position) pairs of the candidate documents, decoding only their postings."""
    docs: list[int] = []
    positions: list[int] = []
    for ids, _, values in blocks(matcher, candidates):
        for i in np.flatnonzero(np.isin(ids, candidates, assume_unique=True)).tolist():
            found = fmt.decode_positions(values[i]) if values is not None else ()
            docs.extend([int(ids[i])] * len(found))
            positions.extend(found)
    return np.asarray(docs, dtype=np.int64), np.asarray(positions, dtype=np.int64)


def postings(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every docnum of a term's postings in one segment and its weight (deletions are masked later)."""
    id_blocks, weight_blocks = [], []
    for ids, weights, _ in blocks(matcher):
        id_blocks.append(ids)
        weight_blocks.append(weights)
    if not id_blocks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def blocks(matcher: Any, wanted: np.ndarray | None = None) -> Iterator[tuple[np.ndarray, np.ndarray, Any]]:
    """(docnums, weights, raw values) of each block of a term's postings in one segment,
    deleted documents included. W3 blocks are read whole; other matchers one by one.

    With ``wanted`` (sorted docnums), a block whose docnum range holds none of them is
    passed over on its header alone: a phrase's stop word ("van", in nearly every
    document) is then decoded only in the blocks of the phrase's few candidates.
    """
    leaf_matcher = block_matcher(matcher)
    if leaf_matcher is None:
        items = [(matcher.id(), matcher.weight(), matcher.value()) for _ in _drain(matcher)]
        yield (np.asarray([i for i, _, _ in items], dtype=np.int64),
               np.asarray([w for _, w, _ in items], dtype=np.float32), [v for _, _, v in items])
        return
    matcher = leaf_matcher
    previous_max = -1
    while matcher.is_active():
        block_max = matcher.block_max_id()
        if wanted is not None and not _holds_any(wanted, previous_max, block_max):
            if np.searchsorted(wanted, previous_max, side="right") == len(wanted):
                return  # past the last wanted document
        else:
            ids, raw_weights, values = read_block(matcher)
            yield ids, _block_weights(raw_weights, len(ids)), values
        previous_max = block_max
        next_block(matcher)


def _holds_any(wanted: np.ndarray, after: int, upto: int) -> bool:
    """Whether a sorted array has a value in (after, upto]."""
    index = int(np.searchsorted(wanted, after, side="right"))
    return index < len(wanted) and wanted[index] <= upto


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


def read_lengths(searcher: Searcher, fieldname: str, segments: SegmentArrays | None = None) -> np.ndarray:
    """Document lengths of a field (Whoosh's one-byte approximation, as its scorer uses;
    0 for a document without the field)."""
    segments = segments or SegmentArrays()
    lengths = np.zeros(searcher.doc_count_all(), dtype=np.float32)
    for leaf, offset in searcher.reader().leaf_readers():
        part = segments.get(leaf, "lengths", fieldname, lambda leaf: _segment_lengths(leaf, fieldname))
        lengths[offset:offset + len(part)] = part
    return lengths


def _segment_lengths(leaf: Any, fieldname: str) -> np.ndarray:
    codes = length_codes(leaf, fieldname)
    if codes is None:
        return np.zeros(leaf.doc_count_all(), dtype=np.float32)
    return BYTE_TO_LENGTH[codes]
