"""The compact codec's term dictionary entries: W3's term statistics as varints.

W3 keeps each term's statistics in a fixed 35-byte record (flags, total weight, document
frequency, shortest and longest length, highest weight, first and last docnum, the postings'
offset as 8 bytes and length as 4): on the real motions 120,000 terms, 4.2 MB of a 10.3 MB
term dictionary. :class:`CompactTermInfo` writes the same numbers as varints (a whole weight
as an integer, else its float32, as W3 has it), about 15 bytes a term. The readers and the
field writer here are W3's with that one class in place of ``W3TermInfo``, which W3 names
directly in each of these methods.
"""

from __future__ import annotations

import math
import pickle
import struct
from typing import Any

from whoosh.codec.whoosh3 import W3FieldCursor, W3FieldWriter, W3TermInfo, W3TermsReader
from whoosh.reading import TermNotFound
from whoosh.util.numeric import _length_byte_cache, byte_to_length, length_to_byte

from indexer.index import compact_blocks, varints

INLINED, WHOLE_WEIGHT, WHOLE_MAX_WEIGHT, NO_IDS = 1, 2, 4, 8
#: schema 11 (:class:`TableTermInfo`): numbers a term in one document repeats, left out
ONE_DOC, SAME_MAX_WEIGHT, SAME_LENGTHS = 16, 32, 64
#: schema 11: the postings offset is absolute, not from the term table block's base
ABSOLUTE_OFFSET = 128
FLOAT = struct.Struct("<f")
#: flags, the shortest and the longest length (one-byte codes) before the varints
HEAD = struct.Struct("<BBB")


class CompactTermInfo(W3TermInfo):  # type: ignore[misc]
    """W3's term statistics in varints."""

    def to_bytes(self) -> bytes:
        weight, max_weight = _f32(self._weight), _f32(self._maxweight)
        flags = (INLINED if self.is_inlined() else 0) | (WHOLE_WEIGHT if _whole(weight) else 0) \
            | (WHOLE_MAX_WEIGHT if _whole(max_weight) else 0) | (NO_IDS if self._minid is None else 0)
        shortest = 0 if self._minlength is None else length_to_byte(self._minlength)
        numbers = [self._df]
        numbers += [int(weight)] if flags & WHOLE_WEIGHT else []
        numbers += [int(max_weight)] if flags & WHOLE_MAX_WEIGHT else []
        numbers += [] if flags & NO_IDS else [self._minid, self._maxid - self._minid]
        numbers += [] if flags & INLINED else [self._offset, self._length]
        floats = b"" if flags & WHOLE_WEIGHT else FLOAT.pack(weight)
        floats += b"" if flags & WHOLE_MAX_WEIGHT else FLOAT.pack(max_weight)
        tail = pickle.dumps(self._inlined, 2) if flags & INLINED else b""
        return HEAD.pack(flags, shortest, length_to_byte(self._maxlength)) + floats + \
            varints.encode(numbers) + tail

    @classmethod
    def from_bytes(cls, data: bytes) -> CompactTermInfo:
        flags, shortest, longest = HEAD.unpack_from(data)
        info = cls()
        info._minlength, info._maxlength = byte_to_length(shortest), byte_to_length(longest)
        offset = HEAD.size
        if not flags & WHOLE_WEIGHT:
            info._weight, offset = FLOAT.unpack_from(data, offset)[0], offset + FLOAT.size
        if not flags & WHOLE_MAX_WEIGHT:
            info._maxweight, offset = FLOAT.unpack_from(data, offset)[0], offset + FLOAT.size
        count = 1 + bool(flags & WHOLE_WEIGHT) + bool(flags & WHOLE_MAX_WEIGHT) + \
            (0 if flags & NO_IDS else 2) + (0 if flags & INLINED else 2)
        found, used = varints.decode(data[offset:], count)
        numbers = iter(found.tolist())
        info._df = next(numbers)
        if flags & WHOLE_WEIGHT:
            info._weight = float(next(numbers))
        if flags & WHOLE_MAX_WEIGHT:
            info._maxweight = float(next(numbers))
        if not flags & NO_IDS:
            info._minid = next(numbers)
            info._maxid = info._minid + next(numbers)
        if flags & INLINED:
            info._inlined = pickle.loads(data[offset + used:])
        else:
            info._offset, info._length = next(numbers), next(numbers)
        return info


class TableTermInfo(CompactTermInfo):
    """The statistics of a term table's term (schema 11): :class:`CompactTermInfo`'s varints
    without what repeats (two thirds of the motions' terms are in one document): the last
    docnum when it is the first, the highest weight when it is the total, the longest length
    when it has the shortest's one-byte code; the postings offset from a base, the offset of
    the first term of the term table's block (a segment writes its terms' postings in order).

    >>> info = TableTermInfo(weight=2.0, df=1, minlength=7, maxlength=7, maxweight=2.0, minid=40, maxid=40)
    >>> info._offset, info._length = 123_456, 30
    >>> data = info.encode(123_400)
    >>> len(data), len(info.to_bytes()), len(CompactTermInfo.to_bytes(info))
    (7, 9, 12)
    >>> back = TableTermInfo.decode(data, 123_400)
    >>> (back.weight(), back.doc_frequency(), back.max_weight(), back.min_id(), back.max_id(), back.extent())
    (2.0, 1, 2.0, 40, 40, (123456, 30))
    >>> TableTermInfo.decode(info.encode(200_000), 200_000).extent()
    (123456, 30)
    """

    def to_bytes(self) -> bytes:
        return self.encode(0)

    @classmethod
    def from_bytes(cls, data: bytes) -> TableTermInfo:
        return cls.decode(data, 0)

    def encode(self, base: int) -> bytes:
        """The statistics, the postings offset as its distance from ``base`` when it is not
        before it."""
        return encode_statistics(self._weight, self._df, self._minlength, self._maxlength, self._maxweight,
                                 self._minid, self._maxid, self._offset, self._length, base, self._inlined)

    @classmethod
    def decode(cls, data: bytes, base: int) -> TableTermInfo:
        """The statistics :meth:`encode` wrote with ``base``."""
        flags, shortest = data[0], data[1]
        offset = 2 if flags & SAME_LENGTHS else 3
        info = cls()
        info._minlength = byte_to_length(shortest)
        info._maxlength = info._minlength if flags & SAME_LENGTHS else byte_to_length(data[2])
        if not flags & WHOLE_WEIGHT:
            info._weight, offset = FLOAT.unpack_from(data, offset)[0], offset + FLOAT.size
        if not flags & (WHOLE_MAX_WEIGHT | SAME_MAX_WEIGHT):
            info._maxweight, offset = FLOAT.unpack_from(data, offset)[0], offset + FLOAT.size
        count = 1 + bool(flags & WHOLE_WEIGHT) + bool(flags & WHOLE_MAX_WEIGHT) + \
            (0 if flags & NO_IDS else 1 if flags & ONE_DOC else 2) + (0 if flags & INLINED else 2)
        numbers, offset = varints.read_ints(data, offset, count)  # at most seven, mostly of one byte
        found = iter(numbers)
        info._df = next(found)
        if flags & WHOLE_WEIGHT:
            info._weight = float(next(found))
        if flags & WHOLE_MAX_WEIGHT:
            info._maxweight = float(next(found))
        if flags & SAME_MAX_WEIGHT:
            info._maxweight = info._weight
        if not flags & NO_IDS:
            info._minid = next(found)
            info._maxid = info._minid if flags & ONE_DOC else info._minid + next(found)
        if flags & INLINED:
            info._inlined = pickle.loads(data[offset:])
        else:
            info._offset, info._length = next(found), next(found)
            info._offset += 0 if flags & ABSOLUTE_OFFSET else base
        return info


def encode_statistics(weight: float, df: int, minlength: int | None, maxlength: int, maxweight: float,
                      minid: int | None, maxid: int, offset: int | None, length: int | None, base: int,
                      inlined: Any = None) -> bytes:
    """:meth:`TableTermInfo.encode` of these statistics (the segment writer's fast path,
    :mod:`indexer.index.segment_postings`, calls it without making a term info)."""
    weight, max_weight = _f32(weight), _f32(maxweight)
    shortest = 0 if minlength is None else length_code(minlength)
    longest = length_code(maxlength)
    whole_weight = weight in WHOLE_FLOATS or _whole(weight)
    flags = (INLINED if inlined is not None else 0) | (WHOLE_WEIGHT if whole_weight else 0) \
        | (NO_IDS if minid is None else 0) | (SAME_LENGTHS if shortest == longest else 0)
    if max_weight == weight:
        flags |= SAME_MAX_WEIGHT
    elif max_weight in WHOLE_FLOATS or _whole(max_weight):
        flags |= WHOLE_MAX_WEIGHT
    numbers: list[Any] = [df]
    if whole_weight:
        numbers.append(int(weight))
    if flags & WHOLE_MAX_WEIGHT:
        numbers.append(int(max_weight))
    if minid is not None:
        if maxid == minid:
            flags |= ONE_DOC
            numbers.append(minid)
        else:
            numbers += (minid, maxid - minid)
    if inlined is None:
        if offset < base:  # type: ignore[operator]  # an int when not inlined
            flags |= ABSOLUTE_OFFSET
            numbers += (offset, length)
        else:
            numbers += (offset - base, length)  # type: ignore[operator]  # likewise
    floats = b"" if whole_weight else FLOAT.pack(weight)
    if not flags & (WHOLE_MAX_WEIGHT | SAME_MAX_WEIGHT):
        floats += FLOAT.pack(max_weight)
    tail = pickle.dumps(inlined, 2) if inlined is not None else b""
    head = bytes((flags, shortest) if flags & SAME_LENGTHS else (flags, shortest, longest))
    return head + floats + compact_blocks.varint_bytes(numbers) + tail


#: float32 of the whole weights met most (from 1: -0.0 would be found as 0.0), without ``struct``
#: (also the segment writer's fast path, :mod:`indexer.index.segment_postings`)
WHOLE_FLOATS = {float(number): float(number) for number in range(1, 1 << 12)}


#: the one-byte code of each length a code decodes to (those are nearly all lengths met)
_CODES = {length: code for code, length in enumerate(_length_byte_cache)}


def length_code(length: int | None) -> int:
    """``length_to_byte``: a dictionary lookup for the lengths a code stands for (Whoosh
    bisects its table each time)."""
    found = _CODES.get(length)  # type: ignore[arg-type]
    return found if found is not None else length_to_byte(length)


def _f32(value: float) -> float:
    """A float as W3 keeps it (``struct`` format ``f``)."""
    found = WHOLE_FLOATS.get(value)
    return found if found is not None else float(FLOAT.unpack(FLOAT.pack(value))[0])


def _whole(value: float) -> bool:
    return math.isfinite(value) and 0 <= value < 2**63 and value == int(value)


class CompactFieldWriter(W3FieldWriter):  # type: ignore[misc]
    """W3's field writer, each term's statistics a :class:`CompactTermInfo`."""

    def start_term(self, btext: bytes) -> None:
        if self._postwriter is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, CompactTermInfo())


class CompactFieldCursor(W3FieldCursor):  # type: ignore[misc]
    def term_info(self) -> CompactTermInfo | None:
        if self._pos is None:
            return None
        return CompactTermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))


class TermStatistics:
    """A terms reader's ``term_info``, ``frequency`` and ``doc_frequency``, all read through
    its ``_info`` (which raises KeyError, as W3's table does, for an absent term)."""

    def _info(self, fieldname: str, tbytes: bytes) -> CompactTermInfo:
        raise NotImplementedError

    def term_info(self, fieldname: str, tbytes: bytes) -> CompactTermInfo:
        try:
            return self._info(fieldname, tbytes)
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        return float(self._info(fieldname, tbytes).weight())

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        return int(self._info(fieldname, tbytes).doc_frequency())


class CompactTermsReader(TermStatistics, W3TermsReader):  # type: ignore[misc]
    """W3's terms reader for a dictionary of :class:`CompactTermInfo` entries."""

    def cursor(self, fieldname: str, fieldobj: Any) -> CompactFieldCursor:
        return CompactFieldCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def items(self) -> Any:
        return ((self._keydecoder(key), CompactTermInfo.from_bytes(value)) for key, value in self._tindex.items())

    def items_from(self, fieldname: str, prefix: bytes) -> Any:
        start = self._keycoder(fieldname, prefix)
        return ((self._keydecoder(key), CompactTermInfo.from_bytes(value))
                for key, value in self._tindex.items_from(start))

    def _info(self, fieldname: str, tbytes: bytes) -> CompactTermInfo:
        """A term's statistics; KeyError (as W3 raises it) when the term is not there."""
        return CompactTermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
