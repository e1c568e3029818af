"""CQL from the user's query, for SRU remotes.

The local query language (words ANDed, ``"phrases"``, ``OR``, ``-exclude``,
``field:value``, trailing ``*``) maps onto CQL clauses on one index. Every user word
goes inside double quotes with ``\\`` and ``"`` escaped and the CQL masking characters
``* ? ^`` escaped too, so no user input can change the query's structure; only a
trailing ``*`` the user typed stays a truncation mask. Field prefixes are dropped:
remote indexes do not share our field names.
"""

from __future__ import annotations

import re

TOKEN = re.compile(r'-?"[^"]*"?|\S+')
FIELD_PREFIX = re.compile(r"^[A-Za-z_]+:(?!/)")
MASKING = re.compile(r'([\\"*?^])')


class EmptyQuery(ValueError):
    """Nothing positive to search for (empty, or only exclusions)."""


def quote(word: str, truncate: bool = False) -> str:
    """``zorg"*`` -> ``"zorg\\"\\*"``; with ``truncate`` one unescaped ``*`` is appended."""
    return '"' + MASKING.sub(r"\\\1", word) + ("*" if truncate else "") + '"'


def clause(index: str, term: str) -> str:
    """One CQL clause for a word or phrase; ``adj`` makes a multi-word term a phrase."""
    truncate = term.endswith("*") and len(term.rstrip("*")) > 0
    core = term.rstrip("*") if truncate else term
    relation = "adj" if " " in core else "="
    return f"{index} {relation} {quote(core, truncate)}"


def build_cql(query: str, index: str = "cql.serverChoice", base_filter: str = "") -> str:
    """The CQL for a user query; :class:`EmptyQuery` when there is nothing to look for."""
    groups, excluded = _terms(query)
    if not groups:
        raise EmptyQuery("geen zoektermen om door te geven")
    positive = " AND ".join(_group(index, group) for group in groups)
    cql = f"({positive})" if len(groups) > 1 else positive
    for term in excluded:
        cql = f"({cql}) NOT {clause(index, term)}"
    return f"({base_filter}) AND ({cql})" if base_filter else cql


def _group(index: str, terms: list[str]) -> str:
    clauses = [clause(index, term) for term in terms]
    return clauses[0] if len(clauses) == 1 else "(" + " OR ".join(clauses) + ")"


def _terms(query: str) -> tuple[list[list[str]], list[str]]:
    """OR-groups of positive terms, and the excluded terms."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    join_next = negate_next = False
    for token in TOKEN.findall(query):
        if token in ("OR", "AND", "NOT"):
            join_next = token == "OR" and bool(groups)
            negate_next = token == "NOT"
            continue
        negative = (token.startswith("-") and len(token) > 1) or negate_next
        token = token[1:] if token.startswith("-") and len(token) > 1 else token
        term = _term(token)
        negate_next = False
        if not term:
            continue
        if negative:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return groups, excluded


def _term(token: str) -> str:
    token = FIELD_PREFIX.sub("", token)
    if token.startswith('"'):
        token = token.strip('"')
    return " ".join(token.split())
