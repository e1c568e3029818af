"""Text analysis recipes, composed from small Whoosh pieces (``tokenizer | filter``).

Each language has one named recipe; the index schema picks the recipe per field,
and the query parser analyses the user's words with the same recipe, so a query
term meets the indexed term in the same form.
"""

from __future__ import annotations

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    PyStemmerFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

#: Words, numbers and names with inner hyphens/apostrophes ('s-Gravenhage, D66, F-35).
TOKEN_PATTERN = r"'s-\w+(?:-\w+)*|\w+(?:[-']\w+)*"

#: The classic Snowball Dutch algorithm. Snowball 3's newer "dutch" strips ``ge-``
#: (gezinnen -> zin, gemeenten -> meen), which merges unrelated words in this domain.
DUTCH_STEMMER = "dutch_porter"


def dutch_analyzer() -> Analyzer:
    """Dutch: tokenise, lowercase, fold accents, drop stop words, stem (dutch_porter).

    >>> [t.text for t in dutch_analyzer()("De gemeenten hebben het geëvalueerd")]
    ['gemeent', 'geevalueerd']
    >>> [t.text for t in dutch_analyzer()("multiprobleemgezinnen in 's-Gravenhage")]
    ['multiprobleemgezinn', "'s-gravenhag"]
    """
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(stoplist=_stopwords("nl"), minsize=1)
            | PyStemmerFilter(DUTCH_STEMMER))


def english_analyzer() -> Analyzer:
    """English: tokenise, lowercase, fold accents, drop stop words, Porter2 stemming.

    >>> [t.text for t in english_analyzer()("The exploitation of children")]
    ['exploit', 'children']
    """
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter(stoplist=_stopwords("en"), minsize=1) | PyStemmerFilter("english"))


def french_analyzer() -> Analyzer:
    """French: tokenise, lowercase, drop stop words, stem, then fold accents.

    >>> [t.text for t in french_analyzer()("L'exploitation des enfants roms")]
    ['exploit', 'enfant', 'rom']
    """
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()
            | StopFilter(stoplist=_stopwords("fr"), minsize=1) | PyStemmerFilter("french")
            | CharsetFilter(accent_map))


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


def _stopwords(lang: str) -> frozenset[str]:
    return frozenset(stopwords_for_language(lang))
