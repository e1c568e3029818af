"""Join words hyphenated at line ends, keep real hyphens.

``criminali-⏎teit`` becomes ``criminaliteit``; ``Noord-⏎Brabant``, ``'s-⏎Gravenhage``,
``hbo-⏎opleiding`` (vowel clash, Dutch spelling writes the hyphen) and ``e-⏎mail``
keep their hyphen. The decision for the rest: the joined word is a known Dutch word,
or, failing that, a lowercase continuation (typesetters break far more words than
authors write hyphenated compounds at a line end).
"""

from __future__ import annotations

import re

from indexer.extract.wordlist import dutch_words

#: L- ⏎ R…: a word, a hyphen-like mark at the line end, the first word on the next line
_BREAK = re.compile(
    r"(?P<left>[^\W\d_][\w'’]*)(?P<mark>[-\u00ad\ufffe])[ \t]*\n[ \t]*"
    r"(?P<right>[^\W_][\w]*)(?P<tail>\S*)[ \t]*\n?"
)
#: prefixes Dutch always writes with a hyphen (niet-leden, ex-minister, oud-voorzitter)
HYPHEN_PREFIXES = {"niet", "ex", "oud", "vice", "non"}
#: a hyphen before a conjunction is an elided compound part: "bron- en contactonderzoek"
CONJUNCTIONS = {"en", "of", "tot", "dan", "noch", "and", "or"}
#: vowel pairs that would merge into one sound if written together (Dutch hyphen rule)
_CLASH = {"aa", "ae", "ai", "au", "ee", "ei", "eu", "ie", "ii", "oe", "oi", "oo", "ou", "ui", "uu", "ij"}


def keep_hyphen(left: str, right: str, mark: str = "-") -> bool:
    """Whether ``left-`` + ``right`` is a real hyphenated word rather than a break."""
    if mark == "\u00ad":
        return False  # a soft hyphen is always a typesetting break
    if right[0].isupper() or right[0].isdigit():
        return True  # Noord-Brabant, 's-Gravenhage, Zuid-Holland, COVID-19
    if left.lower().endswith(("'s", "’s")) or len(left) == 1 or left.isupper():
        return True  # 's-avonds, e-mail, ICT-systeem
    if left.lower() in HYPHEN_PREFIXES:
        return True
    joined = (left + right).lower()
    words = dutch_words()
    if joined in words:
        return False
    if (left[-1] + right[0]).lower() in _CLASH:
        return True  # hbo-opleiding, zee-eend, multi-etnisch
    return False


def dehyphenate(text: str) -> str:
    """Apply :func:`keep_hyphen` to every line-end break in ``text``."""

    def join(match: re.Match[str]) -> str:
        left, right, mark = match["left"], match["right"], match["mark"]
        if right.lower() in CONJUNCTIONS and mark != "\u00ad":
            return f"{left}- {right}{match['tail']}\n"
        glue = "-" if keep_hyphen(left, right, mark) else ""
        return f"{left}{glue}{right}{match['tail']}\n"

    return _BREAK.sub(join, text)
