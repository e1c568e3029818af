"""Unsigned integers as LEB128 varints (7 bits a byte, high bit set on all but the last),
encoded and decoded a whole array at a time with numpy.

The compact postings codec (:mod:`indexer.index.compact_codec`) writes docnum gaps,
frequencies and position gaps this way: most are below 128 and take one byte, where
Whoosh's pickled blocks spend two or three bytes on each.
"""

from __future__ import annotations

import numpy as np

#: the most bytes one uint64 takes (64 bits in groups of 7)
MAX_BYTES = 10
#: up to this many numbers (or bytes, decoding) a plain loop is faster than numpy's set-up
SMALL = 48


def encode(values: np.ndarray | list[int]) -> bytes:
    """The varints of non-negative integers, one after the other."""
    if isinstance(values, list) and len(values) <= SMALL:
        return _encode_small(values)
    numbers = np.asarray(values, dtype=np.uint64)
    if not len(numbers):
        return b""
    sizes = np.ones(len(numbers), dtype=np.int64)
    rest = numbers >> np.uint64(7)
    while rest.any():
        sizes += rest > 0
        rest >>= np.uint64(7)
    starts = np.cumsum(sizes) - sizes
    out = np.empty(int(sizes.sum()), dtype=np.uint8)
    for k in range(int(sizes.max())):
        chosen = sizes > k
        group = (numbers[chosen] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (sizes[chosen] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[chosen] + k] = (group | more).astype(np.uint8)
    return out.tobytes()


def decode(data: bytes | memoryview | np.ndarray, count: int | None = None) -> tuple[np.ndarray, int]:
    """The first ``count`` varints in ``data`` (all of them when None) as uint64, and the
    number of bytes they took."""
    raw = np.frombuffer(data, dtype=np.uint8) if not isinstance(data, np.ndarray) else data
    if len(raw) <= SMALL:
        return _decode_small(raw.tobytes(), count)
    ends = np.flatnonzero(raw < 0x80)
    if count is not None:
        if count > len(ends):
            raise ValueError(f"{count} varints asked, {len(ends)} present")
        ends = ends[:count]
    if not len(ends):
        return np.zeros(0, dtype=np.uint64), 0
    starts = np.empty(len(ends), dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    sizes = ends - starts + 1
    values = (raw[starts] & 0x7F).astype(np.uint64)
    for k in range(1, int(sizes.max())):
        chosen = np.flatnonzero(sizes > k)
        values[chosen] |= (raw[starts[chosen] + k] & 0x7F).astype(np.uint64) << np.uint64(7 * k)
    return values, int(ends[-1]) + 1


def _encode_small(numbers: list[int]) -> bytes:
    out = bytearray()
    for number in numbers:
        if number < 0:
            raise ValueError(f"a varint holds no negative number: {number}")
        while number >= 0x80:
            out.append(number & 0x7F | 0x80)
            number >>= 7
        out.append(number)
    return bytes(out)


def read_ints(data: bytes, offset: int, count: int) -> tuple[list[int], int]:
    """``count`` varints from ``data[offset:]`` as Python ints, and the offset after them:
    no numpy, for the few numbers of a term's statistics (IndexError when ``data`` ends first).

    >>> read_ints(bytes([0, 5, 0xAC, 0x02, 7]), 1, 2)
    ([5, 300], 4)
    """
    numbers: list[int] = []
    number = shift = 0
    while len(numbers) < count:
        byte = data[offset]
        offset += 1
        number |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            numbers.append(number)
            number = shift = 0
    return numbers, offset


def _decode_small(data: bytes, count: int | None) -> tuple[np.ndarray, int]:
    present = sum(1 for byte in data if byte < 0x80)  # each varint ends in one such byte
    if count is not None and count > present:
        raise ValueError(f"{count} varints asked, {present} present")
    numbers, used = read_ints(data, 0, present if count is None else count)
    return np.asarray(numbers, dtype=np.uint64), len(data) if count is None else used
