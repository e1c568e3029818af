"""Frequent terms' postings as flat arrays in a file beside each Whoosh segment.

Whoosh keeps a term's postings in zlib-compressed, pickled blocks of 128, each posting
with its positions. A word found in a third of 100,000 documents means unpickling
some 260 blocks (~20 ms) before a single score is added, and a phrase decodes them
again for the positions. For the terms with many postings in a segment (the only
ones that cost), this file holds the same postings as plain arrays, which a reader
memory-maps and slices without decoding.

The file is derived data, never the only copy: written after a commit for every
segment that lacks one (or has one of an older version), named ``<segment id>.bzpost``
so that Whoosh's own clean-up deletes it together with its segment, written to a
temporary name and renamed, and checked against its segment when opened. When it is
absent, stale or unreadable the reader decodes Whoosh's blocks as before: the same
results, only slower. This module reads the files; :mod:`indexer.index.flat_postings_writer`
writes them.

Layout: ``MAGIC``, the header's length (8 bytes, little-endian), the JSON header padded
with spaces to a multiple of 8 (version, segment id, document count, per field and term
``[first posting, postings, first position, first docnum, first weight or -1, weight unit]``,
each array's offset, dtype and length, and per array its bits a value and number of values),
then the arrays, each starting at a multiple of 8 after the header, each ``BITS`` a value
(:class:`Escaped`):

- ``gaps``: each posting's docnum minus the previous one's (0 for a term's first: its
  docnum is in the header); the docnums are their running sum.
- ``counts``: positions per posting. A weight is Whoosh's term frequency times the field's
  boost, so for most terms it is the count times the term's weight unit (the boost) and is
  not stored (first weight -1).
- ``weights``: the weights of the other terms (a compound's parts weigh 0.5 a time), in
  their unit (the boost halved until every weight is a whole number of it).
- ``positions``: within each posting, each position minus the one before it (the first
  as it is): a position past 65,535 in a long document still takes one byte.

A value that does not fit (255 or more in a byte, 15 in four bits, or below 0) is written
as the largest and kept apart, in ``<name>_at`` (its index, ascending) and ``<name>_wide``
(its value).
"""

from __future__ import annotations

import json
import struct
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from indexer.index.sorted_keys import sorted_member
from indexer.index.whoosh_compat import segment_id

MAGIC = b"BZPOST1\n"
#: 1: absolute docnums (int32) and counts at least 16-bit; 2: docnum gaps, narrowest dtypes;
#: 3: one byte a value with wide values apart, positions as gaps, weights derived from counts
#: or in units
VERSION = 3
SUFFIX = ".bzpost"
#: terms with fewer postings in a segment decode from Whoosh in well under a millisecond
MIN_POSTINGS = 1024
RETRY_SECONDS = 5.0  # a reader that found no file looks again after this long (the writer may be at it)
ESCAPED = ("gaps", "counts", "positions", "weights")
#: bits a value: at 100,000 documents 99.5 % of the counts and nearly every weight are below 15,
#: but 27 % of the docnum gaps and 76 % of the position gaps are not
BITS = {"gaps": 8, "counts": 4, "positions": 8, "weights": 4}
ARRAYS = tuple(f"{name}{part}" for name in ESCAPED for part in ("", "_at", "_wide"))


class Escaped:
    """An array of ``bits`` (8, or 4: two values a byte, the first in the low half) a value,
    in which the largest (255, or 15) stands for a wide value kept apart: the
    ``wide`` value at the same place in ``at`` (the sorted indexes of the escapes).

    >>> nibbles = Escaped(np.asarray([0x21, 0xF3, 0x05], dtype=np.uint8), np.asarray([3]), np.asarray([40]), 4, 5)
    >>> nibbles.slice(0, 5).tolist(), nibbles.slice(3, 5).tolist(), nibbles.take(np.asarray([1, 3])).tolist()
    ([1, 2, 3, 40, 5], [40, 5], [2, 40])
    """

    def __init__(self, narrow: np.ndarray, at: np.ndarray, wide: np.ndarray, bits: int = 8,
                 length: int | None = None) -> None:
        self.narrow, self.at, self.wide, self.bits = narrow, at, wide, bits
        self.escape = (1 << bits) - 1
        self._length = len(narrow) if length is None else length
        if narrow.dtype != np.uint8 or len(at) != len(wide) or bits not in (4, 8) \
                or (self._length * bits + 7) // 8 != len(narrow):
            raise ValueError("flat postings escapes do not match")
        if len(at) and (int(at[-1]) >= self._length or not np.all(self._narrow_take(at) == self.escape)
                        or not np.all(at[1:] > at[:-1])):
            raise ValueError("flat postings escapes point elsewhere")
        self._limit = int(np.iinfo(at.dtype).max)

    def __len__(self) -> int:
        return self._length

    def total(self) -> int:
        narrow = int(self.narrow.sum(dtype=np.int64)) if self.bits == 8 else \
            int((self.narrow & 15).sum(dtype=np.int64) + (self.narrow >> 4).sum(dtype=np.int64))
        return narrow - self.escape * len(self.at) + int(self.wide.sum(dtype=np.int64))

    def slice(self, start: int, stop: int) -> np.ndarray:
        """Values ``start`` to ``stop`` as int64 (the escapes in range found by binary search)."""
        values = self._narrow_slice(start, stop)
        if not len(self.at):
            return values
        low, high = self._find(np.asarray((start, stop)))
        if high > low:
            values[self.at[low:high].astype(np.int64) - start] = self.wide[low:high]
        return values

    def take(self, index: np.ndarray) -> np.ndarray:
        """The values at ``index`` (sorted) as int64."""
        values = self._narrow_take(index)
        escaped = np.flatnonzero(values == self.escape)
        if len(escaped):
            values[escaped] = self.wide[self._find(index[escaped])]
        return values

    def _narrow_slice(self, start: int, stop: int) -> np.ndarray:
        if self.bits == 8:
            return self.narrow[start:stop].astype(np.int64)
        packed = self.narrow[start >> 1:(stop + 1) >> 1]
        values = np.empty(2 * len(packed), dtype=np.int64)
        values[0::2] = packed & 15
        values[1::2] = packed >> 4
        return values[start & 1:(start & 1) + stop - start]

    def _narrow_take(self, index: np.ndarray) -> np.ndarray:
        if self.bits == 8:
            return self.narrow[index].astype(np.int64)
        index = np.asarray(index, dtype=np.int64)
        return (self.narrow[index >> 1].astype(np.int64) >> ((index & 1) << 2)) & 15

    def _find(self, index: np.ndarray) -> np.ndarray:
        """``np.searchsorted(self.at, index)`` without converting ``at``: searching keys of
        another dtype would copy the whole array (some 870,000 escapes at 100,000 documents)
        on every call."""
        found = np.searchsorted(self.at, np.minimum(index, self._limit).astype(self.at.dtype))
        return np.where(index > self._limit, len(self.at), found)


class FlatPostings:
    """The flat postings of one segment, memory-mapped."""

    def __init__(self, raw: np.ndarray, header: dict[str, Any], base: int) -> None:
        self._terms: dict[str, dict[str, list[Any]]] = header["terms"]
        arrays = {name: _view(raw[base:], header["arrays"][name]) for name in ARRAYS}
        self._gaps, self._counts, self._positions, self._weights = (
            Escaped(arrays[name], arrays[f"{name}_at"], arrays[f"{name}_wide"], header["bits"][name],
                    header["values"][name]) for name in ESCAPED)
        postings, positions, weights = len(self._gaps), len(self._positions), len(self._weights)
        if any(start + count > postings or pos_start > positions or first < 0 or weight + count > weights
               for terms in self._terms.values() for start, count, pos_start, first, weight, _ in terms.values()):
            raise ValueError("flat postings header points past its arrays")
        if len(self._counts) != postings or self._counts.total() != positions:
            raise ValueError("flat postings counts do not add up to its positions")

    def has(self, fieldname: str, text: str) -> bool:
        return text in self._terms.get(fieldname, {})

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The term's docnums (segment-local, int64) and weights (float32)."""
        start, count, _, first, weight, unit = self._terms[fieldname][text]
        units = self._counts.slice(start, start + count) if weight < 0 else self._weights.slice(weight, weight + count)
        return self._docs(start, count, first), units.astype(np.float32) * np.float32(unit)

    def _docs(self, start: int, count: int, first: int) -> np.ndarray:
        return first + np.cumsum(self._gaps.slice(start, start + count))

    def positions(self, fieldname: str, text: str, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(docnum, position) pairs of the term in the candidate documents, as two arrays."""
        start, count, pos_start, first, _, _ = self._terms[fieldname][text]
        docs = self._docs(start, count, first)
        counts = self._counts.slice(start, start + count)
        wanted = np.flatnonzero(sorted_member(docs, candidates))  # both sorted
        firsts = pos_start + np.cumsum(counts) - counts  # each posting's first position
        wanted = wanted[counts[wanted] > 0]
        sizes = counts[wanted]
        starts = np.cumsum(sizes) - sizes
        # one index per position of every wanted posting: its first, first+1, ...
        gaps = self._positions.take(np.repeat(firsts[wanted] - starts, sizes) + np.arange(int(sizes.sum())))
        if len(starts) > 1:  # each posting's gaps start from 0: take the last position before off its first
            gaps[starts[1:]] -= np.add.reduceat(gaps, starts)[:-1]
        return np.repeat(docs[wanted], sizes), np.cumsum(gaps)


class FlatPostingsSet:
    """The flat postings files of one index directory, opened when first asked for and
    kept across searchers while their segments live (:meth:`retain` lets the others go,
    so the space of a merged-away segment's file is freed with its last reader).

    A segment whose file is missing is looked for again after ``RETRY_SECONDS``: a
    reader may open a segment between the writer's commit and the file's rename.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._open: dict[str, FlatPostings] = {}
        self._missing: dict[str, float] = {}

    def for_leaf(self, leaf: Any) -> FlatPostings | None:
        name = segment_id(leaf)
        if name is None:
            return None
        with self._lock:
            if name in self._open:
                return self._open[name]
            if time.monotonic() - self._missing.get(name, -RETRY_SECONDS) < RETRY_SECONDS:
                return None
            flat = read(self.folder / (name + SUFFIX), name, leaf.doc_count_all())
            if flat is None:
                self._missing[name] = time.monotonic()
            else:
                self._open[name] = flat
            return flat


    def retain(self, segment_ids: set[str]) -> None:
        with self._lock:
            self._open = {name: flat for name, flat in self._open.items() if name in segment_ids}
            self._missing = {name: at for name, at in self._missing.items() if name in segment_ids}


def read(path: Path, segment: str, doc_count: int) -> FlatPostings | None:
    """The file if it exists and belongs to this segment; None otherwise (never raises)."""
    try:
        # a plain array over the mapping: slicing a memmap costs ~3 µs more a slice, and a query reads
        # some ten slices per term
        raw = np.memmap(path, dtype=np.uint8, mode="r").view(np.ndarray)
        found = _header(raw)
        if found is None:
            return None
        header, base = found
        if (header.get("version"), header.get("segment"), header.get("doc_count")) != (VERSION, segment, doc_count):
            return None
        return FlatPostings(raw, header, base)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_current(path: Path) -> bool:
    """Whether the file exists and is of this ``VERSION`` (the writer rewrites any other)."""
    try:
        with open(path, "rb") as file:
            start = file.read(16)
            if len(start) < 16 or start[:8] != MAGIC:
                return False
            (length,) = struct.unpack("<Q", start[8:16])
            return bool(json.loads(file.read(length)).get("version") == VERSION)
    except (OSError, ValueError, AttributeError):
        return False


def _header(raw: np.ndarray) -> tuple[dict[str, Any], int] | None:
    if bytes(raw[:8]) != MAGIC:
        return None
    (length,) = struct.unpack("<Q", bytes(raw[8:16]))
    return json.loads(bytes(raw[16:16 + length])), 16 + length


def padded(size: int) -> int:
    return (size + 7) // 8 * 8


def _view(raw: np.ndarray, entry: dict[str, Any]) -> np.ndarray:
    dtype = np.dtype(entry["dtype"])
    start = entry["offset"]
    array = raw[start:start + entry["length"] * dtype.itemsize].view(dtype)
    if len(array) != entry["length"]:
        raise ValueError("flat postings file is shorter than its header says")
    return array
