"""A text field's index terms the fast way: each distinct token is analysed once, not each time.

Dutch text is Zipfian: a few thousand words make up most of every document, and every
filter of a recipe (:mod:`indexer.index.analysis`) works on one token at a time — lowercase,
fold, mark a stop word, add compound and hyphen parts, take the lemma — except that the parts
of a token move the positions of the tokens after it. So what a token becomes is a *plan*:
the terms it yields with their position offsets and boosts, and how far it moves the rest.
:class:`TermPlans` makes a token's plan by running each of the recipe's filters, as a plain
function over (text, offset, boost) entries that does what the filter's ``__call__`` does at
indexing (:data:`STEPS`; a recipe with another filter runs the filters themselves on a Token),
and remembers it (bounded), one TermPlans per equal recipe (``title_nl`` and ``body_nl``); a text is
then its tokenizer's matches, each replaced by its remembered plan. A ``tokenizer |
LowercaseFilter`` recipe (``ident``, ``spell``) needs no plans: a token's term is its lower
case, and a frequency field's counts come from counting the matches. The result is the
``(term, frequency, weight, encoded value)`` items Whoosh's writer takes, exactly as the
field itself would compute them (``tests/test_analysis_golden.py``,
``tests/test_analysed_fields.py``; each shortcut against what it replaces: ``tests/test_term_plans.py``). Recipes with another kind of filter or tokenizer, and
formats other than positions and frequencies, are analysed by the field as before.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.analysis import CharsetFilter, CompositeAnalyzer, LowercaseFilter, RegexTokenizer, Token
from whoosh.compat import dumps
from whoosh.fields import FieldType
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from indexer.index.analysis import StemFilter
from indexer.index.compounds import CACHE_SIZE, MIN_WORD, PART_BOOST, PartsFilter, token_parts
from indexer.index.lemmas import LemmaFilter, lemma
from indexer.index.stopwords import STOP_MARK, StopMarkFilter
from indexer.index.tokenize import NORMAL_FORMS, NormalizeFilter

Item = tuple[bytes, int, float, bytes]
#: (term, position offset, boost) for each term one token yields, and how far it moves the next
Plan = tuple[tuple[tuple[str, int, float], ...], int]
#: (text, position offset, boost): one token of a plan while it is made
Entry = tuple[str, int, float]
Step = Callable[[list[Entry]], list[Entry]]
#: filters that look at one token at a time (PartsFilter moves later positions: the plan says how far)
PER_TOKEN_FILTERS = (LowercaseFilter, CharsetFilter, NormalizeFilter, StopMarkFilter, PartsFilter,
                     LemmaFilter, StemFilter)


class TermPlans:
    """The remembered plans of one recipe's tokens (a plain word's plan is just its term)."""

    def __init__(self, analyzer: CompositeAnalyzer) -> None:
        self.analyzer = analyzer
        self.findall = analyzer.items[0].expression.findall  # the pattern has no groups: whole matches
        self.filters = analyzer.items[1:]
        #: the filters as plain functions over (text, offset, boost) entries, when all have one
        self.steps = _steps(self.filters)
        #: ``tokenizer | LowercaseFilter``: a token's plan is its lower-case text, nothing to remember
        self.lowercase_only = [type(item) for item in self.filters] == [LowercaseFilter]
        self.plans: dict[str, Plan | str] = {}

    def plan(self, text: str) -> Plan | str:
        found = self.plans.get(text)
        if found is None:
            if len(self.plans) >= CACHE_SIZE:
                self.plans.clear()  # a bound, not an LRU: the common words come back at once
            found = self.plans[text] = self._make(text)
        return found

    def _make(self, text: str) -> Plan | str:
        if self.steps is None:
            return self._make_with_tokens(text)
        entries: list[Entry] = [(text, 0, 1.0)]
        for step in self.steps:
            entries = step(entries)
        return _as_plan(tuple(entries))

    def _make_with_tokens(self, text: str) -> Plan | str:
        stream: Iterator[Token] = iter([_token(text)])
        for item in self.filters:
            stream = item(stream)
        return _as_plan(tuple((t.text, t.pos, t.boost) for t in stream if not t.stopped))

    def positions(self, value: str) -> tuple[dict[str, list[int]], dict[str, float]]:
        """Term -> its positions, term -> its summed boosts beyond 1 per position (boosts
        are halves and ones, so count + extra is the exact sum) over the text ``value``."""
        poses: dict[str, list[int]] = defaultdict(list)
        extra: dict[str, float] = defaultdict(float)
        if self.lowercase_only:
            for pos, text in enumerate(self.findall(value)):
                poses[text.lower()].append(pos)
            return poses, extra
        get, shift = self.plans.get, 0
        for pos, text in enumerate(self.findall(value)):
            found = get(text) or self.plan(text)
            if isinstance(found, str):
                poses[found].append(pos + shift)
                continue
            terms, moved = found
            start = pos + shift
            for term, offset, boost in terms:
                poses[term].append(start + offset)
                if boost != 1.0:
                    extra[term] += boost - 1.0
            shift += moved
        return poses, extra

    def counts(self, value: str) -> tuple[dict[str, int], dict[str, float]]:
        """Term -> how often, term -> summed boosts beyond 1, for a format without positions."""
        if not self.lowercase_only:
            poses, extra = self.positions(value)
            return {term: len(found) for term, found in poses.items()}, extra
        counts: dict[str, int] = {}
        for text, count in Counter(self.findall(value)).items():  # each distinct token lowered once
            term = text.lower()  # in the order of first occurrence, as the positions give it
            counts[term] = counts.get(term, 0) + count
        return counts, {}


def _as_plan(terms: tuple[Entry, ...]) -> Plan | str:
    if len(terms) == 1 and terms[0][1:] == (0, 1.0):
        return terms[0][0]  # most tokens: one term, in place, weight 1
    return terms, max((offset for _, offset, _ in terms), default=0)


def _mapping(change: Callable[[str], str]) -> Step:
    return lambda entries: [(change(text), offset, boost) for text, offset, boost in entries]


def _stop_marks(item: StopMarkFilter) -> Step:
    stops = item.stops  # indexing marks a stop word in place (StopMarkFilter, mode "index")
    return _mapping(lambda text: STOP_MARK + text if text in stops else text)


def _parts(item: PartsFilter) -> Step:
    """PartsFilter at indexing: the whole token, its parts (and a compound's part runs)."""
    split, spans = item.split, item.spans

    def step(entries: list[Entry]) -> list[Entry]:
        out: list[Entry] = []
        shift = 0
        for text, offset, boost in entries:
            offset += shift
            parts = () if len(text) < MIN_WORD and text.isalnum() else token_parts(text, split)
            if not parts:
                out.append((text, offset, boost))
                continue
            compound = all(weight == PART_BOOST for _, weight in parts)
            out.append((text.replace(" ", ""), offset, boost))
            out.extend((part, offset + at, weight * boost) for at, (part, weight) in enumerate(parts))
            if compound and spans:
                out.extend((run, offset + at, PART_BOOST * boost) for run, at in spans(text))
            shift += len(parts) - 1
        return out
    return step


#: each per-token filter as a function over plan entries (exactly its ``__call__`` on one
#: token at indexing, without Token objects and generators); by exact type, as a subclass may differ
STEPS: dict[type, Callable[[Any], Step]] = {
    LowercaseFilter: lambda item: _mapping(str.lower),
    CharsetFilter: lambda item: _mapping(lambda text: text.translate(item.charmap)),
    NormalizeFilter: lambda item: _mapping(lambda text: text.translate(NORMAL_FORMS)),
    StopMarkFilter: _stop_marks,
    PartsFilter: _parts,
    LemmaFilter: lambda item: _mapping(lemma),
}


def _steps(filters: list[Any]) -> list[Step] | None:
    if not all(type(item) in STEPS for item in filters):
        return None  # a filter without a step (a stemmer): run the filters on a Token
    return [STEPS[type(item)](item) for item in filters]


def _token(text: str) -> Token:
    token = Token(positions=True, chars=False, boosts=True, removestops=True, mode="index")
    token.text, token.pos, token.boost, token.stopped = text, 0, 1.0, False
    return token


def _plannable(analyzer: Any) -> bool:
    if not isinstance(analyzer, CompositeAnalyzer) or not analyzer.items:
        return False
    tokenizer, *filters = analyzer.items
    return (type(tokenizer) is RegexTokenizer and not tokenizer.gaps
            and all(isinstance(item, PER_TOKEN_FILTERS) for item in filters))


def _same_recipe(one: CompositeAnalyzer, other: CompositeAnalyzer) -> bool:
    """Equal filters (Whoosh compares their settings) and the same tokenizer pattern and flags;
    only for recipes of known filters (Whoosh's stemmers cannot compare themselves)."""
    known = all(type(item) in STEPS for item in [*one.items[1:], *other.items[1:]])
    return bool(known and one == other and one.items[0].expression.flags == other.items[0].expression.flags)


#: a single position's encoding, by position (most terms occur once in a field)
_ONE_POSITION: dict[int, bytes] = {}
_ONE_POSITION_MAX = 1 << 16


def encode_positions(poses: list[int]) -> bytes:
    """Exactly ``Positions.encode``: the count, then the pickled position gaps (protocol 2)."""
    if len(poses) == 1:
        found = _ONE_POSITION.get(poses[0])
        if found is None:
            found = pack_uint(1) + dumps(poses, 2)
            if poses[0] < _ONE_POSITION_MAX:
                _ONE_POSITION[poses[0]] = found
        return found
    return pack_uint(len(poses)) + dumps([now - before for before, now in zip([0, *poses], poses, strict=False)], 2)


def _positions_items(plans: TermPlans, field: FieldType, value: str) -> list[Item]:
    poses, extra = plans.positions(value)
    boost = field.format.field_boost
    return [(term.encode("utf-8"), len(found), (len(found) + extra.get(term, 0.0)) * boost,
             encode_positions(found))
            for term, found in poses.items()]


def _frequency_items(plans: TermPlans, field: FieldType, value: str) -> list[Item]:
    counts, extra = plans.counts(value)
    boost = field.format.field_boost
    return [(term.encode("utf-8"), count, (count + extra.get(term, 0.0)) * boost, pack_uint(count))
            for term, count in counts.items()]


#: the writer's items per format, from the plans (exactly as the format's word_values makes them)
FORMAT_ITEMS: dict[type, Callable[[TermPlans, FieldType, str], list[Item]]] = {
    Positions: _positions_items,
    Frequency: _frequency_items,
}


class FieldItems:
    """Index items of text fields, through plans where the recipe allows, else the field."""

    def __init__(self) -> None:
        self._plans: dict[int, TermPlans | None] = {}

    def items(self, field: FieldType, value: str) -> list[Item]:
        make = FORMAT_ITEMS.get(type(field.format))
        plans = self._plans_of(field) if make else None
        if make is None or plans is None:
            return list(field.index(value))
        return make(plans, field, value)

    def _plans_of(self, field: FieldType) -> TermPlans | None:
        key = id(field.analyzer)
        if key not in self._plans:
            self._plans[key] = self._shared(field.analyzer) if _plannable(field.analyzer) else None
        return self._plans[key]

    def _shared(self, analyzer: CompositeAnalyzer) -> TermPlans:
        """One TermPlans per recipe: title_nl and body_nl have their own analyzer objects of
        the same recipe, and a title's words are planned once for the body too."""
        for plans in self._plans.values():
            if plans is not None and _same_recipe(plans.analyzer, analyzer):
                return plans
        return TermPlans(analyzer)
