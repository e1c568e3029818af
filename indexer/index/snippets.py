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
import threading
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Iterator, Sequence

from whoosh.fields import Schema
from whoosh.query import Not, Phrase, Prefix, Query, Term

from indexer.index.schema import text_language
from indexer.index.snippet_phrases import WORD, PhraseTerms, phrase_spans
from indexer.index.stopwords import is_marked
from indexer.model import Document

SNIPPET_CHARS = 240
FRAGMENTS = 2
WINDOW = 150  # characters of one fragment
LEAD = 50  # characters of context before the first matched term
MAX_TEXT = 400_000  # long reports: look for passages in the first 400k characters
MAX_PLACES = 300  # occurrences per term considered
PHRASE_WEIGHT = 1000  # a window showing the phrase beats any window of scattered words
PHRASE = "\x00phrase"  # the place of a phrase occurrence among the probes' places


@dataclass(frozen=True)
class Wanted:
    """What the query asks to see marked: index terms, surface words, prefixes, phrases.

    ``parts`` are the terms that are a part of another wanted term (``kinder`` and
    ``uitbuit`` of ``kinderuitbuit``): a document holding the compound shows and marks
    the compound, not its parts scattered elsewhere.
    """

    stems: frozenset[str]
    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[PhraseTerms, ...] = ()
    parts: frozenset[str] = frozenset()

    def probes(self, anchors: bool = True) -> set[str]:
        """Strings to scan for: a stem minus its last letter covers English "polici";
        with ``anchors``, the words that phrases are looked for by too."""
        words = {word for phrase in self.phrases for word in phrase.anchors()} if anchors else set()
        probes = {_probe(s) for s in self.stems | words}
        return {p for p in probes | set(self.words) | set(self.prefixes) if len(p) >= 2}

    def without(self, parts: frozenset[str]) -> Wanted:
        return replace(self, stems=self.stems - parts, parts=self.parts - parts)


def _probe(stem: str) -> str:
    return stem[:-1] if len(stem) > 4 else stem


def make_snippet(schema: Schema, doc: Document, query: Query) -> tuple[str, int | None]:
    """HTML snippet and its 1-based page, or the document's opening when nothing matches."""
    text = doc.body[:MAX_TEXT]
    lang = text_language(doc)
    analyzer = schema[f"body_{lang}"].analyzer
    wanted = _in_text(text, _wanted_of(query, (f"body_{lang}", f"title_{lang}")))
    spans = _phrase_spans(text, wanted, analyzer)
    windows = best_windows(text, wanted, spans) if wanted.probes() else []
    marked = [(start, frag) for start, end in windows if (frag := _mark(text, start, end, wanted, analyzer, spans))]
    if not marked:
        return html.escape(_opening(doc)), None
    return " ".join(frag for _, frag in marked), text.count("\f", 0, marked[0][0]) + 1


#: (id of the query, fields) -> (the query, its Wanted): a result page asks the same query
#: for each of its ten hits, and walking the query tree was a fifth of a snippet's time
_WANTED: dict[tuple[int, tuple[str, ...]], tuple[Query, Wanted]] = {}
_WANTED_KEPT = 16
_WANTED_LOCK = threading.Lock()


def _wanted_of(query: Query, fields: tuple[str, ...]) -> Wanted:
    key = (id(query), fields)
    with _WANTED_LOCK:  # serving threads share it
        known = _WANTED.get(key)
    if known is not None and known[0] is query:  # the id of a query no longer alive may be reused
        return known[1]
    wanted = wanted_terms(query, fields)
    with _WANTED_LOCK:
        if len(_WANTED) >= _WANTED_KEPT:
            _WANTED.pop(next(iter(_WANTED)))
        _WANTED[key] = (query, wanted)
    return wanted


def wanted_terms(query: Query, fields: tuple[str, ...]) -> Wanted:
    """The terms, phrases and prefixes of ``query`` in ``fields`` (and the spelling field),
    leaving out what it negates. A phrase's words are wanted as the phrase only, and stop
    words only inside a phrase."""
    negated = {id(q) for n in _walk(query) if isinstance(n, Not) for q in _walk(n)}
    kept = [q for q in _walk(query) if id(q) not in negated]
    stems, words = set(), set()
    for term in kept:  # a Phrase is a leaf: its words are not among these terms
        if not isinstance(term, Term) or not isinstance(term.text, str) or is_marked(term.text):
            continue  # a stop word outside a phrase: marking every "van" on the page helps no one
        if term.fieldname in fields:
            stems.add(term.text)
        elif term.fieldname == "spell":
            words.add(term.text)
    phrases = tuple(dict.fromkeys(PhraseTerms(tuple(q.words), q.slop, bool(getattr(q, "unordered", False))) for q in kept
                                  if isinstance(q, Phrase) and q.fieldname in fields))
    prefixes = tuple(q.text for q in kept if isinstance(q, Prefix) and q.fieldname in (*fields, "spell"))
    parts = frozenset(s for s in stems if any(s != other and s in other for other in stems))
    return Wanted(frozenset(stems), frozenset(words), prefixes, phrases, parts)


def _in_text(text: str, wanted: Wanted) -> Wanted:
    """Without the parts of each compound that the text holds itself, as terms or as a
    near query of them ("kinderen … uitbuiting" for ``kinderuitbuiting``): the parts of a
    compound it does not hold stay, they are how the document matched."""
    held = {stem for stem in wanted.stems if len(stem) >= 6 and _probe_pattern(_probe(stem)).search(text)}
    parts = frozenset(part for part in wanted.parts if any(part in whole for whole in held))
    near = tuple(phrase for phrase in wanted.phrases
                 if phrase.slop > 1 and any(_parts_of(phrase.words, whole) for whole in held))
    return replace(wanted.without(parts), phrases=tuple(p for p in wanted.phrases if p not in near))


def _parts_of(words: tuple[str, ...], whole: str) -> bool:
    """Whether ``words`` are the parts of compound ``whole`` (compared by their first
    letters: a part's lemma, "kinderen", need not be spelled as in the compound)."""
    return len(words) > 1 and all(word.removeprefix("~")[:4] in whole for word in words)


def _phrase_spans(text: str, wanted: Wanted, analyzer: Any) -> list[tuple[int, int]]:
    """Where the query's phrases stand in ``text``, found around their rarest word."""
    spans: list[tuple[int, int]] = []
    for phrase in wanted.phrases:
        anchors = [[match.start() for match in _places_of(text, _probe(word))] for word in phrase.anchors()]
        found: list[list[int]] = sorted((places for places in anchors if places), key=len)
        if found and len(found) == len(anchors):  # else the phrase cannot stand in this text
            spans += phrase_spans(text, phrase, analyzer, found[0])
    return sorted(set(spans))


def _places_of(text: str, probe: str) -> Iterator[re.Match[str]]:
    for count, match in enumerate(_probe_pattern(probe).finditer(text)):
        if count >= MAX_PLACES:
            return
        yield match


def _walk(query: Query) -> Iterator[Query]:
    yield query
    for child in query.children():
        yield from _walk(child)


def best_windows(text: str, wanted: Wanted, spans: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Up to FRAGMENTS non-overlapping (start, end) windows in text order, chosen best
    first: a window holding a phrase beats any other, then the most distinct terms, then
    the most terms."""
    places = sorted([(start, PHRASE) for start, _ in spans] + _places(text, wanted.probes(anchors=not spans)))
    scored = []
    for i, (offset, _) in enumerate(places):
        inside = [probe for o, probe in places[i:i + 40] if o < offset + WINDOW - LEAD]
        distinct = sum(PHRASE_WEIGHT if probe == PHRASE else 10 for probe in set(inside))
        scored.append((distinct + len(inside), -offset))
    chosen: list[tuple[int, int]] = []
    for _, neg_offset in sorted(scored, reverse=True):
        window = _page_window(text, -neg_offset)
        if all(window[1] <= s or window[0] >= e for s, e in chosen):
            chosen.append(window)
        if len(chosen) == FRAGMENTS:
            break
    return sorted(chosen)


def _places(text: str, probes: set[str]) -> list[tuple[int, str]]:
    return sorted((match.start(), probe) for probe in probes for match in _places_of(text, probe))


def _page_window(text: str, offset: int) -> tuple[int, int]:
    """A window around ``offset`` that stays on its page."""
    page_start = text.rfind("\f", 0, offset) + 1
    page_end = text.find("\f", offset)
    page_end = len(text) if page_end < 0 else page_end
    start = max(page_start, offset - LEAD)
    return start, min(page_end, start + WINDOW)


def _mark(text: str, start: int, end: int, wanted: Wanted, analyzer: Any,
          spans: Sequence[tuple[int, int]] = ()) -> str:
    """The window cut at word boundaries, escaped, matched words and phrases in ``<mark>``;
    "" when nothing in it really matches."""
    start, end = _word_bounds(text, start, end)
    body, marked = _marked_html(text, start, end, wanted, analyzer, spans)
    if not marked:
        return ""
    body = " ".join(body.split())
    return ("…" if start > 0 and text[start - 1] != "\f" else "") + body + ("…" if end < len(text) else "")


def _marked_html(text: str, start: int, end: int, wanted: Wanted, analyzer: Any,
                 spans: Sequence[tuple[int, int]], probes: frozenset[str] | None = None) -> tuple[str, bool]:
    """``text[start:end]`` escaped, each phrase occurrence and each matching word in
    ``<mark>`` (with ``probes``, only words holding one are analysed)."""
    inside = [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]
    parts, last = [], start
    for low, high in _marks(text, start, end, wanted, analyzer, inside, probes):
        parts.append(html.escape(text[last:low]))
        parts.append(f"<mark>{html.escape(text[low:high])}</mark>")
        last = high
    parts.append(html.escape(text[last:end]))
    return "".join(parts), len(parts) > 1


def _marks(text: str, start: int, end: int, wanted: Wanted, analyzer: Any, spans: list[tuple[int, int]],
           probes: frozenset[str] | None) -> Iterator[tuple[int, int]]:
    """(start, end) of every stretch to mark, in order: phrase spans and matching words."""
    pending = iter(spans)
    span = next(pending, None)
    for match in WORD.finditer(text, start, end):
        while span is not None and span[1] <= match.start():
            yield span
            span = next(pending, None)
        if span is not None and span[0] <= match.start():
            continue  # inside a phrase: marked with it
        word = match.group(0)
        if probes is not None and not _any_probe(probes).search(word):
            continue
        if _matches(word, wanted, analyzer):
            yield match.start(), match.end()
    if span is not None:
        yield span
    yield from pending


def mark_pages(schema: Schema, doc: Document, query: Query) -> list[str]:
    """Every page of ``doc`` as escaped HTML with ``<mark>`` around the words and phrases
    the query matches, decided by the index's own analysis (stems, compound parts,
    prefixes, phrases)."""
    lang = text_language(doc)
    analyzer = schema[f"body_{lang}"].analyzer
    wanted = _in_text(doc.body[:MAX_TEXT], wanted_terms(query, (f"body_{lang}", f"title_{lang}")))
    probes = frozenset(wanted.probes())
    return [_mark_page(page, wanted, probes, analyzer) for page in doc.pages]


def _mark_page(page: str, wanted: Wanted, probes: frozenset[str], analyzer: Any) -> str:
    if not probes:
        return html.escape(page)
    text = page[:MAX_TEXT]
    # Only words holding a probe can match (an index term is nearly always a prefix of
    # the word it came from, or of one of its compound parts): analyse just those.
    body, _ = _marked_html(text, 0, len(text), wanted, analyzer, _phrase_spans(text, wanted, analyzer), probes)
    return body + html.escape(page[MAX_TEXT:])


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
VOWELS = frozenset("aeou")


@lru_cache(maxsize=2048)
def _probe_pattern(probe: str) -> re.Pattern[str]:
    """Case- and accent-insensitive search for a folded probe, on the text as it is (no
    folded copy of a 300-page report per hit, and offsets stay the text's own). A vowel
    may be doubled in the text: the Dutch stemmer undoubles it (raad -> rad)."""
    return re.compile(_probe_regex(probe), re.IGNORECASE)


def _probe_regex(probe: str) -> str:
    return "".join(f"[{ACCENTED[ch]}]{{1,2}}" if ch in VOWELS else f"[{ACCENTED[ch]}]" if ch in ACCENTED
                   else re.escape(ch) for ch in probe)


@lru_cache(maxsize=256)
def _any_probe(probes: frozenset[str]) -> re.Pattern[str]:
    """One pattern for all probes: does a word hold any of them?"""
    return re.compile("|".join(_probe_regex(p) for p in sorted(probes)), re.IGNORECASE)


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
