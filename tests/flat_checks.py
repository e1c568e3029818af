"""Shared check of the flat-postings tests: a term's flat postings and positions against
Whoosh's own blocks of the same segment."""

from __future__ import annotations

from typing import Any

import numpy as np

from indexer.index import flat_postings as fp
from indexer.index.postings import _positions, postings


def same_as_whoosh(flat: fp.FlatPostings, leaf: Any, fieldname: str, text: str) -> tuple[np.ndarray, Any]:
    """Assert the flat docnums, weights and positions of ``text`` are Whoosh's; return
    (docnums, Whoosh's positions) for further checks."""
    fmt = leaf.schema[fieldname].format
    docs, weights = postings(leaf.postings(fieldname, text))
    flat_docs, flat_weights = flat.postings(fieldname, text)
    assert np.array_equal(docs, flat_docs) and np.array_equal(weights, flat_weights), text
    expected = _positions(leaf.postings(fieldname, text), docs, fmt)
    found = flat.positions(fieldname, text, docs)
    assert all(np.array_equal(a, b) for a, b in zip(expected, found, strict=True)), text
    return docs, expected
