"""Each indexed document's id and content hash, whatever the schema of its segment.

Schema 12 (issue #18) stores no per-document fields for them: the id is the id column (a
sortable column since schema 9) and the content hash a column of its own, raw bytes instead
of hex in a pickled dict (:class:`HashColumn`). Segments of older schemas (read until the
index is rebuilt, e.g. by ``indexer check``) have them as stored fields, read through
:func:`indexer.index.schema.stored_hash`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from indexer.index.schema import HASH_FIELD, LEGACY_RECORD_FIELD, stored_hash, unpack_hash

__all__ = ["ids_and_hashes", "searcher_ids_and_hashes"]


def ids_and_hashes(leaf: Any, docnums: Iterable[int]) -> Iterator[tuple[int, str | None, str | None]]:
    """(docnum, id, hash) of one segment's ``docnums``; None where the segment lacks it."""
    ids = _column(leaf, "id")
    packed = _column(leaf, HASH_FIELD)
    hashes = [unpack_hash(value) for value in packed] if packed is not None else None
    for docnum in docnums:
        stored = leaf.stored_fields(docnum) if ids is None or hashes is None else {}
        doc_id = ids[docnum] if ids is not None else stored.get("id")
        if hashes is not None:
            content_hash: str | None = hashes[docnum]
        elif HASH_FIELD in stored or LEGACY_RECORD_FIELD in stored:
            content_hash = stored_hash(stored)
        else:
            content_hash = None
        yield docnum, doc_id, content_hash


def searcher_ids_and_hashes(searcher: Any, docnums: Iterable[int]) -> Iterator[tuple[str | None, str | None]]:
    """(id, hash) of a searcher's (global) ``docnums``, segment by segment, in their order."""
    wanted = sorted(docnums)
    for leaf, offset in searcher.reader().leaf_readers():
        inside = [n - offset for n in wanted if offset <= n < offset + leaf.doc_count_all()]
        for _, doc_id, content_hash in ids_and_hashes(leaf, inside):
            yield doc_id, content_hash


def _column(leaf: Any, name: str) -> list[Any] | None:
    """A segment's column as written (bytes), or None when it has none (an older schema)."""
    if not leaf.has_column(name):
        return None
    values = list(leaf.column_reader(name, translate=False))
    return [value.decode("utf-8") if name == "id" and isinstance(value, bytes) else value for value in values]
