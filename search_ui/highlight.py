"""Query terms marked in a document's full text (the document page).

The backend marks terms only in snippets, so the page does its own, simpler matching:
a word is marked when its Snowball stem equals a query word's stem (``gezinnen`` for
``gezin``), when it starts with such a stem of four letters or more (``kind`` marks
``kinderen``), or when it starts with a prefix query (``uitbuit*``). Text is escaped here;
only the ``<mark>`` tags are markup.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from markupsafe import Markup, escape

STEMMER_LANGUAGES = {"nl": "dutch", "en": "english", "fr": "french", "de": "german"}
WORD = re.compile(r"\w+", re.UNICODE)
OPERATORS = {"and", "or", "not", "en", "of"}
MAX_TERMS = 30
MIN_PREFIX_STEM = 4


def fold(word: str) -> str:
    """Lowercase without accents: ``Geëvalueerd`` -> ``geevalueerd``."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8)
def stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMER_LANGUAGES.get(lang, "dutch"))


def query_terms(query: str, lang: str = "nl") -> tuple[frozenset[str], tuple[str, ...]]:
    """(stems, prefixes) to mark for ``query``; excluded words (``-x``) and fields are skipped.

    >>> stems, prefixes = query_terms('uitbuiting -roma "Roma kinderen" dossier:32824 uitbuit*')
    >>> sorted(stems), prefixes
    (['kinder', 'roma', 'uitbuit'], ('uitbuit',))
    """
    stems: set[str] = set()
    prefixes: list[str] = []
    for token in re.findall(r'-?[\w:*"]+', query)[:MAX_TERMS]:
        if token.startswith("-") or ":" in token:
            continue
        word = token.strip('"')
        if word.endswith("*") and len(word) > 2:
            prefixes.append(fold(word.rstrip("*")))
        elif word.lower() not in OPERATORS and WORD.fullmatch(word):
            stems.add(stemmer(lang).stemWord(fold(word)))
    return frozenset(stems), tuple(prefixes)


def mark_terms(text: str, query: str, lang: str = "nl") -> Markup:
    """``text`` escaped, with ``<mark>`` around the words the query matches."""
    stems, prefixes = query_terms(query, lang)
    if not stems and not prefixes:
        return escape(text)
    stem = stemmer(lang)
    starts = prefixes + tuple(s for s in stems if len(s) >= MIN_PREFIX_STEM) or ("\0",)
    parts: list[str] = []
    last = 0
    for match in WORD.finditer(text):
        folded = fold(match.group())
        if folded.startswith(starts) or stem.stemWord(folded) in stems:
            parts.append(escape(text[last:match.start()]))
            parts.append(Markup("<mark>%s</mark>") % match.group())
            last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
