"""Writes the flat postings file of each segment (the format: :mod:`flat_postings`).

Called after every commit (and after a rebuild) for the segments that have no file
yet. A segment of 100,000 documents holds some ten million frequent postings, so the
arrays are never held whole: each term's postings are decoded from Whoosh's blocks
and appended to one spool file per array, and the final file is assembled from the
spools in chunks, each array in the smallest dtype that holds all its values exactly.
"""

from __future__ import annotations

import json
import logging
import os
import struct
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO, Iterator

import numpy as np
from whoosh.index import Index

from indexer.index.flat_postings import ARRAYS, MAGIC, MIN_POSTINGS, SUFFIX, VERSION, padded
from indexer.index.postings import blocks
from indexer.index.whoosh_compat import segment_id

LOG = logging.getLogger(__name__)
#: the dtype each array is collected in; the file may use a narrower one (:meth:`Spool.final_dtype`)
WIDE = {"gaps": np.uint32, "weights": np.float32, "counts": np.uint32, "positions": np.uint32}
CHUNK = 1 << 20  # values copied from a spool into the file at a time
UNSIGNED = (np.uint8, np.uint16, np.uint32)
#: a frequent term with a larger gap between two of its documents is left to Whoosh's blocks
MAX_GAP = 2**16 - 1


def write_missing(ix: Index, min_postings: int = MIN_POSTINGS) -> int:
    """Write the file of every segment of the index that has none; the number written.

    A file that cannot be written (a full disk, or any other error) is logged and
    skipped, never raised into the crawl whose commit already succeeded: the index is
    complete without it, and the next commit tries again.
    """
    folder = Path(ix.storage.folder)
    written = 0
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            name = segment_id(leaf)
            if name is None or (folder / f"{name}{SUFFIX}").exists():
                continue
            try:
                write(leaf, folder / f"{name}{SUFFIX}", name, min_postings)
                written += 1
            except Exception as error:  # noqa: BLE001 - derived data: the committed index is complete without it
                LOG.warning("flat postings of segment %s not written: %s: %s", name, type(error).__name__, error)
    return written


def write(leaf: Any, path: Path, segment: str, min_postings: int = MIN_POSTINGS) -> None:
    """Write one segment's file: dot-named while written (Whoosh's clean-up skips those), then renamed."""
    tmp = path.with_name(f".{path.name}.tmp")
    spools: dict[str, Spool] = {}
    try:
        for name in ARRAYS:
            spools[name] = Spool(tmp.with_name(f"{tmp.name}.{name}"), WIDE[name])
        terms = _spool_terms(leaf, min_postings, spools)
        header = {"version": VERSION, "segment": segment, "doc_count": leaf.doc_count_all(),
                  "min_postings": min_postings, "terms": terms}
        _write_file(tmp, header, spools)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        for spool in spools.values():
            spool.remove()


class Spool:
    """One array's values, appended term by term to a temporary file, with what it takes
    to choose the narrowest exact dtype at the end.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     weights, counts = Spool(Path(folder) / "w", np.float32), Spool(Path(folder) / "c", np.uint32)
    ...     weights.append(np.asarray([1.0, 0.5, 3.5])); counts.append(np.asarray([1, 255]))
    ...     (weights.final_dtype(), counts.final_dtype(), [c.tolist() for c in counts.chunks()])
    (dtype('float16'), dtype('uint8'), [[1, 255]])
    """

    def __init__(self, path: Path, dtype: Any) -> None:
        self.path = path
        self.dtype = np.dtype(dtype)
        self.length = 0
        self.largest = 0
        self.half_exact = True  # every float equals its float16
        self._file: BinaryIO = open(path, "wb")  # noqa: SIM115 - closed by chunks() or remove()

    def append(self, values: np.ndarray) -> None:
        values = values.astype(self.dtype)
        self._file.write(values.tobytes())
        self.length += len(values)
        if not len(values):
            return
        if self.dtype.kind == "f":
            self.half_exact = self.half_exact and np.array_equal(values.astype(np.float16), values)
        else:
            self.largest = max(self.largest, int(values.max()))

    def final_dtype(self) -> np.dtype:
        if self.dtype.kind == "f":
            return np.dtype(np.float16 if self.half_exact else np.float32)
        return np.dtype(next(dtype for dtype in UNSIGNED if self.largest <= np.iinfo(dtype).max))

    def chunks(self) -> Iterator[np.ndarray]:
        """The values in the final dtype, ``CHUNK`` at a time."""
        self._file.close()
        if not self.length:
            return
        values = np.memmap(self.path, dtype=self.dtype, mode="r", shape=(self.length,))
        final = self.final_dtype()
        for start in range(0, self.length, CHUNK):
            yield values[start:start + CHUNK].astype(final)

    def remove(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)


def _spool_terms(leaf: Any, min_postings: int, spools: dict[str, Spool]) -> dict[str, dict[str, list[int]]]:
    """Append every frequent term's arrays to the spools; field -> term -> its place."""
    terms: dict[str, dict[str, list[int]]] = {}
    for fieldname, text, arrays in _frequent_terms(leaf, min_postings):
        docs = arrays.pop("docs")
        if len(docs) > 1 and int(np.diff(docs).max()) > MAX_GAP:
            continue  # a term this sparse costs little to decode: it keeps the gaps array narrow
        arrays["gaps"] = np.diff(docs, prepend=docs[0])
        terms.setdefault(fieldname, {})[text] = [spools["gaps"].length, len(docs), spools["positions"].length,
                                                 int(docs[0])]
        for name in ARRAYS:
            spools[name].append(arrays[name])
    return terms


def _frequent_terms(leaf: Any, min_postings: int) -> Iterator[tuple[str, str, dict[str, np.ndarray]]]:
    for fieldname in leaf.schema.names():
        field = leaf.schema[fieldname]
        if field.format is None or not field.format.supports("positions"):
            continue
        if fieldname not in leaf.indexed_field_names():
            continue
        for term, info in leaf.iter_field(fieldname):
            if info.doc_frequency() >= min_postings:
                text = field.from_bytes(term) if isinstance(term, bytes) else term
                yield fieldname, text, _term_arrays(leaf.postings(fieldname, text), field.format)


def _term_arrays(matcher: Any, fmt: Any) -> dict[str, np.ndarray]:
    """A term's postings with positions, decoded block by block (deleted documents kept)."""
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ("docs", *ARRAYS[1:])}
    for ids, weights, values in blocks(matcher):
        position_lists = [fmt.decode_positions(value) for value in values]
        parts["docs"].append(ids)
        parts["weights"].append(weights)
        parts["counts"].append(np.fromiter(map(len, position_lists), dtype=np.int64, count=len(ids)))
        parts["positions"].append(np.fromiter(chain.from_iterable(position_lists), dtype=np.int64))
    return {name: np.concatenate(values) for name, values in parts.items()}


def _write_file(path: Path, header: dict[str, Any], spools: dict[str, Spool]) -> None:
    offset, layout = 0, {}
    for name, spool in spools.items():
        dtype = spool.final_dtype()
        layout[name] = {"offset": offset, "dtype": dtype.str, "length": spool.length}
        offset += padded(spool.length * dtype.itemsize)
    encoded = json.dumps({**header, "arrays": layout}, ensure_ascii=False).encode()
    encoded = encoded.ljust(padded(len(encoded)))  # JSON allows trailing spaces
    with open(path, "wb") as out:
        out.write(MAGIC + struct.pack("<Q", len(encoded)) + encoded)
        for spool in spools.values():
            size = 0
            for chunk in spool.chunks():
                out.write(chunk.tobytes())
                size += chunk.nbytes
            out.write(b"\0" * (padded(size) - size))
        out.flush()
        os.fsync(out.fileno())
