"""Writes the flat postings file of each segment (the format: :mod:`flat_postings`).

Called after every commit (and after a rebuild) for the segments that have no file
yet (or one of an older version). A segment of 100,000 documents holds some fifteen
million frequent postings, so the arrays are never held whole: each term's postings are
decoded from Whoosh's blocks and appended to one spool file per array (a one-byte array's
wide values to two more, :class:`EscapedSpool`), and the final file is assembled from the
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

from indexer.index.flat_postings import (
    BITS,
    ESCAPED,
    MAGIC,
    MIN_POSTINGS,
    SUFFIX,
    VERSION,
    is_current,
    padded,
)
from indexer.index.postings import blocks
from indexer.index.whoosh_compat import segment_id

LOG = logging.getLogger(__name__)
CHUNK = 1 << 20  # values copied from a spool into the file at a time
UNSIGNED = (np.uint8, np.uint16, np.uint32, np.uint64)
SIGNED = (np.int8, np.int16, np.int32, np.int64)


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
            if name is None or is_current(folder / f"{name}{SUFFIX}"):
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
    spools: dict[str, EscapedSpool] = {}
    try:
        for name in ESCAPED:
            spools[name] = EscapedSpool(tmp.with_name(f"{tmp.name}.{name}"), BITS[name])
        terms = _spool_terms(leaf, min_postings, spools)
        for spool in spools.values():
            spool.finish()
        header = {"version": VERSION, "segment": segment, "doc_count": leaf.doc_count_all(),
                  "min_postings": min_postings, "terms": terms,
                  "bits": {name: spool.bits for name, spool in spools.items()},
                  "values": {name: spool.length for name, spool in spools.items()}}
        _write_file(tmp, header, _flattened(spools))
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
        self.smallest = 0
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
            self.smallest = min(self.smallest, int(values.min()))

    def final_dtype(self) -> np.dtype:
        if self.dtype.kind == "f":
            return np.dtype(np.float16 if self.half_exact else np.float32)
        choices = UNSIGNED if self.smallest >= 0 else SIGNED
        return np.dtype(next(dtype for dtype in choices
                             if np.iinfo(dtype).min <= self.smallest and self.largest <= np.iinfo(dtype).max))

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


class EscapedSpool:
    """An array of ``bits`` a value (:class:`indexer.index.flat_postings.Escaped`) spooled:
    each value that does not fit below the largest (255 for 8 bits, 15 for 4) is written as
    the largest, its index and value to two more spools.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     spool, nibbles = EscapedSpool(Path(folder) / "p"), EscapedSpool(Path(folder) / "n", 4)
    ...     spool.append(np.asarray([3, 255, 70000])); spool.append(np.asarray([-2, 9]))
    ...     nibbles.append(np.asarray([1, 2, 3])); nibbles.append(np.asarray([40, 5])); nibbles.finish()
    ...     [(name, part.final_dtype().name, [c.tolist() for c in part.chunks()])
    ...      for name, part in spool.parts() + nibbles.parts()]
    [('', 'uint8', [[3, 255, 255, 255, 9]]), ('_at', 'uint8', [[1, 2, 3]]), ('_wide', 'int32', [[255, 70000, -2]]), \
('', 'uint8', [[33, 243, 5]]), ('_at', 'uint8', [[3]]), ('_wide', 'uint8', [[40]])]
    """

    def __init__(self, path: Path, bits: int = 8) -> None:
        self.bits = bits
        self.escape = (1 << bits) - 1
        self.length = 0  # values (a byte holds two of 4 bits)
        self._pending: list[int] = []  # a 4-bit value waiting for the other half of its byte
        self.narrow = Spool(path, np.uint8)
        self.at = Spool(path.with_name(f"{path.name}_at"), np.uint64)
        self.wide = Spool(path.with_name(f"{path.name}_wide"), np.int64)

    def append(self, values: np.ndarray) -> None:
        wide = (values >= self.escape) | (values < 0)
        index = np.flatnonzero(wide)
        self.at.append(index + self.length)
        self.wide.append(values[index])
        self.length += len(values)
        narrow = np.where(wide, self.escape, values)
        if self.bits == 4:
            narrow = np.concatenate((self._pending, narrow)).astype(np.int64)
            self._pending = [int(narrow[-1])] if len(narrow) % 2 else []
            narrow = narrow[:len(narrow) // 2 * 2]
            narrow = narrow[0::2] | (narrow[1::2] << 4)
        self.narrow.append(narrow)

    def finish(self) -> None:
        """Write a last 4-bit value alone in its byte."""
        if self._pending:
            self.narrow.append(np.asarray(self._pending))
            self._pending = []

    def parts(self) -> list[tuple[str, Spool]]:
        return [("", self.narrow), ("_at", self.at), ("_wide", self.wide)]

    def remove(self) -> None:
        for _, part in self.parts():
            part.remove()


def _flattened(spools: dict[str, EscapedSpool]) -> dict[str, Spool]:
    """Every array of the file by its name, in the file's order."""
    return {name + suffix: part for name, spool in spools.items() for suffix, part in spool.parts()}


def _spool_terms(leaf: Any, min_postings: int, spools: dict[str, EscapedSpool]) -> dict[str, dict[str, list[Any]]]:
    """Append every frequent term's arrays to the spools; field -> term -> its place."""
    terms: dict[str, dict[str, list[Any]]] = {}
    for fieldname, text, arrays in _frequent_terms(leaf, min_postings):
        docs, counts = arrays["docs"], arrays["counts"]
        found = weight_units(arrays["weights"], counts, leaf.schema[fieldname].format.field_boost)
        if found is None:
            continue  # weights of no unit (a boost of a third?): the term is left to Whoosh's blocks
        units, unit = found
        weight = -1 if units is None else spools["weights"].length
        terms.setdefault(fieldname, {})[text] = [spools["gaps"].length, len(docs), spools["positions"].length,
                                                 int(docs[0]), weight, unit]
        spools["gaps"].append(np.diff(docs, prepend=docs[0]))
        spools["counts"].append(counts)
        spools["positions"].append(_position_gaps(arrays["positions"], counts))
        if units is not None:
            spools["weights"].append(units)
    return terms


def weight_units(weights: np.ndarray, counts: np.ndarray, boost: float,
                 halvings: int = 6) -> tuple[np.ndarray | None, float] | None:
    """A term's weights as whole numbers of a unit (None: the counts are) and the unit, or
    None when no unit, the boost halved up to ``halvings`` times, gives them exactly.

    >>> weight_units(np.asarray([3.0, 6.0]), np.asarray([1, 2]), 3.0)
    (None, 3.0)
    >>> weight_units(np.asarray([1.5, 2.0]), np.asarray([2, 2]), 1.0)
    (array([3, 4]), 0.5)
    >>> weight_units(np.asarray([0.1]), np.asarray([1]), 1.0) is None
    True
    """
    weights = weights.astype(np.float32)
    if np.array_equal(counts.astype(np.float32) * np.float32(boost), weights):
        return None, float(boost)
    for halving in range(1, halvings + 1):
        unit = np.float32(boost / 2**halving)
        units = np.rint(weights / unit).astype(np.int64)
        if units.min(initial=0) >= 0 and np.array_equal(units.astype(np.float32) * unit, weights):
            return units, float(unit)
    return None


def _position_gaps(positions: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each position minus the one before it in the same posting; a posting's first as it is.

    >>> _position_gaps(np.asarray([4, 9, 300, 2, 7]), np.asarray([3, 0, 1, 1])).tolist()
    [4, 5, 291, 2, 7]
    """
    gaps = np.diff(positions, prepend=0)
    firsts = (np.cumsum(counts) - counts)[counts > 0]
    gaps[firsts] = positions[firsts]
    return gaps


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
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ("docs", "weights", "counts", "positions")}
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
