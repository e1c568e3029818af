"""The documents behind index hits: ids from the index, documents from the store, per page.

The index stores no metadata since schema 9 (issue #18): a hit is a docnum, its id (the id column)
names the document, and the document store holds the one copy of the Document. A result
page, a batch of an export or a list of linked documents is read with one ``SELECT … IN``
(:meth:`PageTexts.documents`), never one query per hit.

A document the index lists but the store lacks (the store damaged or behind) stays in a
result list as what the index knows of it — its id and facet values, no title, no
snippet — logged and counted, so the totals and pages stay right; an export or a list of
linked documents leaves it out, since a citation without its metadata would be wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

import numpy as np

from indexer.index.facets import ColumnCache
from indexer.index.page_texts import PageTexts, missing_message
from indexer.model import Document

LOG = logging.getLogger(__name__)
#: documents per store query when a whole result set is streamed (an export)
READ_BATCH = 200


class Listed(NamedTuple):
    """A hit's document and whether the store held it (False: the index's facts only)."""

    document: Document
    stored: bool


def listed(texts: PageTexts, columns: ColumnCache, docnums: Sequence[int]) -> list[Listed]:
    """The documents of a result page, with their pages, in the page's order (one store query)."""
    ids = columns.ids(np.asarray(docnums, dtype=np.int64))
    found = texts.documents(ids)
    return [Listed(found[i], True) if i in found else Listed(_known(texts, columns, i, int(n)), False)
            for i, n in zip(ids, docnums, strict=True)]


def documents(texts: PageTexts, columns: ColumnCache, docnums: Sequence[int]) -> list[Document]:
    """The documents the store holds of ``docnums``, in their order, without pages."""
    ids = columns.ids(np.asarray(docnums, dtype=np.int64))
    found = texts.documents(ids)
    _log_missing(texts, (i for i in ids if i not in found))
    return [found[i].replace(pages=()) for i in ids if i in found]


def stream(texts: PageTexts, columns: ColumnCache, docnums: Sequence[int]) -> Iterator[Document]:
    """:func:`documents` of a long list, :data:`READ_BATCH` per store query."""
    for start in range(0, len(docnums), READ_BATCH):
        yield from documents(texts, columns, docnums[start:start + READ_BATCH])


def _known(texts: PageTexts, columns: ColumnCache, doc_id: str, docnum: int) -> Document:
    """What the index knows of a document the store lacks: its id and column values."""
    _log_missing(texts, [doc_id])
    def value(name: str) -> str:
        return columns.column(name).value(docnum)

    return Document(id=doc_id, source=value("source"), category=value("category"), doc_type=value("doc_type"),
                    date=value("date"), language=value("language"))


def _log_missing(texts: PageTexts, ids: Iterable[str]) -> None:
    for doc_id in ids:
        LOG.warning("%s", missing_message(doc_id, texts.data_dir))
