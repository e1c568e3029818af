"""Membership and distinct values on sorted numpy arrays, without hashing or sorting.

Phrase matching works on ``docnum << 32 | position`` keys that come sorted (postings
are in docnum order, positions ascending); a common phrase has millions of them, and
``np.isin``/``np.unique`` would sort or hash them again each time.
"""

from __future__ import annotations

import numpy as np


def sorted_member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """``np.isin`` for a sorted second array, by binary search (no hashing or sorting:
    position keys come sorted, and a common phrase has millions of them).

    >>> sorted_member(np.asarray([1, 4, 9]), np.asarray([0, 4, 8])).tolist()
    [False, True, False]
    """
    if not len(sorted_keys):
        return np.zeros(len(values), dtype=bool)
    index = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[index] == values


def docs_of(keys: np.ndarray) -> np.ndarray:
    """The distinct docnums of sorted ``docnum << 32 | position`` keys."""
    docs = keys >> 32
    return docs[np.concatenate(([True], docs[1:] != docs[:-1]))] if len(docs) else docs
