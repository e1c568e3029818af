"""Which segments the last commit of a crawl or build merges (issue #18, index size).

A crawl commits every ``batch_size`` documents, and each commit adds a segment. Whoosh's
own policy at every commit (``MERGE_SMALL``) keeps a Fibonacci ladder of them: 13 segments
after 8,041 motions in commits of 200, each with its own term dictionary, which repeats
every common term (20.2 MB of term dictionaries against 5.5 MB in one segment). The
crawl's *last* commit therefore settles the index with :func:`settle`:

- a small index (at most :data:`MERGE_ALL_DOCS` documents) is merged into one segment:
  Whoosh's merge re-adds every posting, about 5 ms of CPU per document, so that costs at
  most ~10 s, paid only by a crawl that changed something. Merging every index up to 50,000
  documents was tried and measured (full bench, 2 December 2026): the 8,041 motions' index
  went from 10.2x to 7.5x its text, but every crawl that changed anything rewrote the whole
  index (41 s CPU for the motions), the crawl's ingest fell from 149 to 86 docs/s and its
  peak memory rose from 285 to 387 MB. ``indexer index --rebuild`` writes one segment;
- a larger one merges every segment smaller than :data:`TIER_RATIO` of the largest into
  one, so the large segments are not rewritten after every crawl (the cost stays
  proportional to what the recent crawls added) and the number of segments stays
  logarithmic in the index size;
- more than :data:`MAX_SEGMENTS` segments, whatever their sizes, are merged all the same
  (a query pays per segment).

Merging is Whoosh's own (``add_reader``, with the fields' total lengths kept exact:
:func:`add_exactly`), for every commit (:func:`small`, Whoosh's policy): the merged segment is written by the same
commit, atomically, and the old segments' files (flat postings included) are removed
by Whoosh's clean-up once no reader holds them.
"""

from __future__ import annotations

from typing import Any, Sequence

from whoosh.reading import SegmentReader
from whoosh.util import fib
from whoosh.writing import SegmentWriter

#: an index of at most this many documents is merged into one segment after a crawl
MERGE_ALL_DOCS = 2_000
#: a segment smaller than the largest divided by this is merged with the other small ones
TIER_RATIO = 8
#: more segments than this are merged into one whatever their sizes
MAX_SEGMENTS = 16


def to_merge(doc_counts: Sequence[int]) -> list[int]:
    """The indexes (into ``doc_counts``, each segment's document count) of the segments to merge.

    >>> to_merge([200, 400, 700])
    [0, 1, 2]
    >>> to_merge([200, 400, 7000])
    [0, 1]
    >>> to_merge([90_000, 20_000, 5_000, 400])
    [2, 3]
    >>> to_merge([60_000, 30_000])
    []
    """
    if len(doc_counts) <= 1:
        return []
    if sum(doc_counts) <= MERGE_ALL_DOCS or len(doc_counts) > MAX_SEGMENTS:
        return list(range(len(doc_counts)))
    floor = max(doc_counts) / TIER_RATIO
    small = [i for i, count in enumerate(doc_counts) if count < floor]
    return small if len(small) > 1 else []


def settle(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Whoosh merge type (``writer.commit(mergetype=settle)``): merges the segments
    :func:`to_merge` picks into the segment this commit writes; returns the others."""
    # the segment this commit writes counts as one of the small ones
    chosen = set(to_merge([seg.doc_count_all() for seg in segments] + [writer.doc_count()]))
    chosen.discard(len(segments))
    if not chosen:
        return segments
    for i in sorted(chosen):
        with SegmentReader(writer.storage, writer.schema, segments[i]) as reader:
            add_exactly(writer, reader)
    return [seg for i, seg in enumerate(segments) if i not in chosen]


def small(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Whoosh's own policy for every other commit (``MERGE_SMALL``: merge the smallest
    segments while they hold fewer documents than a Fibonacci bound), merging exactly."""
    ordered = sorted(segments, key=lambda seg: seg.doc_count_all())
    total = 0
    for i, seg in enumerate(ordered):
        total += seg.doc_count_all()
        if i > 3 and total < fib(i + 5):
            for merged in ordered[:i + 1]:
                with SegmentReader(writer.storage, writer.schema, merged) as reader:
                    add_exactly(writer, reader)
            return ordered[i + 1:]
    return segments


def add_exactly(writer: SegmentWriter, reader: SegmentReader) -> None:
    """``writer.add_reader(reader)`` with the fields' total lengths kept exact.

    Whoosh re-adds each document's field lengths from the one-byte approximation it keeps
    per document, so a merged segment's totals (BM25's average field length) drift from
    those of the same documents indexed afresh: 1.3 % on the demo corpus's body, enough to
    change scores. The segment's own totals are exact; only its deleted documents' share
    has to come from the approximation.
    """
    totals = writer.perdocwriter._fieldlengths
    before = dict(totals)
    writer.add_reader(reader)
    deleted = sorted(reader.deleted_docs_set) if reader.has_deletions() else []
    for fieldname in reader.indexed_field_names():
        if fieldname in totals or fieldname in before:
            gone = sum(reader.doc_field_length(docnum, fieldname, 0) or 0 for docnum in deleted)
            totals[fieldname] = before.get(fieldname, 0) + reader.field_length(fieldname) - gone
