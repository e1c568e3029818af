"""Where a phrase stands in a text: the character spans of its occurrences, found with
the index's own analysis, so a snippet shows and marks the phrase as one passage
instead of its words scattered over the page.

A phrase query holds index terms in order (``~in ~het kader ~van``: stop words marked).
One word of the text may stand for several positions (a compound and its parts:
``mensenhandel`` is ``mensenhandel|mens`` then ``handel``), so the text is turned into
the position stream the index holds, word by word, and the phrase is matched on that
stream within its slop, as the index matched it. Only short regions around the places
of the phrase's rarest word are analysed, so a 300-page report costs little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from indexer.index.stopwords import STOP_MARK, is_marked

REGION = 200  # characters analysed either side of a place where the phrase may stand
WORD = re.compile(r"'s-\w+(?:-\w+)*|\w+(?:[-']\w+)*")

Stream = list[tuple[frozenset[str], int, int]]  # per position: its terms, start and end of its word


@dataclass(frozen=True)
class PhraseTerms:
    """A phrase's index terms in order, and how far apart consecutive terms may be."""

    words: tuple[str, ...]
    slop: int = 1
    unordered: bool = False  # a compound's two parts close together, in either order

    def orders(self) -> tuple[tuple[str, ...], ...]:
        return (self.words, self.words[::-1]) if self.unordered else (self.words,)

    def anchors(self) -> tuple[str, ...]:
        """The terms to look for first: the content words, else (stop words only) all."""
        content = tuple(word for word in self.words if not is_marked(word))
        return content or tuple(word.removeprefix(STOP_MARK) for word in self.words)


def phrase_spans(text: str, phrase: PhraseTerms, analyzer: Any, places: Iterable[int]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of ``phrase`` near one of ``places`` (offsets of
    its rarest word), sorted."""
    spans: set[tuple[int, int]] = set()
    covered = -1
    for offset in sorted(places):
        if offset < covered - len(phrase.words) * 30:
            continue  # this place was inside the last region analysed
        low, high = _region(text, offset)
        spans.update(_spans_in(text, low, high, phrase, analyzer))
        covered = high
    return sorted(spans)


def _region(text: str, offset: int) -> tuple[int, int]:
    """A region around ``offset`` that starts and ends between words."""
    low = max(0, offset - REGION)
    low = low if low == 0 or text[low - 1].isspace() else text.find(" ", low, offset) + 1 or low
    high = min(len(text), offset + REGION)
    end = text.rfind(" ", offset, high)
    return low, (end if end > offset and high < len(text) else high)


def _spans_in(text: str, low: int, high: int, phrase: PhraseTerms, analyzer: Any) -> list[tuple[int, int]]:
    stream: Stream = []
    for match in WORD.finditer(text, low, high):
        stream += [(terms, match.start(), match.end()) for terms in positions(analyzer, match.group(0))]
    found = []
    for words in phrase.orders():
        for i, (terms, start, _) in enumerate(stream):
            if words[0] in terms and (end := _follow(stream, i, words, phrase.slop)) is not None:
                found.append((start, end))
    return found


def _follow(stream: Stream, first: int, words: tuple[str, ...], slop: int) -> int | None:
    """The end offset of the phrase ``words`` starting at position ``first``, or None."""
    at = first
    for word in words[1:]:
        following = range(at + 1, min(len(stream), at + 1 + slop))
        at = next((j for j in following if word in stream[j][0]), -1)
        if at < 0:
            return None
    return stream[at][2]


_POSITIONS: dict[tuple[int, str], tuple[frozenset[str], ...]] = {}


def positions(analyzer: Any, word: str) -> tuple[frozenset[str], ...]:
    """The index terms of one word, grouped per position (cached: words repeat)."""
    key = (id(analyzer), word)
    if key not in _POSITIONS:
        if len(_POSITIONS) > 50_000:
            _POSITIONS.clear()
        grouped: dict[int, set[str]] = {}
        for token in analyzer(word, mode="index", positions=True):
            grouped.setdefault(token.pos, set()).add(token.text)
        _POSITIONS[key] = tuple(frozenset(grouped[pos]) for pos in sorted(grouped))
    return _POSITIONS[key]
