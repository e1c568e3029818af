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
from itertools import accumulate
from operator import sub
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
    """The W3 value bytes of a block's postings with positions, each made when asked for;
    the position gaps are decoded the first time (a query without a phrase never asks)."""

    def __init__(self, counts: list[int], encoded_gaps: bytes) -> None:
        self.counts = counts
        self.starts = [0, *accumulate(counts)]
        self._encoded_gaps = encoded_gaps
        self._gaps: list[int] | None = None

    @property
    def gaps(self) -> list[int]:
        if self._gaps is None:
            self._gaps = varints.decode(self._encoded_gaps, self.starts[-1])[0].tolist()
        return self._gaps

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
        start, end = self.starts[index], self.starts[index + 1 if index >= 0 else len(self.counts) + index + 1]
        return UINT.pack(end - start) + pickle.dumps(self.gaps[start:end], 2)


def encode(ids: Sequence[int], weights: Sequence[float], values: list[bytes], fmt: Any) -> bytes:
    """A block's bytes (uncompressed) for its absolute docnums, weights and value bytes.
    Plain Python on lists: most blocks hold a posting or two, where numpy's set-up costs more."""
    wmode, wraw, wints = _weights(list(weights))
    vmode, vraw, vints, tail = _values(values, fmt, len(ids))
    gaps = [ids[0], *map(sub, ids[1:], ids[:-1])] if len(ids) else []
    return bytes([wmode | vmode << 3]) + wraw + vraw + varint_bytes(gaps + wints + vints) + tail


def encode_one(docnum: int, weight: float, value: bytes | None, fmt: Any, fixed: int | None) -> bytes:
    """:func:`encode` of a one-posting block (two thirds of a motions segment's terms) without
    its lists and passes: ``weight`` as float32 gives it, ``value`` as the postings writer has
    it (empty or None: no value), ``fixed`` the format's ``fixed_value_size()``. The same bytes."""
    if weight != weight:  # NaN: equal to nothing, so not "the same" weight (encode's float32 mode)
        return encode((docnum,), (weight,), [value] if value else [], fmt)
    head = b"\x00" if weight == 1.0 else _SAME_WEIGHT + struct.pack("<f", weight)  # WEIGHTS_ONE | _SAME
    if not value or fixed == 0:
        return head + varint_bytes([docnum])
    if type(fmt) is Positions and fixed is None:
        gap = _ONE_GAP.get(value)
        gaps = [gap] if gap is not None else _small_gaps(value)
        if gaps is not None:
            return bytes((head[0] | VALUES_POSITIONS << 3,)) + head[1:] + varint_bytes([docnum, len(gaps), *gaps])
    return encode((docnum,), (weight,), [value], fmt)


#: the first byte of a block whose every weight is the same (not 1.0) and has no values
_SAME_WEIGHT = bytes((WEIGHTS_SAME,))


def varint_bytes(numbers: list[int]) -> bytes:
    """:func:`varints.encode`, the common cases first (also for a term's statistics): numbers below 128 are their own
    varint bytes (most gaps, frequencies and position gaps of a block), which ``bytes`` makes in C, also
    after a larger first number (a block's first docnum); below 16,384 each one's bytes are looked up
    (numpy's set-up costs more on a block's few)."""
    if not numbers:
        return b""
    low, high = min(numbers), max(numbers)
    if low < 0 or high >= len(_VARINTS):
        return varints.encode(numbers)
    if high < 0x80:
        return bytes(numbers)
    table = _VARINTS
    if len(numbers) == 1 or max(numbers[1:]) < 0x80:
        return table[numbers[0]] + bytes(numbers[1:])
    return b"".join([table[number] for number in numbers])


#: the varint bytes of every number below 16,384 (one or two bytes each; ~0.7 MB)
_VARINTS = [bytes([number]) if number < 0x80 else bytes([number & 0x7F | 0x80, number >> 7])
            for number in range(1 << 14)]


def decode(data: bytes, count: int, fmt: Any) -> tuple[np.ndarray, np.ndarray, Any]:
    """(absolute docnums as int64, weights as float32, values as W3's blocks hold them) of a
    block's bytes. A ``Positions`` block's position gaps are left encoded until asked for."""
    wmode, vmode = data[0] & 7, data[0] >> 3
    weights, offset = _raw_weights(data, 1, wmode, count)
    fixed = fmt.fixed_value_size()
    fixed_values = data[offset:offset + count * (fixed or 0)] if vmode == VALUES_FIXED else b""
    offset += len(fixed_values)
    known = count * (1 + (wmode == WEIGHTS_WHOLE) + (vmode in (VALUES_UINT, VALUES_POSITIONS, VALUES_OPAQUE)))
    numbers, used = varints.decode(data[offset:], known)
    ids = np.cumsum(numbers[:count], dtype=np.int64)
    rest = numbers[count:]
    if wmode == WEIGHTS_WHOLE:
        weights, rest = rest[:count].astype(FLOAT), rest[count:]
    return ids, weights, _decoded_values(vmode, rest, count, fixed, fixed_values, data[offset + used:])


def _weights(weights: list[float]) -> tuple[int, bytes, list[int]]:
    """(mode, raw bytes, varints) of a block's weights (float32 values, as W3 keeps them)."""
    first = weights[0]
    # list.count compares in C (an item that *is* ``first`` counts even if NaN: hence first == first)
    if first == first and weights.count(first) == len(weights):
        return (WEIGHTS_ONE, b"", []) if first == 1.0 else (WEIGHTS_SAME, struct.pack("<f", first), [])
    total = sum(weights)  # NaN when any weight is NaN: then not whole
    if total == total and 0 <= min(weights) and max(weights) <= MAX_WHOLE_WEIGHT:
        whole = list(map(int, weights))
        if whole == weights:  # 3 == 3.0, 3 != 3.5
            return WEIGHTS_WHOLE, b"", whole
    return WEIGHTS_FLOAT, struct.pack(f"<{len(weights)}f", *weights), []


def _raw_weights(data: bytes, offset: int, mode: int, count: int) -> tuple[np.ndarray, int]:
    if mode == WEIGHTS_SAME:
        return np.full(count, struct.unpack_from("<f", data, offset)[0], dtype=FLOAT), offset + 4
    if mode == WEIGHTS_FLOAT:
        return np.frombuffer(data, dtype=FLOAT, count=count, offset=offset).copy(), offset + 4 * count
    return np.ones(count, dtype=FLOAT), offset


def _values(values: list[bytes], fmt: Any, count: int) -> tuple[int, bytes, list[int], bytes]:
    """(mode, raw bytes in front, varints, opaque bytes at the end) of a block's values."""
    fixed = fmt.fixed_value_size()
    if fixed == 0 or not values:
        return VALUES_NONE, b"", [], b""
    if fixed == UINT.size:
        return VALUES_UINT, b"", list(struct.unpack(f">{len(values)}I", b"".join(values))), b""
    if fixed is not None and fixed > 0:
        return VALUES_FIXED, b"".join(values), [], b""
    positions = _position_gaps(values) if type(fmt) is Positions else None
    if positions is not None:
        return VALUES_POSITIONS, b"", positions, b""
    return VALUES_OPAQUE, b"", [len(value) for value in values], b"".join(values)


def _position_gaps(values: list[bytes]) -> list[int] | None:
    """Every value's count followed by all gaps, or None when a value is not exactly what
    ``Positions.encode`` makes of non-negative gaps (it is then stored as it is)."""
    counts: list[int] = []
    gaps: list[int] = []
    one_gap = _ONE_GAP.get
    for value in values:
        gap = one_gap(value)  # the commonest value: one position, below 256
        if gap is not None:
            counts.append(1)
            gaps.append(gap)
            continue
        found = _small_gaps(value)
        if found is None:
            found = _checked_gaps(value)
            if found is None:
                return None
        counts.append(len(found))
        gaps.extend(found)
    return counts + gaps


#: what ``pickle.dumps(gaps, 2)`` of a list starts with: PROTO 2, EMPTY_LIST, BINPUT 0
_LIST = b"\x80\x02]q\x00"
_ONE_END, _MANY_END = b"a.", b"e."  # APPEND + STOP; APPENDS + STOP after a MARK
_BININT1 = ord("K")
#: pickle appends at most this many items after one MARK (its batch size)
_BATCH = 1000
#: the value of one position whose gap is below 256 (``_LIST K g a.`` after the count), to its gap
_ONE_GAP = {b"\0\0\0\x01" + _LIST + bytes((_BININT1, gap)) + _ONE_END: gap for gap in range(256)}


def _small_gaps(value: bytes) -> list[int] | None:
    """The gaps of a value whose every gap is below 256, read straight from its bytes, or
    None when it is not in that form. Such a value is exactly ``pack_uint(n) + pickle.dumps(
    gaps, 2)``: one gap is ``_LIST K g a.``, 2 to 1,000 gaps ``_LIST ( K g1 K g2 … e.``; these
    are 9 of 10 position values, for which unpickling and pickling again cost ~2 µs each."""
    size = len(value)
    if size == 13:
        if value[9] == _BININT1 and value[11:] == _ONE_END and value[:9] == b"\0\0\0\x01" + _LIST:
            return [value[10]]
        return None
    count = (size - 12) >> 1
    if size & 1 or not 2 <= count <= _BATCH or value[-2:] != _MANY_END or value[4:10] != _LIST + b"(" \
            or value[:4] != UINT.pack(count) or value[10:-2:2].count(_BININT1) != count:
        return None
    return list(value[11:-2:2])


def _checked_gaps(value: bytes) -> list[int] | None:
    """The gaps of any value, checked by unpickling and pickling them again."""
    try:
        found = pickle.loads(value[UINT.size:])
    except Exception:  # noqa: BLE001 - any unpicklable value is simply kept opaque
        return None
    if not isinstance(found, list) or any(type(gap) is not int or gap < 0 for gap in found) \
            or UINT.pack(len(found)) + pickle.dumps(found, 2) != value:
        return None
    return found


def _decoded_values(mode: int, numbers: np.ndarray, count: int, fixed: int | None, fixed_values: bytes,
                    tail: bytes) -> Any:
    """The values as W3 keeps them in a block: None without values, one string of the
    fixed-size values, else a sequence of each posting's bytes."""
    if mode == VALUES_NONE:
        return None if fixed == 0 else (b"" if fixed else ())
    if mode == VALUES_UINT:
        return numbers[:count].astype(">u4").tobytes()
    if mode == VALUES_FIXED:
        return fixed_values
    if mode == VALUES_POSITIONS:
        return PositionValues(numbers[:count].tolist(), tail)
    ends = list(accumulate(numbers[:count].tolist()))
    return tuple(tail[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True))
