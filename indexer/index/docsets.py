"""Every document matching a query with its BM25F score, as numpy arrays over docnums.

Facet counts, date order and the total need every match; relevance order needs every
match's score. Whoosh would walk its matchers one posting at a time in Python (and its
top-N collector still visits most postings of a common word). Here a term's postings
are sliced from the segment's flat postings (:mod:`indexer.index.flat_postings`) or
read block by block straight into numpy (:mod:`indexer.index.postings`), and the
query tree becomes array operations: AND intersects masks and adds
scores, OR unites and adds, NOT removes. A very common word ("van Dijk", "minister")
costs a few array operations per block instead of Python work per document.

Scores follow Whoosh's BM25F (k1 1.2, b 0.75; field boosts are in the indexed
weights, as Whoosh stores them): ``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))``
per term, times the term's boost; prefixes, ranges and ``Every`` score a constant.
A phrase scores its words on the documents where they stand in order (positions are
decoded only for documents holding every word). Query classes without a fast path fall
back to Whoosh's own ``docs()``, still exact.
"""

from __future__ import annotations

import math
import threading
from functools import partial
from typing import Any, Callable

import numpy as np
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    Every,
    Not,
    NullQuery,
    Or,
    Phrase,
    Prefix,
    Query,
    Term,
    TermRange,
    Wildcard,
)
from whoosh.searching import Searcher

from indexer.index.compound_query import Near
from indexer.index.flat_postings import FlatPostingsSet
from indexer.index.limits import QueryBudget
from indexer.index.postings import FieldLengths, PostingsCache, phrase_docs, postings
from indexer.index.stopwords import is_marked
from indexer.index.whoosh_compat import pattern_terms

Mask = np.ndarray
Scored = tuple[np.ndarray, np.ndarray]  # (bool mask, float32 scores) over all docnums
K1, B = 1.2, 0.75
#: Whoosh's segment readers share one file position per segment file: two threads decoding
#: postings blocks at once read each other's bytes (8 concurrent prefix floods on 8,041
#: documents failed with "unsupported pickle protocol" and EOFError). Block reads take turns;
#: the flat postings (memory-mapped arrays) need no lock.
WHOOSH_BLOCKS = threading.Lock()


def live_mask(searcher: Searcher) -> Mask:
    """True for every document that is not deleted."""
    mask = np.zeros(searcher.doc_count_all(), dtype=bool)
    for leaf, offset in searcher.reader().leaf_readers():
        ids = np.fromiter(leaf.all_doc_ids(), dtype=np.int64)
        mask[ids + offset] = True
    return mask


class MaskBuilder:
    """Computes (match mask, scores) for queries over one searcher."""

    def __init__(self, searcher: Searcher, live: Mask, lengths: FieldLengths | None = None,
                 postings: PostingsCache | None = None, flat: FlatPostingsSet | None = None,
                 budget: QueryBudget | None = None) -> None:
        self.searcher = searcher
        self.budget = budget  # caps prefix expansion and time (indexer.index.limits)
        self.live = live
        self.lengths = lengths or FieldLengths(searcher)
        self.postings = postings or PostingsCache()
        self.flat = flat
        self.size = len(live)
        self.live_count = int(np.count_nonzero(live))
        self.handlers: dict[type, Callable[[Any], Scored]] = {
            Term: self._term, And: self._and, Or: self._or, Not: self._not, AndNot: self._andnot,
            AndMaybe: self._andmaybe,
            Every: lambda q: (self.live.copy(), self._constant(q.boost)), type(NullQuery): lambda q: self._empty(),
            Prefix: self._pattern, TermRange: self._expand, Wildcard: self._pattern, Phrase: self._phrase,
            Near: self._phrase,
        }

    def mask(self, query: Query) -> Mask:
        return self.scored(query)[0]

    def scored(self, query: Query) -> Scored:
        if self.budget is not None and self.budget.deadline.passed():
            return self._empty()  # over the time budget: clauses not reached match nothing
        mask, scores = self.handlers.get(type(query), self._fallback)(query)
        return mask & self.live, scores

    def _empty(self) -> Scored:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float32)

    def _constant(self, boost: float) -> np.ndarray:
        return np.full(self.size, boost, dtype=np.float32)

    def _term(self, query: Term) -> Scored:
        mask, scores = self._empty()
        ids, weights = self.postings.get((query.fieldname, query.text), lambda: self._read_postings(query))
        mask[ids] = True
        if self.searcher.schema[query.fieldname].scorable:
            scores[ids] = self._bm25(query.fieldname, ids, weights)
        else:
            scores[ids] = weights
        return mask, scores * query.boost

    def _bm25(self, fieldname: str, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """BM25 with Whoosh's idf, over the live documents only: the deleted ones a segment
        still holds until a merge must not weigh in, or the same documents would score
        differently from node to node and before and after a merge."""
        live = np.count_nonzero(self.live[ids])
        idf = math.log(self.live_count / (live + 1)) + 1
        avg_length = self.lengths.average(fieldname, self.live) or 1.0
        length = np.maximum(self.lengths(fieldname)[ids], 1.0)
        return idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * length / avg_length))

    def _read_postings(self, query: Term) -> tuple[np.ndarray, np.ndarray]:
        """A term's docnums (in the top reader's numbering) and weights, over all segments."""
        id_parts, weight_parts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.float32)]
        for leaf, offset in self.searcher.reader().leaf_readers():
            found = self._leaf_postings(leaf, query.fieldname, query.text)
            if found is not None:
                id_parts.append(found[0] + offset)
                weight_parts.append(found[1])
        return np.concatenate(id_parts), np.concatenate(weight_parts)

    def _leaf_postings(self, leaf: Any, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """From the segment's flat postings when the term is there, else decoded from Whoosh."""
        flat = self.flat.for_leaf(leaf) if self.flat else None
        if flat is not None and flat.has(fieldname, text):
            return flat.postings(fieldname, text)
        with WHOOSH_BLOCKS:
            if (fieldname, text) in leaf:
                return postings(leaf.postings(fieldname, text))
        return None

    def _and(self, query: And) -> Scored:
        mask, scores = self.live.copy(), np.zeros(self.size, dtype=np.float32)
        for child in query.subqueries:
            child_mask, child_scores = self.scored(child)
            mask &= child_mask
            scores += child_scores
            if not mask.any():
                break
        return mask, np.where(mask, scores, 0) * query.boost

    def _or(self, query: Or) -> Scored:
        mask, scores = self._empty()
        for child in query.subqueries:
            child_mask, child_scores = self.scored(child)
            mask |= child_mask
            scores += np.where(child_mask, child_scores, 0)
        return mask, scores * query.boost

    def _not(self, query: Not) -> Scored:
        return self.live & ~self.mask(query.query), np.zeros(self.size, dtype=np.float32)

    def _andmaybe(self, query: AndMaybe) -> Scored:
        """The matches of ``a``; ``b`` only adds to their scores."""
        mask, scores = self.scored(query.a)
        extra_mask, extra = self.scored(query.b)
        return mask, (scores + np.where(mask & extra_mask, extra, 0)) * query.boost

    def _andnot(self, query: AndNot) -> Scored:
        mask, scores = self.scored(query.a)
        return mask & ~self.mask(query.b), scores

    def _expand(self, query: Query) -> Scored:
        """Prefixes and ranges: the documents of the terms they stand for, constant score."""
        simple = query.simplify(self.searcher.reader())
        mask = self._fallback(query)[0] if type(simple) is type(query) else self.mask(simple)
        return mask, self._constant(query.boost)

    def _pattern(self, query: Prefix | Wildcard) -> Scored:
        """A prefix or wildcard: the documents of the index terms it stands for, as many as
        the budget allows (in term order), constant score."""
        if self.budget is None:
            return self._expand(query)
        field = self.searcher.schema[query.fieldname] if query.fieldname in self.searcher.schema else None
        if field is None:
            return self._empty()
        shown = query.text + ("*" if isinstance(query, Prefix) else "")
        btexts = self.budget.take_terms(shown, pattern_terms(query, self.searcher.reader()))
        mask = np.zeros(self.size, dtype=bool)
        for btext in btexts:  # constant score: only the docnums are needed, no BM25 per term
            if self.budget.deadline.passed():
                break
            term = Term(query.fieldname, field.from_bytes(btext))
            mask[self.postings.get((term.fieldname, term.text), partial(self._read_postings, term))[0]] = True
        return mask, self._constant(query.boost)

    def _phrase(self, query: Phrase) -> Scored:
        """Words' scores on the candidates that hold all words, kept where the words stand
        in order (within the phrase's slop)."""
        # Candidates and scores come from the phrase's content words; its stop words
        # (in nearly every document) are only looked up where the content words stand.
        content = [word for word in query.words if not is_marked(word)] or list(query.words)
        candidates, scores = self.scored(And([Term(query.fieldname, word) for word in content]))
        order = "u" if getattr(query, "unordered", False) else ""
        key = (query.fieldname, "\x00phrase:" + " ".join(query.words) + f"~{query.slop}{order}")
        docnums, _ = self.postings.get(key, lambda: self._phrase_docnums(query, candidates))
        exact = np.zeros(self.size, dtype=bool)
        exact[docnums] = True
        return exact, np.where(exact, scores, 0) * query.boost

    def _phrase_docnums(self, query: Phrase, candidates: Mask) -> tuple[np.ndarray, np.ndarray]:
        found = [np.zeros(0, dtype=np.int64)]
        for leaf, offset in self.searcher.reader().leaf_readers():
            local = np.flatnonzero(candidates[offset:offset + leaf.doc_count_all()])
            if len(local):
                flat = self.flat.for_leaf(leaf) if self.flat else None
                if flat is not None and all(flat.has(query.fieldname, word) for word in query.words):
                    found.append(phrase_docs(leaf, query, local, flat) + offset)
                    continue
                with WHOOSH_BLOCKS:
                    found.append(phrase_docs(leaf, query, local, flat) + offset)
        return np.concatenate(found), np.zeros(0, dtype=np.float32)

    def _fallback(self, query: Query) -> Scored:
        mask = np.zeros(self.size, dtype=bool)
        for sub, offset in _subsearchers(self.searcher):
            with WHOOSH_BLOCKS:
                ids = np.fromiter(query.docs(sub), dtype=np.int64)
            mask[ids + offset] = True
        return mask, self._constant(query.boost)


def _subsearchers(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return list(searcher.subsearchers) if searcher.subsearchers else [(searcher, 0)]
