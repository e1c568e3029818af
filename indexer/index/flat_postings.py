"""Frequent terms' postings as flat arrays in a file beside each Whoosh segment.

Whoosh keeps a term's postings in zlib-compressed, pickled blocks of 128, each posting
with its positions. A word found in a third of 100,000 documents means unpickling
some 260 blocks (~20 ms) before a single score is added, and a phrase decodes them
again for the positions. For the terms with many postings in a segment (the only
ones that cost), this file holds the same postings as plain arrays, docnums, weights,
position counts and positions, which a reader memory-maps and slices without decoding.

The file is derived data, never the only copy: written after a commit for every
segment that lacks one, named ``<segment id>.bzpost`` so that Whoosh's own clean-up
deletes it together with its segment, written to a temporary name and renamed, and
checked against its segment when opened. When it is absent, stale or unreadable the
reader decodes Whoosh's blocks as before: the same results, only slower.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import struct
import threading
import time
from itertools import chain
from pathlib import Path
from typing import Any, Iterator

import numpy as np
from whoosh.formats import Positions
from whoosh.index import Index

from indexer.index.postings import blocks

LOG = logging.getLogger(__name__)
MAGIC = b"BZPOST1\n"
VERSION = 1
SUFFIX = ".bzpost"
#: terms with fewer postings in a segment decode from Whoosh in well under a millisecond
MIN_POSTINGS = 1024
RETRY_SECONDS = 5.0  # a reader that found no file looks again after this long (the writer may be at it)
ARRAYS = ("docs", "weights", "counts", "positions")
_INT_SIZE = 4  # Whoosh's Positions values start with the count as a 4-byte uint

WIDE = {"docs": np.int32, "weights": np.float32, "counts": np.uint32, "positions": np.uint32}
TermArrays = dict[str, np.ndarray]  # ARRAYS -> one term's arrays (positions absolute per document)


class FlatPostings:
    """The flat postings of one segment, memory-mapped."""

    def __init__(self, raw: np.ndarray, header: dict[str, Any], base: int) -> None:
        self._terms: dict[str, dict[str, list[int]]] = header["terms"]
        self._arrays = {name: _view(raw[base:], header["arrays"][name]) for name in ARRAYS}
        postings, positions = len(self._arrays["docs"]), len(self._arrays["positions"])
        if any(start + count > postings or pos_start > positions
               for terms in self._terms.values() for start, count, pos_start in terms.values()):
            raise ValueError("flat postings header points past its arrays")

    def has(self, fieldname: str, text: str) -> bool:
        return text in self._terms.get(fieldname, {})

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The term's docnums (segment-local, int64) and weights (float32)."""
        start, count, _ = self._terms[fieldname][text]
        docs = self._arrays["docs"][start:start + count].astype(np.int64)
        return docs, self._arrays["weights"][start:start + count].astype(np.float32)

    def positions(self, fieldname: str, text: str, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(docnum, position) pairs of the term in the candidate documents, as two arrays."""
        start, count, pos_start = self._terms[fieldname][text]
        docs = self._arrays["docs"][start:start + count]
        counts = self._arrays["counts"][start:start + count].astype(np.int64)
        wanted = np.flatnonzero(np.isin(docs, candidates))
        firsts = pos_start + np.cumsum(counts) - counts  # each posting's first position
        sizes = counts[wanted]
        # one index per position of every wanted posting: its first, first+1, ...
        index = np.repeat(firsts[wanted] - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
        positions = self._arrays["positions"][index].astype(np.int64)
        return np.repeat(docs[wanted].astype(np.int64), sizes), positions


class FlatPostingsSet:
    """The flat postings files of one index directory, opened when first asked for.

    A segment whose file is missing is looked for again after ``RETRY_SECONDS``: a
    reader may open a segment between the writer's commit and the file's rename.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._open: dict[str, FlatPostings] = {}
        self._missing: dict[str, float] = {}

    def for_leaf(self, leaf: Any) -> FlatPostings | None:
        segment_id = _segment_id(leaf)
        if segment_id is None:
            return None
        with self._lock:
            if segment_id in self._open:
                return self._open[segment_id]
            if time.monotonic() - self._missing.get(segment_id, -RETRY_SECONDS) < RETRY_SECONDS:
                return None
            flat = read(self.folder / (segment_id + SUFFIX), segment_id, leaf.doc_count_all())
            if flat is None:
                self._missing[segment_id] = time.monotonic()
            else:
                self._open[segment_id] = flat
            return flat


def read(path: Path, segment_id: str, doc_count: int) -> FlatPostings | None:
    """The file if it exists and belongs to this segment; None otherwise (never raises)."""
    try:
        raw = np.memmap(path, dtype=np.uint8, mode="r")
        if bytes(raw[:8]) != MAGIC:
            return None
        (length,) = struct.unpack("<Q", bytes(raw[8:16]))
        header = json.loads(bytes(raw[16:16 + length]))
        if (header.get("version"), header.get("segment"), header.get("doc_count")) != (VERSION, segment_id, doc_count):
            return None
        return FlatPostings(raw, header, 16 + length)
    except (OSError, ValueError, KeyError, TypeError):
        return None


# -- writing ------------------------------------------------------------------------------

def write_missing(ix: Index, min_postings: int = MIN_POSTINGS) -> int:
    """Write the file of every segment of the index that has none; the number written.

    A file that cannot be written (a full disk) is logged and skipped: the index is
    complete without it, and the next commit tries again.
    """
    folder = Path(ix.storage.folder)
    written = 0
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            segment_id = _segment_id(leaf)
            path = folder / f"{segment_id}{SUFFIX}"
            if segment_id is None or path.exists():
                continue
            try:
                write(leaf, path, segment_id, min_postings)
                written += 1
            except OSError as error:
                LOG.warning("flat postings of segment %s not written: %s", segment_id, error)
    return written


def write(leaf: Any, path: Path, segment_id: str, min_postings: int = MIN_POSTINGS) -> None:
    """Write one segment's file (to a dot-name Whoosh's clean-up skips, then renamed)."""
    terms: dict[str, dict[str, list[int]]] = {}
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ARRAYS}
    postings = positions = 0
    for fieldname, text, arrays in _frequent_terms(leaf, min_postings):
        terms.setdefault(fieldname, {})[text] = [postings, len(arrays["docs"]), positions]
        for name in ARRAYS:
            parts[name].append(arrays[name])
        postings += len(arrays["docs"])
        positions += len(arrays["positions"])
    header = {"version": VERSION, "segment": segment_id, "doc_count": leaf.doc_count_all(),
              "min_postings": min_postings, "terms": terms}
    tmp = path.with_name("." + path.name + ".tmp")
    try:
        _write_file(tmp, header, {name: _compact(name, parts[name]) for name in ARRAYS})
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _frequent_terms(leaf: Any, min_postings: int) -> Iterator[tuple[str, str, TermArrays]]:
    for fieldname in leaf.schema.names():
        fmt = leaf.schema[fieldname].format
        if fmt is None or not fmt.supports("positions") or fieldname not in leaf.indexed_field_names():
            continue
        field = leaf.schema[fieldname]
        for term, info in leaf.iter_field(fieldname):
            if info.doc_frequency() >= min_postings:
                text = field.from_bytes(term) if isinstance(term, bytes) else term
                yield fieldname, text, _term_arrays(leaf.postings(fieldname, text), fmt)


def _term_arrays(matcher: Any, fmt: Any) -> TermArrays:
    """A term's postings with positions, decoded block by block (deleted documents kept)."""
    decode = _decode_positions if type(fmt) is Positions else fmt.decode_positions
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ARRAYS}
    for ids, weights, values in blocks(matcher):
        position_lists = [decode(value) for value in values]
        parts["docs"].append(ids)
        parts["weights"].append(weights)
        parts["counts"].append(np.fromiter(map(len, position_lists), dtype=np.int64, count=len(ids)))
        parts["positions"].append(np.fromiter(chain.from_iterable(position_lists), dtype=np.int64))
    # 32-bit while collecting: a segment's frequent postings can run to tens of millions
    return {name: np.concatenate(parts[name]).astype(WIDE[name]) for name in ARRAYS}


def _decode_positions(value: bytes) -> list[int]:
    """Whoosh's Positions value (count, then a pickled list of gaps without its STOP)."""
    position, out = 0, []
    for gap in pickle.loads(value[_INT_SIZE:] + b"."):
        position += gap
        out.append(position)
    return out


def _compact(name: str, parts: list[np.ndarray]) -> np.ndarray:
    """The smallest dtype that holds every value exactly (float16 weights: halves and
    whole counts; 16-bit counts and positions for documents of under 65,536 words)."""
    values = np.concatenate(parts) if parts else np.zeros(0, dtype=WIDE[name])
    if name == "weights":
        half = values.astype(np.float16)
        return half if np.array_equal(half.astype(np.float32), values) else values.astype(np.float32)
    if name == "docs":
        return values
    return values.astype(np.uint16 if not len(values) or values.max() < 2**16 else np.uint32)


def _write_file(path: Path, header: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Magic, header length, JSON header (padded to 8 bytes), then the arrays, each at an
    offset from the header's end that is a multiple of 8."""
    offset, layout = 0, {}
    for name, array in arrays.items():
        layout[name] = {"offset": offset, "dtype": array.dtype.str, "length": len(array)}
        offset += _padded(array.nbytes)
    encoded = json.dumps({**header, "arrays": layout}, ensure_ascii=False).encode()
    encoded = encoded.ljust(_padded(len(encoded)))  # JSON allows trailing spaces
    with open(path, "wb") as out:
        out.write(MAGIC + struct.pack("<Q", len(encoded)) + encoded)
        for array in arrays.values():
            out.write(array.tobytes().ljust(_padded(array.nbytes), b"\0"))
        out.flush()
        os.fsync(out.fileno())


def _padded(size: int) -> int:
    return (size + 7) // 8 * 8


def _view(raw: np.ndarray, entry: dict[str, Any]) -> np.ndarray:
    dtype = np.dtype(entry["dtype"])
    start = entry["offset"]
    array = raw[start:start + entry["length"] * dtype.itemsize].view(dtype)
    if len(array) != entry["length"]:
        raise ValueError("flat postings file is shorter than its header says")
    return array


def _segment_id(leaf: Any) -> str | None:
    segment = getattr(leaf, "segment", None)
    return segment().segment_id() if callable(segment) else None
