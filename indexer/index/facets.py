"""Facet counts and date order over all matches, from per-field numpy columns.

Each facet field (and the date) is read once per searcher into an int array of value
ids indexed by docnum (from per-segment parts kept across searchers:
:mod:`indexer.index.segment_arrays`). Counting the facets of a result set is then one
``np.bincount`` per field over the matching docnums, and sorting every match by date
is one ``np.lexsort``: no per-document Python work, whatever the number of matches.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

import numpy as np
from whoosh.searching import Searcher

from indexer.index.docsets import Mask, live_mask
from indexer.index.result_order import ordered
from indexer.index.segment_arrays import SegmentArrays

FacetCounts = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Column:
    """The values of one field: ``codes[docnum]`` indexes ``values`` (0 is "no value")."""

    codes: np.ndarray
    values: tuple[str, ...]

    def counts(self, docnums: np.ndarray) -> FacetCounts:
        """(value, count) over the given documents, most frequent first, then by value."""
        tally = np.bincount(self.codes[docnums], minlength=len(self.values))
        tally[0] = 0  # documents without a value
        present = np.flatnonzero(tally)
        order = present[np.lexsort((self.alphabetical[present], -tally[present]))]
        return tuple(zip([self.values[i] for i in order.tolist()], tally[order].tolist(), strict=True))

    def value(self, docnum: int) -> str:
        """One document's value ("" for none)."""
        return self.values[int(self.codes[docnum])]

    @cached_property
    def alphabetical(self) -> np.ndarray:
        """Rank of each value id in alphabetical order (the tie-break of equal counts)."""
        rank = np.empty(len(self.values), dtype=np.int64)
        rank[sorted(range(len(self.values)), key=self.values.__getitem__)] = np.arange(len(self.values))
        return rank

    @cached_property
    def first_docnums(self) -> dict[str, int]:
        """value -> the first document that has it (where a value's other metadata is read)."""
        codes, first = np.unique(self.codes, return_index=True)
        return {self.values[code]: int(doc) for code, doc in zip(codes.tolist(), first.tolist(), strict=True)
                if code}

    def where(self, keep: Callable[[str], bool]) -> Mask:
        """True for the documents whose value passes ``keep`` (a filter as a mask)."""
        passing = np.fromiter((keep(v) for v in self.values), dtype=bool, count=len(self.values))
        return passing[self.codes]


class ColumnCache:
    """Columns, the live-document mask and the date ranks of one searcher, built lazily."""

    def __init__(self, searcher: Searcher, segments: SegmentArrays | None = None) -> None:
        self.searcher = searcher
        self.segments = segments or SegmentArrays()
        self._lock = threading.Lock()
        self._columns: dict[str, Column] = {}
        self._live: Mask | None = None
        self._date_keys: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def live(self) -> Mask:
        if self._live is None:
            self._live = live_mask(self.searcher)
        return self._live

    def column(self, name: str) -> Column:
        with self._lock:
            if name not in self._columns:
                self._columns[name] = read_column(self.searcher, name, self.segments)
            return self._columns[name]

    def facets(self, docnums: np.ndarray, names: tuple[str, ...]) -> dict[str, FacetCounts]:
        return {name: self.column(name).counts(docnums) for name in names}

    def date_order(self, docnums: np.ndarray, reverse: bool, limit: int | None = None) -> np.ndarray:
        """The first ``limit`` of ``docnums`` by date (newest first when ``reverse``);
        undated last; documents of one date by id."""
        ascending, descending = self._date_ranks()
        return ordered(docnums, (descending if reverse else ascending)[docnums], self.ids, limit)

    def newest_first(self, docnums: np.ndarray) -> np.ndarray:
        """Each document's date rank from the newest (undated last): relevance's tie-break."""
        return self._date_ranks()[1][docnums]

    def ids(self, docnums: np.ndarray) -> list[str]:
        """The document ids of ``docnums``: from each segment's id column (read once per
        segment), or from the stored fields of an index written without that column."""
        found: list[str] = [""] * len(docnums)
        for leaf, offset in self.searcher.reader().leaf_readers():
            inside = np.flatnonzero((docnums >= offset) & (docnums < offset + leaf.doc_count_all()))
            if not len(inside):
                continue
            column = self.segments.get(leaf, "ids", "id", _segment_ids)
            for i in inside.tolist():
                local = int(docnums[i]) - offset
                found[i] = column[local] if column is not None else leaf.stored_fields(local).get("id", "")
        return found

    def _date_ranks(self) -> tuple[np.ndarray, np.ndarray]:
        if self._date_keys is None:
            column = self.column("date")
            order = sorted(range(1, len(column.values)), key=column.values.__getitem__)
            rank = np.zeros(len(column.values), dtype=np.int64)
            rank[order] = np.arange(1, len(order) + 1)
            undated = len(order) + 1  # sorts after every date in both directions
            rank[0] = undated
            ascending = rank[column.codes]
            descending = np.where(ascending == undated, undated, undated - ascending)
            self._date_keys = (ascending, descending)
        return self._date_keys


def read_column(searcher: Searcher, name: str, segments: SegmentArrays | None = None) -> Column:
    """One field's values for every docnum, segment by segment (a leaf's docnums follow
    its offset in the top reader); each segment's part is read once while it exists."""
    segments = segments or SegmentArrays()
    ids: dict[str, int] = {"": 0}
    codes = np.zeros(searcher.doc_count_all(), dtype=np.int32)
    for leaf, offset in searcher.reader().leaf_readers():
        local_codes, local_values = segments.get(leaf, "column", name, lambda leaf: _segment_column(leaf, name))
        if len(local_codes):
            mapping = np.fromiter((ids.setdefault(v, len(ids)) for v in local_values), dtype=np.int32,
                                  count=len(local_values))
            codes[offset:offset + len(local_codes)] = mapping[local_codes]
    return Column(codes, tuple(ids))


def _segment_column(leaf: Any, name: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """One segment's value ids by its own docnums, and its values (id 0 is "no value")."""
    if not leaf.has_column(name):
        return np.zeros(0, dtype=np.int32), ("",)
    ids: dict[str, int] = {"": 0}
    codes = np.fromiter((ids.setdefault(_text(v), len(ids)) for v in leaf.column_reader(name)), dtype=np.int32)
    return codes, tuple(ids)


def _segment_ids(leaf: Any) -> list[str] | None:
    """One segment's ids by its own docnums (None: written before ids had a column)."""
    if not leaf.has_column("id"):
        return None
    return [_text(value) for value in leaf.column_reader("id")]


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value or "")
