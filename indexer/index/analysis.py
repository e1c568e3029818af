"""Text analysis recipes, composed from small Whoosh pieces (``tokenizer | filter``).

Each language has one named recipe; the index schema picks the recipe per field,
and the query parser analyses the user's words with the same recipe, so a query
term meets the indexed term in the same form. A recipe reads left to right:

1. tokenize, keeping names and identifiers whole (:mod:`indexer.index.tokenize`);
2. lowercase and fold accents (``geëvalueerd`` = ``geevalueerd``);
3. mark stop words (``~van``): indexed in place for exact phrases, left out of word
   queries (:mod:`indexer.index.stopwords`);
4. add the parts of joined tokens (``Noord-Brabant``; Dutch compounds too, see
   :mod:`indexer.index.compounds` for how index and query sides fit together);
5. Dutch: the lemma from a lexicon (:mod:`indexer.index.lemmas`: ``gezinnen`` -> ``gezin``,
   ``subsidies`` -> ``subsidie``, but ``handelingen`` stays apart from ``handel``); English
   and French: stem (Snowball via PyStemmer).

The rule-only Dutch recipe of before (``dutch_porter`` plus undoubling) stays as
:func:`dutch_stem_analyzer`: ``indexer eval`` measures it beside the lemma recipe.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
)
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

from indexer.index.compounds import PartsFilter, compound_parts, part_spans
from indexer.index.lemmas import LemmaFilter
from indexer.index.stopwords import StopMarkFilter, is_marked
from indexer.index.tokenize import NORMAL_FORMS, TOKEN_PATTERN, NormalizeFilter, dutch_tokenizer
from indexer.index.whoosh_compat import HookedStemFilter

__all__ = ["TOKEN_PATTERN", "LANGUAGE_ANALYZERS", "DEFAULT_LANGUAGE", "dutch_analyzer",
           "dutch_stem_analyzer", "english_analyzer", "french_analyzer", "identifier_analyzer", "name_analyzer"]

#: The classic Snowball Dutch algorithm. Snowball 3's newer "dutch" strips ``ge-``
#: (gezinnen -> zin, gemeenten -> meen), which merges unrelated words in this domain.
DUTCH_STEMMER = "dutch_porter"


def dutch_analyzer() -> Analyzer:
    """Dutch: tokenise, lowercase, fold accents, mark stop words, add parts and part runs, lemma.

    >>> [t.text for t in dutch_analyzer()("De gemeenten hebben het geëvalueerd", mode="query")]
    ['gemeente', 'geevalueerd']
    >>> [t.text for t in dutch_analyzer()("multiprobleemgezinnen in 's-Gravenhage", mode="index")]
    ['multiprobleemgezin', 'multi', 'probleem', 'gezin', 'multiprobleem', 'probleemgezin', '~in', "'s-gravenhage", 'gravenhage']
    >>> [(t.text, t.pos) for t in dutch_analyzer()("kinderuitbuiting", mode="query", positions=True)]
    [('kinderuitbuiting', 0), ('kinderen', 0), ('uitbuiting', 1)]
    """
    return (_words() | StopMarkFilter(_stopwords("nl")) | PartsFilter(compound_parts, part_spans)
            | LemmaFilter())


def dutch_stem_analyzer() -> Analyzer:
    """The rule-only Dutch recipe of schema 4 (``dutch_porter``, undoubled), kept for
    ``indexer eval``, which measures the lemma recipe against it in the same run.

    >>> [t.text for t in dutch_stem_analyzer()("De gemeenten en handelingen", mode="query")]
    ['gemeent', 'handel']
    """
    return (_words() | StopMarkFilter(_stopwords("nl")) | PartsFilter(compound_parts) | DutchStemFilter())


def english_analyzer() -> Analyzer:
    """English: tokenise, lowercase, fold accents, mark stop words, add parts, Porter2.

    English words are never split as compounds (nevertheless is not never|the|less).

    >>> [t.text for t in english_analyzer()("The exploitation of well-known children", mode="query")]
    ['exploit', 'well-known', 'well', 'known', 'children']
    """
    return _words() | StopMarkFilter(_stopwords("en")) | PartsFilter() | StemFilter("english")


def french_analyzer() -> Analyzer:
    """French: tokenise, lowercase, mark stop words, add parts, stem, then fold accents.

    >>> [t.text for t in french_analyzer()("L'exploitation des enfants roms", mode="query")]  # whole, part
    ['exploit', 'exploit', 'enfant', 'rom']
    """
    return (RegexTokenizer(TOKEN_PATTERN) | NormalizeFilter() | LowercaseFilter()
            | StopMarkFilter(_stopwords("fr")) | PartsFilter()
            | StemFilter("french") | CharsetFilter(accent_map))


class StemFilter(HookedStemFilter):
    """Snowball stemming (PyStemmer) that leaves marked stop words as they are: stemmed,
    ``een`` and ``en`` would both become ``~en``, and a phrase with one would find the other.

    >>> [t.text for t in (RegexTokenizer(r"\\S+") | StemFilter("english"))("children ~being")]
    ['children', '~being']
    """

    def wrap_stem(self, stem: Callable[[str], str]) -> Callable[[str], str]:
        return lambda word: word if is_marked(word) else stem(word)


class DutchStemFilter(StemFilter):
    """Snowball ``dutch_porter``, then undouble a final consonant it leaves doubled.

    The classic algorithm undoubles only kk/dd/tt, so ``gezin`` (stem gezin) would not
    meet ``gezinnen`` (stem gezinn). One cached function does both (analysis hot path).

    >>> [t.text for t in (RegexTokenizer(r"\\S+") | DutchStemFilter())("gezinnen straffen 2011 zee ~een ~en")]
    ['gezin', 'straf', '2011', 'zee', '~een', '~en']
    """

    def __init__(self, cachesize: int = 100_000) -> None:
        super().__init__(DUTCH_STEMMER, cachesize=cachesize)

    def wrap_stem(self, stem: Callable[[str], str]) -> Callable[[str], str]:
        return lru_cache(maxsize=self.cachesize)(lambda word: word if is_marked(word) else undouble(stem(word)))


def undouble(stem: str) -> str:
    """``gezinn`` -> ``gezin``; vowels, digits and short words stay.

    >>> undouble("gezinn"), undouble("zee"), undouble("2011"), undouble("capell")
    ('gezin', 'zee', '2011', 'capel')
    """
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1].isalpha() and stem[-1] not in "aeiouy":
        return stem[:-1]
    return stem


def identifier_analyzer() -> Analyzer:
    """Identifiers: split on anything but letters and digits, lowercase, keep everything.

    >>> [t.text for t in identifier_analyzer()("kst-32824-193 CAHROM(2013)13")]
    ['kst', '32824', '193', 'cahrom', '2013', '13']
    """
    return RegexTokenizer(r"[^\W_]+") | LowercaseFilter()


def name_analyzer() -> Analyzer:
    """Personal and organisation names: tokenise, lowercase, fold accents; no stemming.

    >>> [t.text for t in name_analyzer()("L.F. Asscher, Ministerie van Sociale Zaken")]
    ['l', 'f', 'asscher', 'ministerie', 'van', 'sociale', 'zaken']
    """
    return RegexTokenizer(r"[^\W_]+(?:'[^\W_]+)?") | LowercaseFilter() | CharsetFilter(accent_map)


#: language code -> analyzer recipe; the schema has one title/body field per entry.
LANGUAGE_ANALYZERS = {
    "nl": dutch_analyzer,
    "en": english_analyzer,
    "fr": french_analyzer,
}
DEFAULT_LANGUAGE = "nl"


#: Accent folding plus typographic apostrophes and no-break spaces: one translate per token.
FOLD_MAP = {**accent_map, **NORMAL_FORMS}


def _words() -> Analyzer:
    """Tokenise, lowercase, fold accents and normalise apostrophes (one pass)."""
    return dutch_tokenizer() | LowercaseFilter() | CharsetFilter(FOLD_MAP)


def _stopwords(lang: str) -> frozenset[str]:
    return frozenset(stopwords_for_language(lang))
