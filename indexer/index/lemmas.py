"""Dutch inflection: a word to its lemma, from a lexicon (not a stemmer), as a filter.

A stemmer cuts suffixes by rule, derivational ones too: ``dutch_porter`` takes
``handelingen`` to ``handel``, ``hoeveelheden`` to ``hoeveel`` and leaves ``subsidie`` and
``subsidies`` apart. Here a word meets only the forms of its own lemma, as OpenTaal's
Hunspell dictionary generates them (plurals, diminutives, adjective and verb endings; see
scripts/build_lemma_table.py, which writes indexer/data/nl_lemmas.tsv.gz). The table
lists only forms whose lemma is another word; a word not in it is its own lemma. A
compound the table does not know takes the lemma of its last part
(``multiprobleemgezinnen`` -> ``multiprobleemgezin``). Measured against the stemmer on the gold list
tests/fixtures/analysis/lemma_pairs.tsv (see docs/analysis.md).

>>> [lemma(w) for w in ("gezinnen", "subsidies", "moties", "beslissingen", "handelingen", "gemeenten")]
['gezin', 'subsidie', 'motie', 'beslissing', 'handeling', 'gemeente']
>>> lemma("multiprobleemgezinnen"), lemma("~van"), lemma("2011")
('multiprobleemgezin', '~van', '2011')
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from whoosh.analysis import Filter, Token

from indexer.index.compounds import CACHE_SIZE, data_pairs, split_compound
from indexer.index.stopwords import is_marked

LEMMA_FILE = "data/nl_lemmas.tsv.gz"


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """Folded form -> lemma, for the forms whose lemma is another word (loaded once)."""
    return dict(data_pairs(LEMMA_FILE))


@lru_cache(maxsize=CACHE_SIZE)
def lemma(word: str) -> str:
    """The lemma of a folded Dutch word; the word itself when it has no other."""
    if is_marked(word) or not word.isalpha():
        return word
    found = lemma_table().get(word)
    if found is not None:
        return found
    parts = split_compound(word)
    if len(parts) < 2:
        return word
    head = lemma_table().get(parts[-1])
    return word[: len(word) - len(parts[-1])] + head if head else word


class LemmaFilter(Filter):
    """Replace each token's text by its lemma (marked stop words stay as they are).

    >>> from whoosh.analysis import RegexTokenizer
    >>> [t.text for t in (RegexTokenizer(r"\\S+") | LemmaFilter())("kinderen gezinnen ~een handelingen")]
    ['kinderen', 'gezin', '~een', 'handeling']
    >>> lemma("groot") == lemma("grote"), lemma("hoeveel") == lemma("hoeveelheden")
    (True, False)
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            token.text = lemma(token.text)
            yield token
