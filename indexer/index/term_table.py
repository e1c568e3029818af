"""The term dictionary file of schema 11: sorted keys, front-coded in blocks, and a sparse
index of each block's first key.

Whoosh's W3 codec keeps a segment's terms in an ordered hash table (``OrderedHashWriter``):
per term 8 bytes of key and value lengths, two 12-byte hash slots and a 4-byte position in
the ordered index, next to the key in full, about 36 bytes a term before the key and its
statistics (4.35 MB of a 7.82 MB dictionary on one segment of the real motions). This file
holds the same keys and values in key order, :data:`BLOCK_KEYS` to a block, each key
written as the length it shares with the one before it and the rest (front coding):

    MAGIC
    blocks       per key: varint shared, varint rest length, rest, varint value length, value
    index        varint blocks; varint length of each block's first key; those keys one after
                 the other; varint gap from each block's start to the next (the last: to the
                 index); varint base of each block (a number its values are relative to: the
                 postings offset of its first term)
    extras       pickled dict (the codec's field map)
    FOOTER       index offset, extras offset, number of keys, MAGIC

A reader loads the index when it opens (a bytes object per block and two arrays of machine
integers: about 4.4 MB and 16 ms for one segment of a million terms, as at 100,000 documents,
see docs/index-size.md), finds a key's block by bisection and scans that block alone up to
the key. Keys are bytes and sort as bytes, as the hash table's ordered index has them.
"""

from __future__ import annotations

import bisect
import functools
import pickle
import struct
from array import array
from typing import Any, Iterator

import numpy as np

from indexer.index import varints

MAGIC = b"BZT1"
#: index offset, extras offset, number of keys, MAGIC
FOOTER = struct.Struct("<QQQ4s")
#: keys per block: a lookup scans one block (half of it on average), the sparse index
#: keeps one key per block in memory
BLOCK_KEYS = 16
#: decoded blocks a reader keeps for cursors and ordered reads (lookups scan the bytes)
CACHE_BLOCKS = 128
Block = tuple[list[bytes], list[bytes]]


def shared_length(previous: bytes, key: bytes) -> int:
    """How many leading bytes ``key`` shares with ``previous``.

    >>> shared_length(b"gemeente", b"gemeenten"), shared_length(b"abc", b"b"), shared_length(b"", b"a")
    (8, 0, 0)
    """
    limit = min(len(previous), len(key))
    if previous[:limit] == key[:limit]:
        return limit
    low, high = 0, limit  # the shared length is in [low, high): halve by comparing slices
    while high - low > 1:
        middle = (low + high) // 2
        if previous[:middle] == key[:middle]:
            low = middle
        else:
            high = middle
    return low


def encode_entry(previous: bytes, key: bytes, value: bytes) -> bytes:
    """One entry of a block: ``key`` front-coded against ``previous`` (b"" for a block's
    first key), then ``value``.

    >>> encode_entry(b"gemeente", b"gemeenten", b"v")
    b'\\x08\\x01n\\x01v'
    >>> decode_block(encode_entry(b"", b"gemeente", b"") + encode_entry(b"gemeente", b"gemeenten", b"v"))
    ([b'gemeente', b'gemeenten'], [b'', b'v'])
    """
    shared = shared_length(previous, key)
    rest = len(key) - shared
    if shared < 0x80 and rest < 0x80 and len(value) < 0x80:
        return bytes((shared, rest)) + key[shared:] + bytes((len(value),)) + value
    return varints.encode([shared, rest]) + key[shared:] + varints.encode([len(value)]) + value


def decode_block(data: bytes) -> Block:
    """The keys and values of one block, in order."""
    keys: list[bytes] = []
    values: list[bytes] = []
    key = b""
    position, end = 0, len(data)
    while position < end:
        shared, position = _varint(data, position)
        size, position = _varint(data, position)
        key = key[:shared] + data[position:position + size]
        position += size
        size, position = _varint(data, position)
        keys.append(key)
        values.append(data[position:position + size])
        position += size
    return keys, values


def find_in_block(data: bytes, wanted: bytes) -> bytes | None:
    """The value of ``wanted`` in one block, None when the block does not hold it: reads
    the keys in order up to the first one at or after ``wanted``, and no value but its.

    >>> block = encode_entry(b"", b"gemeente", b"1") + encode_entry(b"gemeente", b"gemeenten", b"22")
    >>> find_in_block(block, b"gemeenten"), find_in_block(block, b"gemeentel"), find_in_block(block, b"z")
    (b'22', None, None)
    """
    key = b""
    position, end = 0, len(data)
    while position < end:
        shared, rest = data[position], data[position + 1]
        if shared < 0x80 and rest < 0x80:  # the usual case: both lengths one byte
            position += 2
        else:
            shared, position = _varint(data, position)
            rest, position = _varint(data, position)
        key = key[:shared] + data[position:position + rest]
        position += rest
        size = data[position]
        if size < 0x80:
            position += 1
        else:
            size, position = _varint(data, position)
        if key >= wanted:
            return data[position:position + size] if key == wanted else None
        position += size
    return None


def _varint(data: bytes, position: int) -> tuple[int, int]:
    """The varint at ``position`` and the position after it (one byte, mostly)."""
    byte = data[position]
    if byte < 0x80:
        return byte, position + 1
    number = shift = 0
    while True:
        byte = data[position]
        position += 1
        number |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return number, position


class TermTableWriter:
    """Writes keys (added in increasing order) and their values as a term table."""

    def __init__(self, dbfile: Any, block_keys: int = BLOCK_KEYS) -> None:
        self.dbfile = dbfile
        self.extras: dict[str, Any] = {}
        self._block_keys = block_keys
        self._block = bytearray()
        self._in_block = 0
        self._last = b""
        self._count = 0
        self._firsts: list[bytes] = []
        self._starts: list[int] = []
        self._bases: list[int] = []
        dbfile.write(MAGIC)

    @property
    def starts_block(self) -> bool:
        """Whether the next key begins a block (whose base the caller then gives)."""
        return self._in_block in (0, self._block_keys)

    def add(self, key: bytes, value: bytes, base: int = 0) -> None:
        """Add ``key`` (greater than the last) with ``value``; ``base`` is kept for the block
        when the key begins one (:attr:`starts_block`), and ignored otherwise."""
        if key <= self._last:
            raise ValueError(f"Keys must increase: {self._last!r}..{key!r}")
        if self._in_block == self._block_keys:
            self._flush()
        if not self._in_block:
            self._firsts.append(key)
            self._starts.append(self.dbfile.tell() + len(self._block))
            self._bases.append(base)
            self._block += encode_entry(b"", key, value)
        else:
            self._block += encode_entry(self._last, key, value)
        self._in_block += 1
        self._last = key
        self._count += 1

    def _flush(self) -> None:
        self.dbfile.write(bytes(self._block))
        self._block.clear()
        self._in_block = 0

    def close(self) -> None:
        self._flush()
        index_at = self.dbfile.tell()
        ends = self._starts[1:] + [index_at] if self._starts else []
        self.dbfile.write(varints.encode([len(self._firsts)]) + varints.encode([len(k) for k in self._firsts])
                          + b"".join(self._firsts)
                          + varints.encode([end - start for start, end in zip(self._starts, ends, strict=True)])
                          + varints.encode(self._bases))
        extras_at = self.dbfile.tell()
        self.dbfile.write(pickle.dumps(self.extras, 4))
        self.dbfile.write(FOOTER.pack(index_at, extras_at, self._count, MAGIC))
        self.dbfile.close()


class TermTableReader:
    """Looks keys up in a term table and reads them in order from any key on."""

    def __init__(self, dbfile: Any, length: int) -> None:
        self.dbfile = dbfile
        index_at, extras_at, self.count, magic = FOOTER.unpack(dbfile.get(length - FOOTER.size, FOOTER.size))
        if magic != MAGIC or dbfile.get(0, len(MAGIC)) != MAGIC:
            raise ValueError("not a term table (no BZT1 marker)")
        self.extras: dict[str, Any] = pickle.loads(dbfile.get(extras_at, length - FOOTER.size - extras_at))
        self._firsts, self._starts, self._bases = _read_index(dbfile.get(index_at, extras_at - index_at), index_at)
        self._cached = functools.lru_cache(maxsize=CACHE_BLOCKS)(self._read_block)

    def __len__(self) -> int:
        return self.count

    def _read_block(self, number: int) -> Block:
        start = self._starts[number]
        return decode_block(self.dbfile.get(start, self._starts[number + 1] - start))

    def block(self, number: int) -> Block:
        """Block ``number``'s keys and values (decoded once for a run of lookups)."""
        return self._cached(number)  # type: ignore[no-any-return]

    def base(self, number: int) -> int:
        """The base the writer gave block ``number``."""
        return self._bases[number]

    def __getitem__(self, key: bytes) -> bytes:
        return self.find(key)[0]

    def find(self, key: bytes) -> tuple[bytes, int]:
        """``key``'s value and its block's base; KeyError when the table does not hold it."""
        number = bisect.bisect_right(self._firsts, key) - 1
        if number >= 0:
            start = self._starts[number]
            found = find_in_block(self.dbfile.get(start, self._starts[number + 1] - start), key)
            if found is not None:
                return found, self._bases[number]
        raise KeyError(key)

    def __contains__(self, key: bytes) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def closest(self, key: bytes) -> tuple[int, int] | None:
        """(block, entry) of the first key at or after ``key``; None past the last key."""
        number = max(0, bisect.bisect_right(self._firsts, key) - 1)
        if number >= len(self._firsts):
            return None
        keys, _ = self._cached(number)
        found = bisect.bisect_left(keys, key)
        if found < len(keys):
            return number, found
        return (number + 1, 0) if number + 1 < len(self._firsts) else None

    def items_from(self, key: bytes = b"") -> Iterator[tuple[bytes, bytes]]:
        """(key, value) of every key at or after ``key``, in order."""
        return ((found, value) for found, value, _ in self.entries_from(key))

    def entries_from(self, key: bytes = b"") -> Iterator[tuple[bytes, bytes, int]]:
        """(key, value, block base) of every key at or after ``key``, in order."""
        position = self.closest(key)
        if position is None:
            return
        number, first = position
        keys, values = self._cached(number)
        base = self._bases[number]
        yield from ((found, value, base) for found, value in zip(keys[first:], values[first:], strict=True))
        for later in range(number + 1, len(self._firsts)):
            # read past the cache: a long run would push out the blocks lookups use
            base = self._bases[later]
            yield from ((found, value, base) for found, value in zip(*self._read_block(later), strict=True))

    def keys_from(self, key: bytes = b"") -> Iterator[bytes]:
        return (found for found, _ in self.items_from(key))

    def blocks(self) -> int:
        return len(self._firsts)

    def memory_bytes(self) -> int:
        """About what the sparse index takes in memory (the keys, the lists, the offsets)."""
        return sum(len(k) + 33 for k in self._firsts) + 8 * (len(self._firsts) + len(self._starts) + len(self._bases))


def _read_index(data: bytes, index_at: int) -> tuple[list[bytes], array[int], array[int]]:
    """Each block's first key, its start (and the index's offset after the last block) and
    its base; the numbers as machine integers, 8 bytes each instead of a Python int's 36."""
    counts, used = varints.decode(data, 1)
    blocks = int(counts[0])
    if not blocks:
        return [], array("q", [index_at]), array("q")
    lengths, taken = varints.decode(data[used:], blocks)
    used += taken
    ends = np.cumsum(lengths.astype(np.int64))
    keys = data[used:used + int(ends[-1])]
    used += int(ends[-1])
    firsts = [keys[start:end] for start, end in zip((ends - lengths.astype(np.int64)).tolist(), ends.tolist(), strict=True)]
    gaps, taken = varints.decode(data[used:], blocks)
    bases, _ = varints.decode(data[used + taken:], blocks)
    starts = np.empty(blocks + 1, dtype=np.int64)
    starts[0] = index_at - int(gaps.astype(np.int64).sum())
    starts[1:] = starts[0] + np.cumsum(gaps.astype(np.int64))
    return firsts, array("q", starts.tobytes()), array("q", bases.astype(np.int64).tobytes())
