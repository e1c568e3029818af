"""The index's Whoosh codec: W3 with compact postings blocks.

Whoosh's W3 codec writes each block of a term's postings as a pickled
``(docnum gaps, weights, values)`` tuple, zlib-compressed, after a pickled info tuple and,
per term, a 4-byte magic: on the real motions that is most of the segment (27.2 MB for
7.03 MB of text, see docs/index-size.md). :class:`CompactCodec` keeps everything else of
W3 (term dictionary, columns, stored fields, vectors, segments) and writes the postings of
every field in blocks of :mod:`indexer.index.compact_blocks` behind a 13-byte ``struct``
header, compressed with zstd when that saves bytes. Its matcher gives back exactly what
W3's gives (docnums, weights, value bytes), so queries, phrases, highlighting, merges and
deletions work on either; :meth:`CompactLeafMatcher.block_arrays` hands the block as numpy
arrays to :mod:`indexer.index.postings` without a detour through Python tuples.

Since schema 11 new segments keep their term dictionary in a front-coded term table
(:class:`TableCodec`, :mod:`indexer.index.table_terms`) instead of W3's ordered hash table.
Which codec a segment was written with is kept with the segment in the index's TOC, so an
index with segments of several reads fine. New segments use :class:`TableCodec` once
:func:`install` made it Whoosh's default codec (done where indexes are created and opened,
:mod:`indexer.index.store` and :func:`indexer.index.whoosh_compat.open_dir`).
"""

from __future__ import annotations

import struct
import threading
from typing import Any

import numpy as np
import whoosh.codec
import zstandard
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.index import compact_blocks, compact_terms, table_terms

#: block length (negative for a term's last block), postings, last docnum, highest weight,
#: compression, shortest and longest field length (Whoosh's one-byte codes)
HEADER = struct.Struct("<iHIfBBB")
RAW, ZSTD = 0, 1
#: postings per block: larger blocks compress better, smaller ones skip finer
BLOCK_POSTINGS = 128
ZSTD_LEVEL = 3
#: a block shorter than this is stored as it is: zstd's frame costs more than it saves
MIN_COMPRESSED = 64
_LOCAL = threading.local()
#: what a block's decoded parts are before they are read (W3's matcher tests them for None)
_UNREAD: Any = None


class CompactCodec(W3Codec):  # type: ignore[misc]
    """W3 with compact postings blocks (vector postings, which have byte ids, stay W3's) and
    compact term statistics (:mod:`indexer.index.compact_terms`)."""

    def __init__(self, blocklimit: int = BLOCK_POSTINGS, compression: int = ZSTD_LEVEL, inlinelimit: int = 1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return compact_terms.CompactFieldWriter(self, storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> Any:
        name = segment.make_filename(self.TERMS_EXT)
        postings = segment.open_file(storage, self.POSTS_EXT)
        return compact_terms.CompactTermsReader(self, storage.open_file(name), storage.file_length(name), postings)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:
            return super().postings_writer(dbfile, byteids=True)
        return CompactPostingsWriter(dbfile, blocklimit=self._blocklimit, compression=self._compression,
                                     inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return CompactLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class TableCodec(CompactCodec):
    """The compact codec with a front-coded term table (:mod:`indexer.index.term_table`) for
    W3's ordered hash table: the codec of schema 11's segments. Segments written by
    :class:`CompactCodec` keep its dictionary and are read by it (the TOC names the class)."""

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return table_terms.TableFieldWriter(self, storage, segment)

    def terms_reader(self, storage: Any, segment: Any) -> Any:
        name = segment.make_filename(self.TERMS_EXT)
        postings = segment.open_file(storage, self.POSTS_EXT)
        return table_terms.TableTermsReader(self, storage.open_file(name), storage.file_length(name), postings)


def install() -> None:
    """Make :class:`TableCodec` the codec of every segment Whoosh writes from now on
    (Whoosh's writers ask ``whoosh.codec.default_codec`` for it when they start)."""
    whoosh.codec.default_codec = TableCodec


class CompactPostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    """Writes a term's postings as compact blocks (no per-term magic, a struct header)."""

    def _write_block(self, last: bool = False) -> None:
        self._terminfo.add_block(self)
        data = compact_blocks.encode(self._ids, self._weights, self._values, self._format)
        compression = RAW
        if self._compression and len(data) >= MIN_COMPRESSED:
            packed = _compressor(self._compression).compress(data)
            if len(packed) < len(data):
                data, compression = packed, ZSTD
        length = HEADER.size - 4 + len(data)
        self._postfile.write(HEADER.pack(-length if last else length, len(self._ids), self._ids[-1],
                                         self._maxweight, compression, length_to_byte(self._minlength),
                                         length_to_byte(self._maxlength)))
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


class CompactLeafMatcher(W3LeafMatcher):  # type: ignore[misc]
    """Reads compact blocks; gives the same docnums, weights and values as W3's matcher."""

    def _read_header(self) -> None:
        self._baseoffset = self._startoffset

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = _UNREAD
        self._i = 0
        header = self._postfile.get(position, HEADER.size)
        length, self._blocklength, self._maxid, self._maxweight, self._compression, shortest, longest = \
            HEADER.unpack(header)
        self._lastblock = length < 0
        self._nextoffset = position + 4 + abs(length)
        self._dataoffset = position + HEADER.size
        self._minlength = byte_to_length(shortest)
        self._maxlength = byte_to_length(longest)

    def block_arrays(self) -> tuple[np.ndarray, np.ndarray, Any]:
        """The current block's (docnums as int64, weights as float32, values as W3 keeps them;
        W3's own ``_read_values`` makes the matcher's values of them)."""
        found: Any = self._data
        if found is None:
            data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
            if self._compression == ZSTD:
                data = _decompressor().decompress(data)
            found = self._data = compact_blocks.decode(data, self._blocklength, self.format)
        return found  # type: ignore[no-any-return]

    def _read_data(self) -> None:
        self.block_arrays()

    def _read_ids(self) -> None:
        self._ids = self.block_arrays()[0].tolist()

    def _read_weights(self) -> None:
        self._weights = self.block_arrays()[1].tolist()


def _compressor(level: int) -> zstandard.ZstdCompressor:
    # zstd's (de)compressors are not thread-safe: one of each per thread
    found = getattr(_LOCAL, "compressor", None)
    if found is None or _LOCAL.level != level:
        found = _LOCAL.compressor = zstandard.ZstdCompressor(level=level, write_checksum=False,
                                                            write_content_size=True)
        _LOCAL.level = level
    return found


def _decompressor() -> zstandard.ZstdDecompressor:
    found = getattr(_LOCAL, "decompressor", None)
    if found is None:
        found = _LOCAL.decompressor = zstandard.ZstdDecompressor()
    return found
