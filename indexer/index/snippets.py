"""Snippets: the best passages of a document with the query's terms marked, and the
page they are on (pages are joined by form feeds in the stored text).

Only the hits of the shown result page get snippets, and the work per document stays
small even for a 300-page report: candidate places are found with a cheap scan for
the query terms (an index term is, nearly always, a prefix of the words it came
from), windows around them are scored by how many *distinct* terms they hold, and
only the one or two chosen windows are analysed to mark the words that really match.
Fragments stay within one page and are cut at word boundaries.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from whoosh.fields import Schema
from whoosh.query import Not, Prefix, Query

from indexer.index.schema import text_language
from indexer.index.stopwords import is_marked
from indexer.model import Document

SNIPPET_CHARS = 240
FRAGMENTS = 2
WINDOW = 150  # characters of one fragment
LEAD = 50  # characters of context before the first matched term
MAX_TEXT = 400_000  # long reports: look for passages in the first 400k characters
MAX_PLACES = 300  # occurrences per term considered
WORD = re.compile(r"'s-\w+(?:-\w+)*|\w+(?:[-']\w+)*")


@dataclass(frozen=True)
class Wanted:
    """What the query asks to see marked: index terms, surface words, prefixes."""

    stems: frozenset[str]
    words: frozenset[str]
    prefixes: tuple[str, ...]

    def probes(self) -> set[str]:
        """Strings to scan for: a stem minus its last letter covers English "polici"."""
        probes = {s[:-1] if len(s) > 4 else s for s in self.stems}
        return {p for p in probes | set(self.words) | set(self.prefixes) if len(p) >= 2}


def make_snippet(schema: Schema, doc: Document, query: Query) -> tuple[str, int | None]:
    """HTML snippet and its 1-based page, or the document's opening when nothing matches."""
    text = doc.body[:MAX_TEXT]
    lang = text_language(doc)
    wanted = wanted_terms(query, (f"body_{lang}", f"title_{lang}"))
    analyzer = schema[f"body_{lang}"].analyzer
    windows = best_windows(text, wanted) if wanted.probes() else []
    marked = [(start, frag) for start, end in windows if (frag := _mark(text, start, end, wanted, analyzer))]
    if not marked:
        return html.escape(_opening(doc)), None
    return " ".join(frag for _, frag in marked), text.count("\f", 0, marked[0][0]) + 1


def wanted_terms(query: Query, fields: tuple[str, ...]) -> Wanted:
    negated = {term for q in _walk(query) if isinstance(q, Not) for term in q.iter_all_terms()}
    stems, words = set(), set()
    for fieldname, value in query.iter_all_terms(phrases=True):
        if (fieldname, value) in negated:
            continue
        text = value.decode("utf-8") if isinstance(value, bytes) else str(value)
        if is_marked(text):
            continue  # a phrase's stop words: marking every "van" on the page helps no one
        if fieldname in fields:
            stems.add(text)
        elif fieldname == "spell":
            words.add(text)
    prefixes = tuple(q.text for q in _walk(query) if isinstance(q, Prefix) and q.fieldname in (*fields, "spell"))
    return Wanted(frozenset(stems), frozenset(words), prefixes)


def _walk(query: Query) -> Iterator[Query]:
    yield query
    for child in query.children():
        yield from _walk(child)


def best_windows(text: str, wanted: Wanted) -> list[tuple[int, int]]:
    """Up to FRAGMENTS non-overlapping (start, end) windows, best (most distinct terms) first."""
    places = _places(text, wanted.probes())
    scored = []
    for i, (offset, _) in enumerate(places):
        inside = [probe for o, probe in places[i:i + 40] if o < offset + WINDOW - LEAD]
        scored.append((len(set(inside)) * 10 + len(inside), -offset))
    chosen: list[tuple[int, int]] = []
    for _, neg_offset in sorted(scored, reverse=True):
        window = _page_window(text, -neg_offset)
        if all(window[1] <= s or window[0] >= e for s, e in chosen):
            chosen.append(window)
        if len(chosen) == FRAGMENTS:
            break
    return sorted(chosen)


def _places(text: str, probes: set[str]) -> list[tuple[int, str]]:
    places = []
    for probe in probes:
        for count, match in enumerate(_probe_pattern(probe).finditer(text)):
            if count >= MAX_PLACES:
                break
            places.append((match.start(), probe))
    return sorted(places)


def _page_window(text: str, offset: int) -> tuple[int, int]:
    """A window around ``offset`` that stays on its page."""
    page_start = text.rfind("\f", 0, offset) + 1
    page_end = text.find("\f", offset)
    page_end = len(text) if page_end < 0 else page_end
    start = max(page_start, offset - LEAD)
    return start, min(page_end, start + WINDOW)


def _mark(text: str, start: int, end: int, wanted: Wanted, analyzer: Any) -> str:
    """The window cut at word boundaries, escaped, matched words in ``<mark>``; "" when
    no word in it really matches."""
    start, end = _word_bounds(text, start, end)
    fragment = text[start:end]
    parts, last, marked = [], 0, False
    for match in WORD.finditer(fragment):
        if _matches(match.group(0), wanted, analyzer):
            parts.append(html.escape(fragment[last:match.start()]))
            parts.append(f"<mark>{html.escape(match.group(0))}</mark>")
            last, marked = match.end(), True
    if not marked:
        return ""
    parts.append(html.escape(fragment[last:]))
    body = " ".join("".join(parts).split())
    return ("…" if start > 0 and text[start - 1] != "\f" else "") + body + ("…" if end < len(text) else "")


def mark_pages(schema: Schema, doc: Document, query: Query) -> list[str]:
    """Every page of ``doc`` as escaped HTML with ``<mark>`` around the words the query
    matches, decided by the index's own analysis (stems, compound parts, prefixes)."""
    lang = text_language(doc)
    wanted = wanted_terms(query, (f"body_{lang}", f"title_{lang}"))
    probes = wanted.probes()
    analyzer = schema[f"body_{lang}"].analyzer
    return [_mark_all(page, wanted, probes, analyzer) for page in doc.pages]


def _mark_all(text: str, wanted: Wanted, probes: set[str], analyzer: Any) -> str:
    parts, last = [], 0
    for match in WORD.finditer(text[:MAX_TEXT] if probes else ""):
        word = match.group(0)
        # Only words holding a probe can match (an index term is nearly always a prefix
        # of the word it came from, or of one of its compound parts): analyse just those.
        if any(probe in fold(word.lower()) for probe in probes) and _matches(word, wanted, analyzer):
            parts.append(html.escape(text[last:match.start()]))
            parts.append(f"<mark>{html.escape(word)}</mark>")
            last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, start + 30)
        start = space + 1 if space >= 0 else start
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", max(start, end - 30), end)
        end = space if space > start else end
    return start, end


def _matches(word: str, wanted: Wanted, analyzer: Any) -> bool:
    lower = word.lower()
    if lower in wanted.words or any(fold(lower).startswith(p) for p in wanted.prefixes):
        return True
    return bool(_analysed(analyzer, word) & wanted.stems)


_ANALYSED: dict[tuple[int, str], frozenset[str]] = {}


def _analysed(analyzer: Any, word: str) -> frozenset[str]:
    key = (id(analyzer), word)
    if key not in _ANALYSED:
        if len(_ANALYSED) > 50_000:
            _ANALYSED.clear()
        _ANALYSED[key] = frozenset(t.text for t in analyzer(word, mode="index"))
    return _ANALYSED[key]


#: an unaccented letter of a probe matches its accented forms too (index terms are folded)
ACCENTED = {"a": "aàáâãäå", "e": "eèéêë", "i": "iìíîï", "o": "oòóôõö", "u": "uùúûü", "c": "cç", "n": "nñ", "y": "yýÿ"}


@lru_cache(maxsize=2048)
def _probe_pattern(probe: str) -> re.Pattern[str]:
    """Case- and accent-insensitive search for a folded probe, on the text as it is (no
    folded copy of a 300-page report per hit, and offsets stay the text's own)."""
    parts = [f"[{ACCENTED[ch]}]" if ch in ACCENTED else re.escape(ch) for ch in probe]
    return re.compile("".join(parts), re.IGNORECASE)


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Lowercase and strip accents one character for one, so offsets stay valid."""
    table = {code: chr(code).lower() for code in range(ord("A"), ord("Z") + 1)}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFKD", chr(code))[0].lower()
        if len(base) == 1 and base.isascii():
            table[code] = base
    return table


def fold(text: str) -> str:
    """Same length as ``text`` (str.lower() is not: "İ" becomes two characters)."""
    return text.translate(_fold_table())


def _opening(doc: Document) -> str:
    text = doc.summary or doc.body.replace("\f", " ")
    text = " ".join(text.split())
    return text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else "")
