"""The bytes of one compact postings block: docnums, weights and values of up to a block's
worth of postings, as varints and narrow arrays instead of a pickled tuple.

Layout (before the optional compression, which :mod:`indexer.index.compact_codec` picks):

- one byte: the weights' mode (bits 0-2) and the values' mode (bits 3-5);
- raw bytes of fixed size: the weights as float32 when they are not whole numbers (one
  float when they are all equal), then the values when each is ``k`` opaque bytes;
- varints: the docnums (the first as it is, then the gaps), the weights when they are whole
  numbers, then the values: a frequency each (the ``Frequency`` format's 4-byte uint), or per
  posting its number of positions followed by every posting's position gaps (the
  ``Positions`` format), or each opaque value's length;
- opaque values' bytes, when the format is neither of those.

Every value is given back byte for byte as Whoosh's W3 codec keeps it: a ``Positions`` value
is ``pack_uint(count) + pickle.dumps(gaps, 2)``, which :func:`encode` checks for each value
before it stores only the gaps (a value that is not exactly that is kept as opaque bytes).
"""

from __future__ import annotations

import pickle
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np
from whoosh.formats import Positions

from indexer.index import varints

WEIGHTS_ONE, WEIGHTS_SAME, WEIGHTS_WHOLE, WEIGHTS_FLOAT = range(4)
VALUES_NONE, VALUES_UINT, VALUES_POSITIONS, VALUES_FIXED, VALUES_OPAQUE = range(5)
UINT = struct.Struct("!I")
FLOAT = np.dtype("<f4")
#: the largest whole weight stored as a varint (larger ones are kept as float32)
MAX_WHOLE_WEIGHT = 1 << 24


class PositionValues(Sequence[bytes]):
    """The W3 value bytes of a block's postings with positions, each made when asked for."""

    def __init__(self, counts: np.ndarray, gaps: np.ndarray) -> None:
        self.counts = counts
        self.gaps = gaps
        self.starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)

    def __len__(self) -> int:
        return len(self.counts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        # as W3's tuple of value bytes shows itself
        return repr(tuple(self))

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        count, start = int(self.counts[index]), int(self.starts[index])
        return UINT.pack(count) + pickle.dumps(self.gaps[start:start + count].tolist(), 2)


def encode(ids: Sequence[int], weights: Sequence[float], values: list[bytes], fmt: Any) -> bytes:
    """A block's bytes (uncompressed) for its absolute docnums, weights and value bytes."""
    wmode, wraw, wints = _weights(np.asarray(weights, dtype=FLOAT))
    vmode, vraw, vints, tail = _values(values, fmt, len(ids))
    docnums = np.asarray(ids, dtype=np.int64)
    gaps = np.diff(docnums, prepend=0)
    head = bytes([wmode | vmode << 3])
    return head + wraw + vraw + varints.encode(np.concatenate((gaps, wints, vints))) + tail


def decode(data: bytes, count: int, fmt: Any) -> tuple[np.ndarray, np.ndarray, Any]:
    """(absolute docnums as int64, weights as float32, values as W3's blocks hold them) of a
    block's bytes."""
    raw = np.frombuffer(data, dtype=np.uint8)
    wmode, vmode = raw[0] & 7, raw[0] >> 3
    offset = 1
    weights, offset = _raw_weights(raw, offset, wmode, count)
    fixed = fmt.fixed_value_size()
    fixed_values = raw[offset:offset + count * (fixed or 0)].tobytes() if vmode == VALUES_FIXED else b""
    offset += len(fixed_values)
    known = count * (1 + (wmode == WEIGHTS_WHOLE) + (vmode in (VALUES_UINT, VALUES_POSITIONS, VALUES_OPAQUE)))
    numbers, used = varints.decode(raw[offset:], None if vmode == VALUES_POSITIONS else known)
    ids = np.cumsum(numbers[:count].astype(np.int64))
    rest = numbers[count:]
    if wmode == WEIGHTS_WHOLE:
        weights, rest = rest[:count].astype(FLOAT), rest[count:]
    values = _decoded_values(vmode, rest, count, fixed, fixed_values, raw[offset + used:])
    return ids, weights, values


def _weights(weights: np.ndarray) -> tuple[int, bytes, np.ndarray]:
    """(mode, raw bytes, varints) of a block's weights."""
    none = np.zeros(0, dtype=np.int64)
    if np.all(weights == 1.0):
        return WEIGHTS_ONE, b"", none
    if np.all(weights == weights[0]):
        return WEIGHTS_SAME, weights[:1].tobytes(), none
    if np.all((weights == np.round(weights)) & (weights >= 0) & (weights <= MAX_WHOLE_WEIGHT)):
        return WEIGHTS_WHOLE, b"", weights.astype(np.int64)
    return WEIGHTS_FLOAT, weights.tobytes(), none


def _raw_weights(raw: np.ndarray, offset: int, mode: int, count: int) -> tuple[np.ndarray, int]:
    if mode == WEIGHTS_SAME:
        return np.full(count, raw[offset:offset + 4].view(FLOAT)[0], dtype=FLOAT), offset + 4
    if mode == WEIGHTS_FLOAT:
        return raw[offset:offset + 4 * count].view(FLOAT).copy(), offset + 4 * count
    return np.ones(count, dtype=FLOAT), offset


def _values(values: list[bytes], fmt: Any, count: int) -> tuple[int, bytes, np.ndarray, bytes]:
    """(mode, raw bytes in front, varints, opaque bytes at the end) of a block's values."""
    none = np.zeros(0, dtype=np.int64)
    fixed = fmt.fixed_value_size()
    if fixed == 0 or not values:
        return VALUES_NONE, b"", none, b""
    if fixed == UINT.size:
        return VALUES_UINT, b"", np.frombuffer(b"".join(values), dtype=">u4").astype(np.int64), b""
    if fixed is not None and fixed > 0:
        return VALUES_FIXED, b"".join(values), none, b""
    positions = _position_gaps(values) if type(fmt) is Positions else None
    if positions is not None:
        return VALUES_POSITIONS, b"", positions, b""
    lengths = np.asarray([len(value) for value in values], dtype=np.int64)
    return VALUES_OPAQUE, b"", lengths, b"".join(values)


def _position_gaps(values: list[bytes]) -> np.ndarray | None:
    """Every value's count followed by all gaps, or None when a value is not exactly what
    ``Positions.encode`` makes of non-negative gaps (it is then stored as it is)."""
    counts: list[int] = []
    gaps: list[int] = []
    for value in values:
        try:
            found = pickle.loads(value[UINT.size:])
        except Exception:  # noqa: BLE001 - any unpicklable value is simply kept opaque
            return None
        if not isinstance(found, list) or any(type(gap) is not int or gap < 0 for gap in found) \
                or UINT.pack(len(found)) + pickle.dumps(found, 2) != value:
            return None
        counts.append(len(found))
        gaps.extend(found)
    return np.asarray(counts + gaps, dtype=np.int64)


def _decoded_values(mode: int, numbers: np.ndarray, count: int, fixed: int | None, fixed_values: bytes,
                    tail: np.ndarray) -> Any:
    """The values as W3 keeps them in a block: None without values, one string of the
    fixed-size values, else a sequence of each posting's bytes."""
    if mode == VALUES_NONE:
        return None if fixed == 0 else (b"" if fixed else ())
    if mode == VALUES_UINT:
        return numbers[:count].astype(">u4").tobytes()
    if mode == VALUES_FIXED:
        return fixed_values
    if mode == VALUES_POSITIONS:
        return PositionValues(numbers[:count].astype(np.int64), numbers[count:].astype(np.int64))
    ends = np.cumsum(numbers[:count].astype(np.int64)).tolist()
    data = tail.tobytes()
    return tuple(data[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True))
