"""The order of a result list: by score or by date, ties broken the same way on every node.

A docnum is where a document happens to sit in one index: it depends on the order the
documents arrived in, on which commits wrote them and on which segments were merged.
Two search nodes following the same catalogue (or an index rebuilt from the same
documents) hold the same documents under different docnums, so a list whose ties fall
back on docnums differs between them, and a load balancer would show a user two orders
for one query. Equal scores are common: Whoosh keeps one byte per field length, so two
motions with the same term frequency and similar lengths score exactly alike.

Here the keys are what the documents themselves carry: the score (or date rank), then
for relevance the date (newest first), and last the document id, which is unique. Ids are
read only for documents that are still tied after the other keys, and only among the
first ``limit`` (ties at the cut included), so a page of ten costs a few lookups.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

#: docnums -> their document ids (strings), in the same order
IdsOf = Callable[[np.ndarray], Sequence[str]]
#: docnums -> a key (ascending) for each, in the same order
KeyOf = Callable[[np.ndarray], np.ndarray]


def ordered(docnums: np.ndarray, key: np.ndarray, ids_of: IdsOf, limit: int | None = None,
            then: Sequence[KeyOf] = ()) -> np.ndarray:
    """The first ``limit`` (all when None) of ``docnums`` by ``key`` (indexed like
    ``docnums``, ascending); ties by the keys ``then`` gives, in turn, and last by id.
    The tie-breaking keys are asked only for the documents still tied.

    >>> ids = {0: "b", 1: "a", 2: "c"}
    >>> ordered(np.array([0, 1, 2]), np.array([1.0, 1.0, 0.5]), lambda d: [ids[n] for n in d]).tolist()
    [2, 1, 0]
    >>> ordered(np.array([0, 1, 2]), np.array([1.0, 1.0, 0.5]), lambda d: [ids[n] for n in d], 2).tolist()
    [2, 1]
    >>> ordered(np.array([0, 1, 2]), np.array([1.0, 1.0, 0.5]), lambda d: [ids[n] for n in d],
    ...         then=[lambda d: d]).tolist()
    [2, 0, 1]
    """
    if limit is not None and limit < len(docnums):
        # only what has at most the limit-th smallest key can be listed (ties at the cut kept)
        kept = key <= np.partition(key, limit - 1)[limit - 1]
        docnums, key = docnums[kept], key[kept]
    order = np.lexsort((docnums, key))
    docnums, key = docnums[order], key[order]
    tied = _tied(key)
    if tied.any():
        subset = docnums[tied]
        breakers = [*(key_of(subset) for key_of in then), _ranks(ids_of(subset))]
        columns = []
        for values in breakers:
            column = np.zeros(len(docnums), dtype=values.dtype)
            column[tied] = values
            columns.append(column)
        docnums = docnums[np.lexsort([*reversed(columns), key])]
    return docnums[:limit]


def by_score(docnums: np.ndarray, scores: np.ndarray, newest_first: KeyOf, ids_of: IdsOf,
             limit: int | None = None) -> np.ndarray:
    """``docnums`` by descending score (``scores`` indexed by docnum), then newest first
    (``newest_first`` gives a rank, lower is newer), then by id."""
    return ordered(docnums, -scores[docnums], ids_of, limit, then=(newest_first,))


def _tied(key: np.ndarray) -> np.ndarray:
    """True for every element of the sorted ``key`` equal to a neighbour."""
    same = key[1:] == key[:-1]
    tied = np.zeros(len(key), dtype=bool)
    tied[1:] |= same
    tied[:-1] |= same
    return tied


def _ranks(ids: Sequence[str]) -> np.ndarray:
    """Each id's rank among ``ids`` in string order.

    >>> _ranks(["kst-2", "kst-10", "ah-1"]).tolist()
    [2, 1, 0]
    """
    order = sorted(range(len(ids)), key=ids.__getitem__)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    return rank
