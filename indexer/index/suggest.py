""""Bedoelde u …?": spelling suggestions from the index's own vocabulary.

Candidates come from the unstemmed ``spell`` field, so a suggestion is a word that
really occurs in the documents (``gemeenten``, never the stem ``gemeent``). A query
word is corrected only when it does not occur at all; among the words within one or
two edits the closest wins, then the most frequent. A suggestion is offered only when
it finds more documents than the query as typed.
"""

from __future__ import annotations

import re
from typing import Callable

from whoosh.searching import Searcher
from whoosh.support.levenshtein import damerau_levenshtein

from indexer.index.query import SPELL_FIELD

WORD = re.compile(r"(?<![\w:*\"-])[^\W\d_]{3,}(?![\w:*-])")  # plain words, not field:value or pref*
OPERATORS = frozenset({"OR", "OF", "AND", "EN", "NOT", "NIET"})
MIN_FREQUENCY = 2  # a candidate must occur in this many documents (OCR noise occurs once)


def suggest(searcher: Searcher, text: str, total: int, count: Callable[[str], int]) -> str:
    """The corrected query, or "" when every word is known or nothing better is found."""
    if SPELL_FIELD not in searcher.schema:
        return ""
    corrected, changed = text, False
    for match in reversed(list(WORD.finditer(text))):
        word = match.group(0)
        if word in OPERATORS or searcher.doc_frequency(SPELL_FIELD, word.lower()):
            continue
        better = best_correction(searcher, word.lower())
        if better:
            corrected = corrected[:match.start()] + better + corrected[match.end():]
            changed = True
    if not changed or count(corrected) <= total:
        return ""
    return corrected


def best_correction(searcher: Searcher, word: str) -> str:
    """The closest, then most frequent, vocabulary word within 1 (short words) or 2 edits."""
    maxdist = 1 if len(word) <= 5 else 2
    reader = searcher.reader()
    ranked = []
    for candidate in reader.terms_within(SPELL_FIELD, word, maxdist, prefix=1):
        frequency = reader.doc_frequency(SPELL_FIELD, candidate)
        if frequency >= MIN_FREQUENCY and candidate.isalpha():
            ranked.append((damerau_levenshtein(word, candidate), -frequency, candidate))
    return min(ranked)[2] if ranked else ""
