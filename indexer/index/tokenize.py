"""The tokenizer shared by every language recipe, and how a token divides into segments.

Names and identifiers stay one token: ``'s-Gravenhage``, ``D66``, ``F-35``,
``kst-32824-193``, ``2016/17``, and a number grouped by spaces (``32 824``, as
Kamerstuk dossiers are written) is one token, indexed as ``32824``. :func:`segments` then says
which pieces of such a token are worth indexing too (``Noord-Brabant`` -> ``noord``,
``brabant``), so the parts filter (:mod:`indexer.index.compounds`) can emit them.

>>> [t.text for t in dutch_tokenizer()("Kamerstuk 32 824 (2016/17) over F-35 en D66 in 's-Gravenhage")]
['Kamerstuk', '32 824', '2016/17', 'over', 'F-35', 'en', 'D66', 'in', "'s-Gravenhage"]
"""

from __future__ import annotations

import re

from whoosh.analysis import Filter, RegexTokenizer, Token, Tokenizer

#: Space-grouped numbers ("32 824", "2 500 000"); plain or narrow no-break spaces too.
_GROUPED_NUMBER = r"\b\d{1,3}(?:[ \u00a0\u202f]\d{3})+\b"
#: Numbers joined by slashes (session years 2016/17, dates 14/04/2015).
_SLASHED_NUMBER = r"\d+(?:/\d+)+"
#: Words with inner hyphens/apostrophes, optionally after a "'s-" ('s-Gravenhage, auto's).
_WORD = r"(?:['\u2019]s-)?\w+(?:[-'\u2019]\w+)*"
TOKEN_PATTERN = f"{_GROUPED_NUMBER}|{_SLASHED_NUMBER}|{_WORD}"

NORMAL_FORMS = str.maketrans({"\u2019": "'", "\u00a0": " ", "\u202f": " "})
_SEPARATORS = re.compile(r"[-'/ ]+")
#: A segment is indexed when it is a number or a word of at least this many letters.
MIN_SEGMENT_LETTERS = 2
#: letters-only pieces of an identifier indexed on their own from this length (not kst, nr)
MIN_WORD_IN_IDENTIFIER = 5


def dutch_tokenizer() -> Tokenizer:
    """The regex tokenizer; :class:`NormalizeFilter` must follow it."""
    return RegexTokenizer(TOKEN_PATTERN)


class NormalizeFilter(Filter):
    """Typographic apostrophes to ``'``, no-break spaces in grouped numbers to plain ones.

    >>> [t.text for t in (dutch_tokenizer() | NormalizeFilter())("’s-Gravenhage 32\u00a0824")]
    ["'s-Gravenhage", '32 824']
    """

    def __call__(self, tokens: list[Token]):  # type: ignore[override]
        for token in tokens:
            token.text = token.text.translate(NORMAL_FORMS)
            yield token


def segments(text: str) -> tuple[str, ...]:
    """The pieces of a joined token worth indexing on their own; () when it has none.

    Tokens mixing letters and digits (D66, F-35, kst-32824-193) are identifiers and stay
    whole, except for words of five letters or more in them (F4-vuurwerk); letters-only and digits-only tokens divide at hyphens, apostrophes and slashes.
    Grouped numbers divide at their spaces.

    >>> segments("noord-brabant"), segments("'s-gravenhage"), segments("auto's")
    (('noord', 'brabant'), ('gravenhage',), ('auto',))
    >>> segments("f-35"), segments("d66"), segments("2016/17"), segments("gezin")
    ((), (), ('2016', '17'), ())
    >>> segments("f4-vuurwerk"), segments("kst-32824-193"), segments("covid-19")
    (('vuurwerk',), (), ('covid',))
    >>> segments("32 824")
    ('32', '824')
    """
    if not _SEPARATORS.search(text):
        return ()
    pieces = [piece for piece in _SEPARATORS.split(text) if piece]
    if any(ch.isdigit() for ch in text) and not all(piece.isdigit() for piece in pieces):
        # an identifier stays whole, but a real word in it is a word too (F4-vuurwerk)
        words = tuple(piece for piece in pieces if piece.isalpha() and len(piece) >= MIN_WORD_IN_IDENTIFIER)
        return words if words and len(pieces) > 1 else ()
    return tuple(piece for piece in pieces if piece.isdigit() or len(piece) >= MIN_SEGMENT_LETTERS)
