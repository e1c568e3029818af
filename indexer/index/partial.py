"""Partial results: no dead end when an all-words query finds (almost) nothing.

A query of plain words means "documents holding every word". When fewer than
:data:`PARTIAL_BELOW` documents (after the filters) hold them all, the list goes on
with the documents that hold the most of the words, ranked by how many they hold,
then by score, and every hit says which words it lacks ("Ontbreekt: subsidie"), the
way large web search engines do. A document must hold at least half of the words
(rounded up): for a long query, one shared common word is not a useful match.

Only plain words fall back. A quoted phrase, ``OR``, ``-word``, ``field:value``, a
``prefix*``, a group or an identifier (``kst-32824-193``, which names one document)
keeps its strict meaning: whoever wrote an operator asked for exactly that. Stop words
("de", "van") are not query words here, as they are not in the all-words query.

Each word's clause is built by the same query builder as the all-words query, so a
word matches here exactly as it does there (stems, compounds, every language's
fields); a document holding all of them is a complete match and comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from whoosh.fields import Schema
from whoosh.query import And, Query

from indexer.index.identifiers import identifier_keys
from indexer.index.query import QueryBuilder
from indexer.index.query_syntax import parse_nodes

#: fewer complete matches than this (0, 1 or 2) and the list goes on with partial ones
PARTIAL_BELOW = 3

Scorer = Callable[[Query], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class QueryWord:
    """One word of an all-words query: as the user typed it, and its clause."""

    text: str
    query: Query


@dataclass(frozen=True)
class PartialMatches:
    """Every listed document with how many query words it holds and which."""

    words: tuple[QueryWord, ...]
    held: tuple[np.ndarray, ...]  # per word: bool mask over docnums
    matched: np.ndarray  # per docnum: how many words it holds
    scores: np.ndarray  # per docnum: the sum of its words' scores
    docnums: np.ndarray  # the listed documents (holding at least ``minimum`` words)

    def missing(self, docnum: int) -> tuple[str, ...]:
        """The words (as typed) that document ``docnum`` lacks."""
        return tuple(word.text for word, mask in zip(self.words, self.held, strict=True) if not mask[docnum])

    def held_query(self, docnum: int) -> Query:
        """The clauses of the words document ``docnum`` holds: what its snippet marks (a
        lacking word's stems or parts found elsewhere in it are no match)."""
        clauses = [word.query for word, mask in zip(self.words, self.held, strict=True) if mask[docnum]]
        return clauses[0] if len(clauses) == 1 else And(clauses)


def query_words(schema: Schema, text: str) -> tuple[QueryWord, ...]:
    """The words of ``text`` when it is a plain all-words query of two or more words
    (stop words left out); () when it is anything else."""
    nodes = parse_nodes(text)
    if not nodes or identifier_keys(text) or any(n.kind != "word" or n.negated for n in nodes):
        return ()
    builder = QueryBuilder(schema)
    words: dict[str, QueryWord] = {}
    for node in nodes:
        clause = builder.node(node)
        if clause is not None:  # None: a stop word, not part of the all-words query either
            words.setdefault(node.text.lower(), QueryWord(node.text, clause))
    return tuple(words.values()) if len(words) > 1 else ()


def minimum_words(count: int) -> int:
    """Words a partial match must hold: half of them, rounded up.

    >>> [minimum_words(n) for n in (2, 3, 4, 5)]
    [1, 2, 2, 3]
    """
    return max(1, -(-count // 2))


def partial_matches(scored: Scorer, words: tuple[QueryWord, ...], allowed: np.ndarray | bool,
                    complete: np.ndarray) -> PartialMatches:
    """Per document the words it holds and their summed scores, within ``allowed``.
    ``complete`` (the all-words query's matches) count as holding every word, whatever
    the single words say: the all-words query has the last word on what is complete."""
    found = [scored(word.query) for word in words]
    held = tuple((mask & allowed) | complete for mask, _ in found)
    scores = np.asarray(np.sum([np.where(mask, score, 0) for mask, score in found], axis=0, dtype=np.float32))
    matched = np.asarray(np.sum(held, axis=0, dtype=np.int32))
    docnums = np.flatnonzero(matched >= minimum_words(len(words)))
    return PartialMatches(words, held, matched, scores, docnums)


def ranked(partial: PartialMatches, ordered: np.ndarray) -> np.ndarray:
    """``ordered`` docnums (by score or by date) regrouped by how many words they hold,
    most first; the order within a group is kept."""
    keep = np.argsort(-partial.matched[ordered], kind="stable")
    return ordered[keep]
