"""How much work one query may cost, and what is reported when a query is cut.

A 1,000-character query of 143 two-letter prefixes (``aa* OR ab* OR …``) cost 3–6 s of
CPU on 8,041 documents, and eight at once starved every other request. Three limits
bound a request, each declared with its default in the ``query`` section of
:mod:`indexer.settings` (:class:`QueryLimits` is that section) and set in the sources
file's ``[settings]`` or the environment:

- ``max_query_clauses``: clauses (words, phrases, prefixes, field clauses) searched;
  the rest of the query is dropped, from the first clause past the limit to the end.
- ``max_prefix_terms`` / ``max_expanded_terms``: index terms one prefix or wildcard may
  stand for, and all of them together; a prefix is searched for its first terms (in
  alphabetical order) and reported as cut, one past the total is left out.
- ``query_time_budget``: CPU seconds for finding the matches and making the snippets;
  clauses not reached in time match nothing and hits not reached get no snippet, and
  the result says it is incomplete (what was found is shown: partial results with a
  notice rather than an error, so a slow query never leaves the user with nothing).

Every cut becomes a :class:`QueryCut` on the search result, which the UI and the API
show ("say which part was dropped"). Nothing here knows Whoosh.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Iterable, TypeVar

from indexer.index.query_syntax import AND_WORDS, NOT_WORDS, OR_WORDS, tokenize
from indexer.settings import QuerySettings as QueryLimits

OPERATORS = OR_WORDS | AND_WORDS | NOT_WORDS
T = TypeVar("T")

#: QueryCut.kind -> the Dutch message (the English UI translates it via search_ui.translations)
MESSAGES = {
    "clauses": "Zoekvraag ingekort tot {limit} delen; niet gezocht: {part}",
    "prefix": "{part} staat voor meer dan {limit} woorden; alleen de eerste {limit} zijn gezocht",
    "expansion": "Te veel woorden bij elkaar ({limit}); niet gezocht: {part}",
    "time": "De zoekvraag kostte meer dan {limit} seconden; de resultaten zijn onvolledig",
}


@dataclass(frozen=True)
class QueryCut:
    """One part of a query that was not (fully) searched."""

    kind: str  # a key of MESSAGES
    part: str  # the dropped part as the user wrote it ("" for the time budget)
    limit: float

    def values(self) -> dict[str, Any]:
        """The placeholders of its message (a whole-number limit without ".0")."""
        limit = int(self.limit) if float(self.limit).is_integer() else self.limit
        return {"part": self.part, "limit": limit}

    @property
    def message(self) -> str:
        return MESSAGES[self.kind].format(**self.values())

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "dropped": self.part, "limit": self.limit, "message": self.message}


def cut_clauses(text: str, limit: int) -> tuple[str, list[QueryCut]]:
    """The query text up to its ``limit``-th clause, and the cut when there was more.

    >>> cut_clauses("aa* OR ab* OR ac*", 2)[0], cut_clauses("aa* OR ab* OR ac*", 2)[1][0].part
    ('aa* OR ab*', 'ac*')
    >>> cut_clauses("roma kinderen", 2)
    ('roma kinderen', [])
    """
    clauses = position = kept_end = 0
    for kind, value in tokenize(text):
        position = text.find(value, position)
        if kind == "word" and value not in OPERATORS:
            clauses += 1
            if clauses > limit:  # keep up to the end of the last clause, not a dangling OR
                return text[:kept_end], [QueryCut("clauses", text[position:].strip(), limit)]
            kept_end = position + len(value)
        position += len(value)
    return text, []


@dataclass
class Deadline:
    """The time budget of one request, in CPU seconds of the thread that runs it; notes
    when it ran out. CPU time, not the wall clock: the budget bounds what a query costs, and a
    query that only waited for a busy machine (other requests, a crawl on the same cores) has
    cost nothing yet, so the same query gives the same results however loaded the machine is."""

    seconds: float
    started: float = field(default_factory=time.thread_time)
    expired: bool = False

    def passed(self) -> bool:
        if not self.expired and time.thread_time() - self.started >= self.seconds:
            self.expired = True
        return self.expired

    def cuts(self) -> list[QueryCut]:
        return [QueryCut("time", "", self.seconds)] if self.expired else []


class QueryBudget:
    """What one request has used of its limits: expanded terms, time, and the cuts made.

    Cuts of one kind are merged into one notice naming every dropped part."""

    def __init__(self, limits: QueryLimits, cuts: Iterable[QueryCut] = ()) -> None:
        self.limits = limits
        self.deadline = Deadline(limits.query_time_budget)
        self.expanded = 0  # index terms prefixes and wildcards stood for, all together
        self._parts: dict[str, list[str]] = {}
        self._given = list(cuts)

    def take_terms(self, part: str, available: Iterable[T]) -> list[T]:
        """The terms of one prefix (``part`` as the user wrote it) within both limits."""
        taken: list[T] = []
        for item in available:
            if len(taken) >= self.limits.max_prefix_terms:
                self._cut("prefix", part)
                break
            if self.expanded >= self.limits.max_expanded_terms:
                self._cut("expansion", part)
                break
            taken.append(item)
            self.expanded += 1
        return taken

    def _cut(self, kind: str, part: str) -> None:
        parts = self._parts.setdefault(kind, [])
        if part not in parts:
            parts.append(part)

    def cuts(self) -> tuple[QueryCut, ...]:
        limit = {"prefix": self.limits.max_prefix_terms, "expansion": self.limits.max_expanded_terms}
        made = [QueryCut(kind, " ".join(parts), limit[kind]) for kind, parts in self._parts.items()]
        return tuple(self._given + made + self.deadline.cuts())
