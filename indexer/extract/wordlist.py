"""The Dutch word set used to decide line-end hyphenation (package data, loaded once).

Built by ``scripts/build_wordlist.py`` from wordfreq; shipped as
``indexer/data/nl_words.txt.gz``. Missing data degrades to an empty set (every
lowercase line-end hyphen then joins), never to an error.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def dutch_words() -> frozenset[str]:
    try:
        data = resources.files("indexer").joinpath("data/nl_words.txt.gz").read_bytes()
    except (FileNotFoundError, OSError):
        return frozenset()
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))
