"""Whoosh's term dictionary interface over a :mod:`indexer.index.term_table` (schema 11).

W3's field writer, terms reader and field cursor keep a segment's terms in an ordered
hash table; the classes here write and read the same keys (the field's number as two
big-endian bytes, then the term's bytes) and the same statistics (as
:class:`~indexer.index.compact_terms.TableTermInfo`) in a front-coded term table, and
answer every question Whoosh's segment reader, its cursors (fuzzy terms, spelling) and
our prefix and compound code ask: lookups, ``terms_from``/``items_from`` in key order
(through the later fields to the end, as W3's do), the statistics, matchers.
"""

from __future__ import annotations

from typing import Any, Iterator

from whoosh.codec import base
from whoosh.codec.whoosh3 import W3Codec
from whoosh.system import pack_ushort, unpack_ushort

from indexer.index.compact_terms import CompactFieldWriter, TableTermInfo, TermStatistics
from indexer.index.term_table import TermTableReader, TermTableWriter

#: the field number W3 gives a field the segment does not have (no key starts with it)
NO_FIELD = 65535


class TableFieldWriter(CompactFieldWriter):
    """The compact codec's field writer with a term table for W3's ordered hash table."""

    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:  # noqa: D107 - W3's attributes
        self._codec, self._storage, self._segment = codec, storage, segment
        self._fieldname = self._fieldid = self._fieldobj = self._format = None
        self._btext = b""  # W3 starts it as None; start_term sets it before it is read
        self._tindex = TermTableWriter(self._create_file(W3Codec.TERMS_EXT))
        self._fieldmap = self._tindex.extras["fieldmap"] = {}
        self._postfile = self._create_file(W3Codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False
        self._base = 0  # the postings offset the current block's offsets are from

    def start_term(self, btext: bytes) -> None:
        if self._postwriter is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, TableTermInfo())

    def finish_term(self) -> None:
        postwriter: Any = self._postwriter
        terminfo = postwriter.finish_postings()
        if self._tindex.starts_block:  # the block's offsets are from its first term's
            self._base = 0 if terminfo.is_inlined() else terminfo._offset
        self._tindex.add(pack_ushort(self._fieldid) + self._btext, terminfo.encode(self._base), self._base)


class TableTermsReader(TermStatistics, base.TermsReader):  # type: ignore[misc]
    """A segment's terms from a term table: what W3's terms reader answers, the same way."""

    def __init__(self, codec: Any, dbfile: Any, length: int, postfile: Any) -> None:
        self._codec = codec
        self._table = TermTableReader(dbfile, length)
        self._fieldmap: dict[str, int] = self._table.extras["fieldmap"]
        self._postfile = postfile
        self._fieldunmap: list[str | None] = [None] * len(self._fieldmap)
        for fieldname, number in self._fieldmap.items():
            self._fieldunmap[number] = fieldname

    def _keycoder(self, fieldname: str, tbytes: bytes) -> bytes:
        return pack_ushort(self._fieldmap.get(fieldname, NO_FIELD)) + tbytes  # type: ignore[no-any-return]

    def _keydecoder(self, keybytes: bytes) -> tuple[str | None, bytes]:
        return self._fieldunmap[unpack_ushort(keybytes[:2])[0]], keybytes[2:]

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        return self._keycoder(*term) in self._table

    def indexed_field_names(self) -> Any:
        return self._fieldmap.keys()

    def cursor(self, fieldname: str, fieldobj: Any) -> TableFieldCursor:
        return TableFieldCursor(self._table, self._keycoder(fieldname, b""), fieldobj)

    def terms(self) -> Iterator[tuple[str | None, bytes]]:
        return (self._keydecoder(key) for key in self._table.keys_from())

    def terms_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str | None, bytes]]:
        return (self._keydecoder(key) for key in self._table.keys_from(self._keycoder(fieldname, prefix)))

    def items(self) -> Iterator[tuple[tuple[str | None, bytes], TableTermInfo]]:
        return ((self._keydecoder(key), TableTermInfo.decode(value, base))
                for key, value, base in self._table.entries_from())

    def items_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[tuple[str | None, bytes], TableTermInfo]]:
        start = self._keycoder(fieldname, prefix)
        return ((self._keydecoder(key), TableTermInfo.decode(value, base))
                for key, value, base in self._table.entries_from(start))

    def _info(self, fieldname: str, tbytes: bytes) -> TableTermInfo:
        """A term's statistics; KeyError (as W3 raises it) when the term is not there."""
        return TableTermInfo.decode(*self._table.find(self._keycoder(fieldname, tbytes)))

    def matcher(self, fieldname: str, tbytes: bytes, format_: Any, scorer: Any = None) -> Any:
        return self._codec.postings_reader(self._postfile, self.term_info(fieldname, tbytes), format_,
                                           term=(fieldname, tbytes), scorer=scorer)

    def close(self) -> None:
        self._table.dbfile.close()
        self._postfile.close()


class TableFieldCursor(base.FieldCursor):  # type: ignore[misc]
    """One field's terms in order, as W3's cursor walks them: ``text`` is the current term,
    ``next`` moves on, ``find`` goes to the first term at or after one; past the field's
    last term the cursor is invalid (``text`` None) until ``first`` or ``find``."""

    def __init__(self, table: TermTableReader, fieldprefix: bytes, fieldobj: Any) -> None:
        self._table = table
        self._prefix = fieldprefix
        self._fieldobj = fieldobj
        self._keys: list[bytes] = []
        self._values: list[bytes] = []
        self._block = self._entry = -1
        self._text: Any = None
        self.first()

    def first(self) -> Any:
        return self._go(self._table.closest(self._prefix))

    def find(self, term: Any) -> Any:
        if not isinstance(term, bytes):
            term = self._fieldobj.to_bytes(term)
        return self._go(self._table.closest(self._prefix + term))

    def next(self) -> Any:
        if self._text is None:
            return None
        if self._entry + 1 < len(self._keys):
            self._entry += 1
            return self._current()
        return self._go((self._block + 1, 0) if self._block + 1 < self._table.blocks() else None)

    def _go(self, position: tuple[int, int] | None) -> Any:
        if position is None:
            self._text = None
            return None
        if position[0] != self._block:
            self._keys, self._values = self._table.block(position[0])
        self._block, self._entry = position
        return self._current()

    def _current(self) -> Any:
        key = self._keys[self._entry]
        self._text = self._fieldobj.from_bytes(key[2:]) if key.startswith(self._prefix) else None
        return self._text

    def text(self) -> Any:
        return self._text

    def term_info(self) -> TableTermInfo | None:
        if self._text is None:
            return None
        return TableTermInfo.decode(self._values[self._entry], self._table.base(self._block))

    def is_valid(self) -> bool:
        return self._text is not None
