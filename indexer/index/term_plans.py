"""A text field's index terms the fast way: each distinct token is analysed once, not each time.

Dutch text is Zipfian: a few thousand words make up most of every document, and every
filter of a recipe (:mod:`indexer.index.analysis`) works on one token at a time — lowercase,
fold, mark a stop word, add compound and hyphen parts, take the lemma — except that the parts
of a token move the positions of the tokens after it. So what a token becomes is a *plan*:
the terms it yields with their position offsets and boosts, and how far it moves the rest.
:class:`TermPlans` makes a token's plan by running the recipe's own filters over that one
token (so it is the recipe's output by construction) and remembers it (bounded); a text is
then its tokenizer's matches, each replaced by its remembered plan. The result is the
``(term, frequency, weight, encoded value)`` items Whoosh's writer takes, exactly as the
field itself would compute them (``tests/test_analysis_golden.py``,
``tests/test_analysed_fields.py``). Recipes with another kind of filter or tokenizer, and
formats other than positions and frequencies, are analysed by the field as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.analysis import CharsetFilter, CompositeAnalyzer, LowercaseFilter, RegexTokenizer, Token
from whoosh.fields import FieldType
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from indexer.index.analysis import StemFilter
from indexer.index.compounds import CACHE_SIZE, PartsFilter
from indexer.index.lemmas import LemmaFilter
from indexer.index.stopwords import StopMarkFilter
from indexer.index.tokenize import NormalizeFilter

Item = tuple[bytes, int, float, bytes]
#: (term, position offset, boost) for each term one token yields, and how far it moves the next
Plan = tuple[tuple[tuple[str, int, float], ...], int]
#: filters that look at one token at a time (PartsFilter moves later positions: the plan says how far)
PER_TOKEN_FILTERS = (LowercaseFilter, CharsetFilter, NormalizeFilter, StopMarkFilter, PartsFilter,
                     LemmaFilter, StemFilter)


class TermPlans:
    """The remembered plans of one analyzer's tokens (a plain word's plan is just its term)."""

    def __init__(self, analyzer: CompositeAnalyzer) -> None:
        self.findall = analyzer.items[0].expression.findall  # the pattern has no groups: whole matches
        self.filters = analyzer.items[1:]
        self.plans: dict[str, Plan | str] = {}

    def plan(self, text: str) -> Plan | str:
        found = self.plans.get(text)
        if found is None:
            if len(self.plans) >= CACHE_SIZE:
                self.plans.clear()  # a bound, not an LRU: the common words come back at once
            found = self.plans[text] = self._make(text)
        return found

    def _make(self, text: str) -> Plan | str:
        stream: Iterator[Token] = iter([_token(text)])
        for item in self.filters:
            stream = item(stream)
        terms = tuple((t.text, t.pos, t.boost) for t in stream if not t.stopped)
        if len(terms) == 1 and terms[0][1:] == (0, 1.0):
            return terms[0][0]  # most tokens: one term, in place, weight 1
        return terms, max((offset for _, offset, _ in terms), default=0)

    def positions(self, value: str) -> tuple[dict[str, list[int]], dict[str, float]]:
        """Term -> its positions, term -> its summed boosts beyond 1 per position (boosts
        are halves and ones, so count + extra is the exact sum) over the text ``value``."""
        poses: dict[str, list[int]] = defaultdict(list)
        extra: dict[str, float] = defaultdict(float)
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


def _positions_items(plans: TermPlans, field: FieldType, value: str) -> list[Item]:
    poses, extra = plans.positions(value)
    encode, boost = field.format.encode, field.format.field_boost
    return [(term.encode("utf-8"), len(found), (len(found) + extra.get(term, 0.0)) * boost, encode(found))
            for term, found in poses.items()]


def _frequency_items(plans: TermPlans, field: FieldType, value: str) -> list[Item]:
    poses, extra = plans.positions(value)
    boost = field.format.field_boost
    return [(term.encode("utf-8"), len(found), (len(found) + extra.get(term, 0.0)) * boost, pack_uint(len(found)))
            for term, found in poses.items()]


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
            self._plans[key] = TermPlans(field.analyzer) if _plannable(field.analyzer) else None
        return self._plans[key]
