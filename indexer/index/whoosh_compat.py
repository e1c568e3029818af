"""Every access to Whoosh-Reloaded's private internals, by name, in one place.

The index reads postings blocks, length columns and segment lists that Whoosh has no
public interface for, overrides one hook of its stemming filter, and replaces one
constructor (``BufferFile.__init__``, see :mod:`indexer.index.mapped_files`). Each of
those is a function here, so the rest of ``indexer.index`` uses only Whoosh's public
API and these names. ``tests/test_whoosh_compat.py`` calls every function on a real
small index and checks :data:`PINNED` and :data:`NEEDED`: a Whoosh upgrade that
breaks one of them fails that test, not a query in production.

The ``BufferFile`` replacement is installed by :func:`install_mapped_files` when an
index is opened (:func:`open_dir`), not at import; when it declines (another Whoosh
than the pinned one) it says why in the log, and :func:`mapped_files_state` tells
``indexer status``.
"""

from __future__ import annotations

import inspect
import logging
import threading
import weakref
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable

import numpy as np
from whoosh import index as whoosh_index
from whoosh.analysis import PyStemmerFilter
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    W3TermInfo,
    _lenfield,
)
from whoosh.filedb.structfile import BufferFile
from whoosh.index import TOC, Index, clean_files
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import _length_byte_cache
from whoosh.writing import PostingPool, SegmentWriter

from indexer.index import compact_codec, mapped_files, segment_postings
from indexer.index.compact_codec import CompactLeafMatcher

LOG = logging.getLogger(__name__)
DISTRIBUTION = "Whoosh-Reloaded"
#: The one version whose internals this module was written against (pyproject.toml pins it).
PINNED = "2.7.5"
#: (object, attribute) pairs this module reads or calls; checked by the compatibility test.
NEEDED: tuple[tuple[Any, str], ...] = (
    (whoosh_index.FileIndex, "_segments"),
    (TOC, "_filename"),
    (W3LeafMatcher, "_read_data"),
    (W3LeafMatcher, "_next_block"),
    (W3LeafMatcher, "block_max_id"),
    (PyStemmerFilter, "_get_stemmer_fn"),
    (BufferFile, "__init__"),
    (SegmentWriter, "per_document_reader"),
    # what the compact codec (indexer.index.compact_codec, compact_terms) overrides of W3
    (W3PostingsWriter, "_write_block"),
    (W3PostingsWriter, "_new_block"),
    (W3LeafMatcher, "_read_header"),
    (W3LeafMatcher, "_goto"),
    (W3LeafMatcher, "_read_ids"),
    (W3LeafMatcher, "_read_weights"),
    (W3LeafMatcher, "_read_values"),
    (W3FieldWriter, "start_term"),
    # what the term table's field writer (indexer.index.table_terms) overrides or calls
    (W3FieldWriter, "finish_term"),
    (W3FieldWriter, "_create_file"),
    (W3TermInfo, "from_bytes"),
    # what the segment writer's fast path (indexer.index.segment_postings) calls or reads; the
    # instance attributes it reads (the pool's runs and current, the field writer's _codec,
    # _postfile, _tindex, _fieldid, _fieldobj) are exercised by tests/test_segment_postings.py
    (PostingPool, "iter_postings"),
    (W3PerDocReader, "_cached_reader"),
    (W3FieldWriter, "start_field"),
    (W3FieldWriter, "finish_field"),
)
#: The constructor the replacement stands in for (checked before it is replaced).
ORIGINAL_BUFFERFILE_INIT = BufferFile.__init__
#: Document lengths as Whoosh stores them: one byte per document, decoded by this table.
BYTE_TO_LENGTH = np.asarray(_length_byte_cache, dtype=np.float32)


def installed_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "onbekend"


# -- index files and segments ---------------------------------------------------
def open_dir(path: Path | str) -> Index:
    """Open the index in ``path``, with segments read from the memory map (see below); the
    segments it writes from now on use the compact postings codec."""
    install_mapped_files()
    compact_codec.install()
    return whoosh_index.open_dir(str(path))


def segments(ix: Index) -> list[Any]:
    """The segments of the index's latest generation (Whoosh has no public list)."""
    return list(ix._segments())  # noqa: SLF001


def toc_filename(ix: Index) -> str:
    """The file name of the index's current table of contents."""
    return str(TOC._filename(ix.indexname, ix.latest_generation()))  # noqa: SLF001


def clean_unreferenced(ix: Index) -> None:
    """Whoosh's own clean-up of segment files no committed generation lists."""
    clean_files(ix.storage, ix.indexname, ix.latest_generation(), segments(ix))


def segment_id(leaf: Any) -> str | None:
    """A leaf reader's segment id; None for a reader without a segment (an empty index)."""
    segment = getattr(leaf, "segment", None)
    found = segment() if callable(segment) else None
    return found.segment_id() if found is not None else None


def release_write_lock(writer: Any) -> None:
    """Let go of a writer's lock file when its cancel failed before Whoosh did."""
    lock = getattr(writer, "writelock", None)
    if lock is not None and getattr(lock, "fd", None) is not None:
        lock.release()


def cache_field_lengths(writer: Any) -> Any:
    """Let ``writer`` read each new document's field lengths once when it writes its segment.

    Writing a segment's postings, Whoosh asks the length of the posting's field in its
    document for every posting (the block's shortest and longest document), ~220 times per
    document, each time from the new segment's file: a fifth of a commit. The lengths are
    remembered per (document, field) for that one flush; the segment written is the same.
    The writer's field writer turns the sorted postings into blocks with :func:`_add_postings`
    (Whoosh's loop with its per-posting calls inlined: ~0.4 ms less per motion in a commit),
    for the term-table codec with :mod:`indexer.index.segment_postings`, which also groups the
    pool's items per term instead of having the pool sort them all.
    """
    if isinstance(writer, SegmentWriter):
        # through a weak reference: a writer holding a function that holds the writer would
        # keep its whole postings pool alive after the commit until the cycle collector runs
        # (+50 MB peak in a crawl of real motions)
        owner, read = weakref.ref(writer), type(writer).per_document_reader
        writer.per_document_reader = lambda: _CachedLengths(read(owner()))
        # a pool that kept its items in memory hands them over unsorted: the segment writer's
        # fast path groups them per term for less than sorting them (the same order results)
        pool, sort = weakref.ref(writer.pool), type(writer.pool).iter_postings
        writer.pool.iter_postings = lambda: _pool_postings(pool(), sort)
        fields = weakref.ref(writer.fieldwriter)
        writer.fieldwriter.add_postings = lambda schema, lengths, items: _add_postings(fields(), schema, lengths,
                                                                                     items)
    return writer


def _pool_postings(pool: Any, sort: Callable[[Any], Any]) -> Any:
    """A pool's postings: Whoosh's merge of its runs on disk, else its items as added."""
    return sort(pool) if pool.runs else segment_postings.UnsortedPool(pool.current)


def _add_postings(fieldwriter: Any, schema: Any, lengths: Any, items: Any) -> None:
    """Whoosh's ``FieldWriter.add_postings`` (sorted postings into start/finish calls) with
    its per-posting ``add`` → ``add_posting`` inlined: the same calls per field and term and
    the same block contents, without two calls and four ``isinstance`` asserts per posting.
    The term-table codec's own writer skips the calls per term as well
    (:func:`indexer.index.segment_postings.write_postings`, the same segment)."""
    if segment_postings.applies(fieldwriter, lengths):
        segment_postings.write_postings(fieldwriter, schema, lengths, items)
        return
    field_length = lengths.doc_field_length if lengths else (lambda docnum, fieldname: 0)
    lastfn: str | None = None
    lasttext: bytes | None = None
    writer: Any = None
    for fieldname, btext, docnum, weight, value in items:
        if fieldname != lastfn:
            if lastfn is not None and fieldname < lastfn:
                raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
            if lasttext is not None:
                fieldwriter.finish_term()
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfn, lasttext = fieldname, None
        elif lasttext and btext < lasttext:
            raise OutOfOrderError(f"Term {lastfn}:{lasttext!r} .. {fieldname}:{btext!r}")
        if docnum == -1:
            continue  # Whoosh's spelling postings: not written
        if btext != lasttext:
            if lasttext is not None:
                fieldwriter.finish_term()
            fieldwriter.start_term(btext)
            lasttext, writer = btext, fieldwriter._postwriter
        length = field_length(docnum, fieldname)
        if len(writer._ids) >= writer._blocklimit:
            writer._write_block()
        writer._ids.append(docnum)
        writer._weights.append(weight)
        if weight > writer._maxweight:
            writer._maxweight = weight
        if value:
            writer._values.append(value)
        if length:
            shortest = writer._minlength
            if shortest is None or length < shortest:
                writer._minlength = length
            if length > writer._maxlength:
                writer._maxlength = length
    if lasttext is not None:
        fieldwriter.finish_term()
    if lastfn is not None:
        fieldwriter.finish_field()


class _CachedLengths:
    """A per-document reader whose field lengths are looked up once each."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._lengths: dict[tuple[int, str], int] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        found = self._lengths.get(key)
        if found is None:
            found = self._lengths[key] = self._reader.doc_field_length(docnum, fieldname, default)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


# -- postings blocks and field lengths ----------------------------------------------
def block_matcher(matcher: Any) -> W3LeafMatcher | None:
    """The W3 leaf matcher under a term's matcher (deletion filters unwrapped), or None."""
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    return matcher if isinstance(matcher, W3LeafMatcher) else None


def read_block(matcher: W3LeafMatcher) -> tuple[np.ndarray, Any, Any]:
    """The current block's (docnums, raw weights, raw values); docnums decoded."""
    if isinstance(matcher, CompactLeafMatcher):
        return matcher.block_arrays()  # type: ignore[no-any-return]
    matcher._read_data()  # noqa: SLF001 - the block's pickled (ids, weights, values) tuple
    raw_ids, raw_weights, values = matcher._data  # noqa: SLF001
    ids = np.asarray(raw_ids, dtype=np.int64)
    ids = ids if matcher._byteids else np.cumsum(ids)  # noqa: SLF001 - delta-encoded per block
    return ids, raw_weights, values


def next_block(matcher: W3LeafMatcher) -> None:
    matcher._next_block()  # noqa: SLF001


def length_codes(leaf: Any, fieldname: str) -> np.ndarray | None:
    """A segment's one-byte length codes of a field (decode with :data:`BYTE_TO_LENGTH`),
    None when the segment has no length column for it."""
    perdoc = getattr(leaf, "_perdoc", None)
    reader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if perdoc else None  # noqa: SLF001
    if reader is None:
        return None
    return np.fromiter(iter(reader), dtype=np.uint8, count=leaf.doc_count_all())


def pattern_terms(query: Any, reader: Any) -> Any:
    """The index terms (bytes) a prefix or wildcard query stands for, lazily in term order."""
    return query._btexts(reader)  # noqa: SLF001


# -- stemming ------------------------------------------------------------------------
class HookedStemFilter(PyStemmerFilter):  # type: ignore[misc]
    """PyStemmer stemming whose stem function subclasses wrap with :meth:`wrap_stem`
    (Whoosh builds it in the private ``_get_stemmer_fn``, also when unpickling a schema)."""

    def wrap_stem(self, stem: Callable[[str], str]) -> Callable[[str], str]:
        return stem

    def _get_stemmer_fn(self):  # type: ignore[no-untyped-def]
        return self.wrap_stem(super()._get_stemmer_fn())


def stem_function(stem_filter: Any) -> Callable[[str], str]:
    """The word -> stem function a stemming filter applies."""
    return stem_filter._get_stemmer_fn()  # type: ignore[no-any-return]  # noqa: SLF001


# -- segment files read from the memory map ----------------------------------------------
_STATE_LOCK = threading.Lock()
_state: dict[str, str] = {}


def install_mapped_files() -> str:
    """Give ``BufferFile`` a constructor that reads from the memory map instead of copying
    (idempotent). Declines, and logs why once, when the installed constructor is not the one
    of the pinned version. Returns the state (see :func:`mapped_files_state`)."""
    with _STATE_LOCK:
        if not _state:
            _state.update(_install())
            log_state(_state)
        return _state["state"]


def log_state(state: dict[str, str]) -> None:
    """Once per process: a warning when the replacement declined (segments are then copied)."""
    log = LOG.info if state["state"] == "aan" else LOG.warning
    log("Whoosh-segmenten uit het geheugen gemapt: %s (%s)", state["state"], state["reason"])


def mapped_files_state() -> dict[str, str]:
    """``{"state": "aan" | "uit" | "niet geprobeerd", "reason": …}`` for ``indexer status``."""
    with _STATE_LOCK:
        return dict(_state) if _state else {"state": "niet geprobeerd", "reason": "nog geen index geopend"}


def _install() -> dict[str, str]:
    if BufferFile.__init__ is mapped_files.mapped_init:
        return {"state": "aan", "reason": "al geïnstalleerd"}
    try:
        source = inspect.getsource(ORIGINAL_BUFFERFILE_INIT)
    except (OSError, TypeError):
        return {"state": "uit", "reason": "broncode van BufferFile.__init__ niet te lezen"}
    if BufferFile.__init__ is not ORIGINAL_BUFFERFILE_INIT or not mapped_files.replaceable(source):
        return {"state": "uit", "reason": f"BufferFile.__init__ van {DISTRIBUTION} {installed_version()} "
                                          f"is niet die van {PINNED}: segmenten worden gekopieerd"}
    BufferFile.__init__ = mapped_files.mapped_init
    return {"state": "aan", "reason": f"{DISTRIBUTION} {installed_version()}"}
