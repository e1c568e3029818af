"""A new segment's postings written term by term in one function, for the term-table codec.

Whoosh writes a segment's sorted postings through an object dance per term: the field
writer's ``start_term`` makes a term info, the postings writer's ``start_postings`` two fresh
``array`` buffers, ``finish_postings`` its blocks (each added to the term info with
``add_block``), ``finish_term`` the statistics and the term-table row; ~30 µs per term over
~31 terms per motion. For the writer the crawl and the rebuild always use (a
:class:`~indexer.index.table_terms.TableFieldWriter` of the :class:`~indexer.index.compact_codec.TableCodec`,
whose every field's postings writer is a ``CompactPostingsWriter``) :func:`write_postings`
groups the sorted postings per (field, term) and writes each term's blocks, statistics and
row directly, with the same numbers in the same order of operations: the segment is the same
byte for byte (``tests/test_segment_postings.py`` compares every file of the segments, with
deletions and a merge). Any other writer goes through Whoosh's path (:func:`applies`).
Whoosh's ``OutOfOrderError`` checks are kept: the postings may come in any order, and out of
(field, term) order they fail as Whoosh's loop fails.
"""

from __future__ import annotations

from array import array
from itertools import groupby
from operator import itemgetter
from typing import Any

from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.system import pack_ushort
from whoosh.util.numeric import _length_byte_cache

from indexer.index import compact_blocks, compact_codec, compact_terms, table_terms

#: (field name, term bytes) of a pool item (field, term, docnum, weight, value)
_TERM = itemgetter(0, 1)
_HEADER = compact_codec.HEADER.pack
_HEADER_EXTRA = compact_codec.HEADER.size - 4
#: the field length of each one-byte length code, as Whoosh's per-document reader decodes it
_LENGTH_OF = list(_length_byte_cache)
_length_code = compact_terms.length_code


def applies(fieldwriter: Any, lengths: Any) -> bool:
    """Whether :func:`write_postings` writes what Whoosh would for this field writer: the
    term-table codec's own writer (never inlined postings), and field lengths from Whoosh's
    per-document reader (or none)."""
    codec = getattr(fieldwriter, "_codec", None)
    return type(fieldwriter) is table_terms.TableFieldWriter and type(codec) is compact_codec.TableCodec \
        and codec._inlinelimit <= 1 and (not lengths or hasattr(lengths, "_cached_reader"))


def write_postings(fieldwriter: Any, schema: Any, lengths: Any, items: Any) -> None:
    """Whoosh's ``FieldWriter.add_postings`` for a writer :func:`applies` to: the same
    fields, terms, blocks, statistics and term-table rows, and the same errors."""
    codec = fieldwriter._codec
    limit, level = codec._blocklimit, codec._compression
    table = fieldwriter._tindex
    encode_statistics, add_row = compact_terms.encode_statistics, table.add
    position = fieldwriter._postfile.tell()
    pending: list[bytes] = []  # written a megabyte at a time, not a write per term
    pending_bytes = 0
    lastfn: str | None = None
    lasttext: bytes | None = None
    prefix, fmt, fixed, field_lengths = b"", None, None, None
    for (fieldname, btext), postings in _terms(items):
        if fieldname != lastfn:
            if lastfn is not None:
                if fieldname < lastfn:
                    raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            prefix, fmt = pack_ushort(fieldwriter._fieldid), fieldwriter._fieldobj.format
            fixed = fmt.fixed_value_size()
            field_lengths = _field_lengths(lengths, fieldname)
            lastfn, lasttext = fieldname, None
        elif lasttext and btext < lasttext:
            raise OutOfOrderError(f"Term {lastfn}:{lasttext!r} .. {fieldname}:{btext!r}")
        if len(postings) == 1:
            _, _, docnum, weight, value = postings[0]
            if docnum == -1:  # Whoosh's spelling postings: not written
                continue
            data, stats = _single(docnum, weight, value, field_lengths, fmt, fixed, level)
        else:
            _, _, ids, weights, values = zip(*postings, strict=True)
            if -1 in ids:
                postings = [posting for posting in postings if posting[2] != -1]
                if not postings:
                    continue
                _, _, ids, weights, values = zip(*postings, strict=True)
            if len(ids) <= limit:
                data, stats = _one_block(ids, weights, values, field_lengths, fmt, level)
            else:
                data, stats = _blocks(ids, weights, values, field_lengths, fmt, level, limit)
        if table.starts_block:  # the block's offsets are from its first term's
            fieldwriter._base = position
        base = fieldwriter._base
        add_row(prefix + btext, encode_statistics(*stats, position, len(data), base), base)
        pending.append(data)
        pending_bytes += len(data)
        position += len(data)
        lasttext = btext
        if pending_bytes > _PENDING_BYTES:
            fieldwriter._postfile.write(b"".join(pending))
            pending, pending_bytes = [], 0
    fieldwriter._postfile.write(b"".join(pending))
    if lastfn is not None:
        fieldwriter.finish_field()


class UnsortedPool:
    """A postings pool's items in the order they were added (the pool kept them all in memory):
    :func:`write_postings` groups them per term and sorts the terms and each term's postings,
    which costs less than Whoosh's sort of every item (~218,000 per 1,000 motions); any
    other reader iterates them sorted, as Whoosh's pool gives them."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def __iter__(self) -> Any:
        return iter(sorted(self.items))


def _terms(items: Any) -> Any:
    """((field, term), its postings) in Whoosh's order: the sorted items grouped per term."""
    if not isinstance(items, UnsortedPool):
        return ((key, list(group)) for key, group in groupby(items, _TERM))
    groups: dict[tuple[str, bytes], list[Any]] = {}
    found = groups.get
    for item in items.items:
        key = item[:2]
        postings = found(key)
        if postings is None:
            groups[key] = [item]
        else:
            postings.append(item)
    return ((key, _sorted(groups[key])) for key in sorted(groups))


def _sorted(postings: list[Any]) -> list[Any]:
    if len(postings) > 1:
        postings.sort()  # in docnum order already, for new documents: one pass to see it
    return postings


#: postings bytes gathered before they are written to the segment's file
_PENDING_BYTES = 1 << 20


def _single(docnum: int, weight: float, value: Any, field_lengths: list[int] | None, fmt: Any, fixed: int | None,
            level: int) -> tuple[bytes, Stats]:
    """:func:`_one_block` of a term in one document, without its tuples and passes."""
    stored = compact_terms.WHOLE_FLOATS.get(weight)  # else as W3's array('f') keeps it
    if stored is None:
        stored = array("f", (weight,))[0]
    length = field_lengths[docnum] if field_lengths is not None else 0
    highest = weight if weight > 0 else 0
    data = compact_blocks.encode_one(docnum, stored, value, fmt, fixed)
    compression = compact_codec.RAW
    if level and len(data) >= compact_codec.MIN_COMPRESSED:
        packed = compact_codec._compressor(level).compress(data)
        if len(packed) < len(data):
            data, compression = packed, compact_codec.ZSTD
    code = _length_code(length)
    head = _HEADER(-_HEADER_EXTRA - len(data), 1, docnum, highest, compression, code, code)
    return head + data, (0 + stored, 1, length or None, length or 0, highest, docnum, docnum)


def _field_lengths(lengths: Any, fieldname: str) -> list[int] | None:
    """Every document's length of the field, as Whoosh's per-document reader gives it
    (0 where it gives none); None when it has none for the field."""
    if not lengths:
        return None
    reader = lengths._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is None:
        return None
    return [_LENGTH_OF[code] for code in reader]


Stats = tuple[float, int, Any, int, float, int, int]


def _one_block(ids: tuple[int, ...], weights: tuple[float, ...], values: tuple[Any, ...],
               field_lengths: list[int] | None, fmt: Any, level: int, last: bool = True) -> tuple[bytes, Stats]:
    """A term's block (its last unless ``last`` is false) and the block's statistics (weight, df, shortest and longest
    length, highest weight, first and last docnum), as ``CompactPostingsWriter`` and
    ``TermInfo.add_block`` make them."""
    count = len(ids)
    highest = max(0, *weights)  # Whoosh's: from 0, a weight replacing it only when greater
    shortest, longest = _length_range(ids, field_lengths)
    stored = array("f", weights)
    kept = values if all(values) else [value for value in values if value]
    data = compact_blocks.encode(ids, stored.tolist(), list(kept), fmt)
    compression = compact_codec.RAW
    if level and len(data) >= compact_codec.MIN_COMPRESSED:
        packed = compact_codec._compressor(level).compress(data)
        if len(packed) < len(data):
            data, compression = packed, compact_codec.ZSTD
    length = _HEADER_EXTRA + len(data)
    head = _HEADER(-length if last else length, count, ids[-1], highest, compression, _length_code(shortest), _length_code(longest))
    return head + data, (0 + sum(stored), count, shortest, longest, highest, ids[0], ids[-1])


def _length_range(ids: tuple[int, ...], field_lengths: list[int] | None) -> tuple[int | None, int]:
    """(shortest, longest) non-zero length of the documents (None, 0 without any)."""
    if field_lengths is None:
        return None, 0
    found = [field_lengths[docnum] for docnum in ids]
    if all(found):
        return min(found), max(found)
    found = [length for length in found if length]
    return (min(found), max(found)) if found else (None, 0)


def _blocks(ids: tuple[int, ...], weights: tuple[float, ...], values: tuple[Any, ...],
            field_lengths: list[int] | None, fmt: Any, level: int, limit: int) -> tuple[bytes, Stats]:
    """A term's blocks of ``limit`` postings (the last marked) and its statistics, each
    block's added to the term's as ``TermInfo.add_block`` adds them."""
    parts: list[bytes] = []
    weight: float = 0
    shortest: Any = None
    longest: int = 0
    highest: float = 0
    for start in range(0, len(ids), limit):
        end = start + limit
        data, (block_weight, _, block_shortest, block_longest, block_highest, _, _) = _one_block(
            ids[start:end], weights[start:end], values[start:end], field_lengths, fmt, level, end >= len(ids))
        parts.append(data)
        weight += block_weight
        shortest = block_shortest if shortest is None else min(shortest, block_shortest)
        longest = max(longest, block_longest)
        highest = max(highest, block_highest)
    return b"".join(parts), (weight, len(ids), shortest, longest, highest, ids[0], ids[-1])

