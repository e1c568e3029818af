"""Frequent terms' postings as flat arrays in a file beside each Whoosh segment.

Whoosh keeps a term's postings in zlib-compressed, pickled blocks of 128, each posting
with its positions. A word found in a third of 100,000 documents means unpickling
some 260 blocks (~20 ms) before a single score is added, and a phrase decodes them
again for the positions. For the terms with many postings in a segment (the only
ones that cost), this file holds the same postings as plain arrays, docnum gaps, weights,
position counts and positions, which a reader memory-maps and slices without decoding
(the docnums are the running sum of the gaps: a cumsum costs far less than the 2 bytes
per posting the absolute numbers would take, and at 100,000 documents no gap within a
frequent term came near 65,536).

The file is derived data, never the only copy: written after a commit for every
segment that lacks one, named ``<segment id>.bzpost`` so that Whoosh's own clean-up
deletes it together with its segment, written to a temporary name and renamed, and
checked against its segment when opened. When it is absent, stale or unreadable the
reader decodes Whoosh's blocks as before: the same results, only slower. This module
reads the files; :mod:`indexer.index.flat_postings_writer` writes them.

Layout: ``MAGIC``, the header's length (8 bytes, little-endian), the JSON header padded
with spaces to a multiple of 8 (version, segment id, document count, per field and term
``[first posting, postings, first position, first docnum]``, and each array's offset, dtype
and length), then the arrays ``gaps`` (docnum minus the previous posting's; 0 for a term's
first), ``weights``, ``counts`` (positions per posting) and ``positions``, each in the
narrowest dtype that holds its values exactly and starting at a multiple of 8 after the header.
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
VERSION = 2  # 1: absolute docnums (int32) and counts at least 16-bit
SUFFIX = ".bzpost"
#: terms with fewer postings in a segment decode from Whoosh in well under a millisecond
MIN_POSTINGS = 1024
RETRY_SECONDS = 5.0  # a reader that found no file looks again after this long (the writer may be at it)
ARRAYS = ("gaps", "weights", "counts", "positions")


class FlatPostings:
    """The flat postings of one segment, memory-mapped."""

    def __init__(self, raw: np.ndarray, header: dict[str, Any], base: int) -> None:
        self._terms: dict[str, dict[str, list[int]]] = header["terms"]
        self._arrays = {name: _view(raw[base:], header["arrays"][name]) for name in ARRAYS}
        postings, positions = len(self._arrays["gaps"]), len(self._arrays["positions"])
        if any(start + count > postings or pos_start > positions or first < 0
               for terms in self._terms.values() for start, count, pos_start, first in terms.values()):
            raise ValueError("flat postings header points past its arrays")
        if len(self._arrays["counts"]) != postings or int(self._arrays["counts"].sum(dtype=np.int64)) != positions:
            raise ValueError("flat postings counts do not add up to its positions")

    def has(self, fieldname: str, text: str) -> bool:
        return text in self._terms.get(fieldname, {})

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The term's docnums (segment-local, int64) and weights (float32)."""
        start, count, _, first = self._terms[fieldname][text]
        return self._docs(start, count, first), self._arrays["weights"][start:start + count].astype(np.float32)

    def _docs(self, start: int, count: int, first: int) -> np.ndarray:
        return first + np.cumsum(self._arrays["gaps"][start:start + count], dtype=np.int64)

    def positions(self, fieldname: str, text: str, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(docnum, position) pairs of the term in the candidate documents, as two arrays."""
        start, count, pos_start, first = self._terms[fieldname][text]
        docs = self._docs(start, count, first)
        counts = self._arrays["counts"][start:start + count].astype(np.int64)
        wanted = np.flatnonzero(sorted_member(docs, candidates))  # both sorted
        firsts = pos_start + np.cumsum(counts) - counts  # each posting's first position
        sizes = counts[wanted]
        # one index per position of every wanted posting: its first, first+1, ...
        index = np.repeat(firsts[wanted] - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
        positions = self._arrays["positions"][index].astype(np.int64)
        return np.repeat(docs[wanted], sizes), positions


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
        raw = np.memmap(path, dtype=np.uint8, mode="r")
        if bytes(raw[:8]) != MAGIC:
            return None
        (length,) = struct.unpack("<Q", bytes(raw[8:16]))
        header = json.loads(bytes(raw[16:16 + length]))
        if (header.get("version"), header.get("segment"), header.get("doc_count")) != (VERSION, segment, doc_count):
            return None
        return FlatPostings(raw, header, 16 + length)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def padded(size: int) -> int:
    return (size + 7) // 8 * 8


def _view(raw: np.ndarray, entry: dict[str, Any]) -> np.ndarray:
    dtype = np.dtype(entry["dtype"])
    start = entry["offset"]
    array = raw[start:start + entry["length"] * dtype.itemsize].view(dtype)
    if len(array) != entry["length"]:
        raise ValueError("flat postings file is shorter than its header says")
    return array
