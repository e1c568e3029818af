"""Stop words: left out of word queries, kept in place for phrases.

A query for ``kader`` should not have to match ``in``, ``het`` and ``van`` too, and
those words should not weigh in a document's score. But a quoted phrase is a promise
of exact wording: ``"in het kader van"`` must not find "in dat kader", nor ``"Raad van
State"`` "Raad en Staten". So a stop word is indexed where it stands, as a marked term
(``~van``) that no word query asks for, and a phrase query asks for the marked terms
at their positions. Marked terms are kept out of highlighting and more-like-this; the
flat postings file holds them like any frequent term, so a phrase reads the positions
of "van" as arrays (at 100,000 documents: 14–120 ms instead of 0.13–1.4 s, for
+50 MB).

>>> from whoosh.analysis import RegexTokenizer, LowercaseFilter
>>> chain = RegexTokenizer() | LowercaseFilter() | StopMarkFilter(frozenset({"in", "het", "van"}))
>>> [(t.text, t.pos) for t in chain("In het kader van", positions=True, mode="index")]
[('~in', 0), ('~het', 1), ('kader', 2), ('~van', 3)]
>>> [t.text for t in chain("In het kader van", mode="query")]
['kader']
>>> [t.text for t in chain("In het kader van", mode="query", phrase=True)]
['~in', '~het', 'kader', '~van']
"""

from __future__ import annotations

from typing import Iterator

from whoosh.analysis import Filter, Token

STOP_MARK = "~"  # no token the tokenizer makes starts with it


def is_marked(term: str) -> bool:
    """True for a stop word's indexed term."""
    return term.startswith(STOP_MARK)


class StopMarkFilter(Filter):
    """Stop words become marked terms in place (indexing and phrase queries); other
    queries drop them, or keep them unmarked and stopped when asked not to remove stops
    (as Whoosh's StopFilter does, for prefixes like ``van*``)."""

    def __init__(self, stoplist: frozenset[str]) -> None:
        self.stops = stoplist

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            if token.text not in self.stops:
                yield token
            elif token.mode != "query" or getattr(token, "phrase", False):
                token.text = STOP_MARK + token.text
                yield token
            elif not token.removestops:
                token.stopped = True
                yield token
