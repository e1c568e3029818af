"""The user's query string to a Whoosh query: the meaning of the query language.

The syntax (:mod:`indexer.index.query_syntax`) gives clauses; here they become
queries: words ANDed, ``OR``, ``-term``/``NOT``, phrases, prefixes and ``field:value``
with English and Dutch field names (``titel:`` searches the title of every language,
``bron:``, ``soort:``, ``jaar:``, ``taal:``, ``auteur:``, ``dossier:``,
``datum:2016..2017``). :func:`build_query` never raises.

Text is searched in every language's title and body field, each analysed with its own
recipe, plus identifiers and names. A Kamerstuk or other identifier in the query
(``32824-193``, ``Kamerstuk 32 824, nr. 193``) adds a strongly boosted clause on the
document's citation keys, so that document comes first.
"""

from __future__ import annotations

import re
from typing import Callable

from whoosh.fields import Schema
from whoosh.query import And, AndMaybe, Every, Not, NullQuery, Or, Phrase, Prefix, Query, Term, TermRange

from indexer.citekeys import parse_dossier
from indexer.index.analysis import LANGUAGE_ANALYZERS
from indexer.index.compound_query import words_query
from indexer.index.identifiers import identifier_keys
from indexer.index.query_syntax import Node, parse_nodes

TITLE_FIELDS = tuple(f"title_{lang}" for lang in LANGUAGE_ANALYZERS)
BODY_FIELDS = tuple(f"body_{lang}" for lang in LANGUAGE_ANALYZERS)
TEXT_FIELDS = tuple(f"{part}_{lang}" for lang in LANGUAGE_ANALYZERS for part in ("title", "body"))
DEFAULT_FIELDS = (*TEXT_FIELDS, "ident", "author")
#: the unstemmed, stop-word-keeping field: fallback for stop-word-only queries and prefixes
SPELL_FIELD = "spell"
KEY_BOOST = 1000.0  # an identifier in the query puts its document first
REF_BOOST = 2.0  # ... and the documents citing it after
EXACT_BOOST = 0.5  # the word as written over an inflection of it (times its BM25 in "spell")

RANGE = re.compile(r"^(?P<lo>[\d-]*)\s*\.\.\s*(?P<hi>[\d-]*)$")
LANGUAGE_NAMES = {"nederlands": "nl", "dutch": "nl", "engels": "en", "english": "en",
                  "frans": "fr", "french": "fr", "français": "fr", "francais": "fr"}


# -- semantics: nodes -> Whoosh query -----------------------------------------------------

class QueryBuilder:
    """Builds Whoosh queries from nodes with the analyzers of a schema."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.fields = [name for name in DEFAULT_FIELDS if name in schema]
        self.field_builders: dict[str, Callable[[Node], Query | None]] = {
            "title": lambda n: self.text_clause(n.children[0], TITLE_FIELDS),
            "body": lambda n: self.text_clause(n.children[0], BODY_FIELDS),
            "author": lambda n: self.text_clause(n.children[0], ("author",)),
            "ident": self.ident_clause,
            "source": lambda n: _exact("source", n.text.lower()),
            "category": lambda n: _exact("category", n.text.lower()),
            "doc_type": lambda n: _exact("doc_type", n.text.lower()),
            "language": lambda n: _exact("language", LANGUAGE_NAMES.get(n.text.lower(), n.text.lower())),
            "dossier": self.dossier_clause,
            "year": lambda n: _range_or_term("year", n.text),
            "date": lambda n: _range_or_term("date", n.text),
        }

    def build(self, nodes: list[Node]) -> Query | None:
        positives = [q for n in nodes if not n.negated and (q := self.node(n)) is not None]
        negatives = [Not(q) for n in nodes if n.negated and (q := self.node(n)) is not None]
        if not positives and not negatives:
            return None
        if not positives:
            positives = [Every()]
        parts = positives + negatives
        return parts[0] if len(parts) == 1 else And(parts)

    def node(self, node: Node) -> Query | None:
        if node.kind == "group":
            return self.build(node.children)
        if node.kind == "or":
            parts = [q for child in node.children if (q := self.node_signed(child)) is not None]
            return None if not parts else parts[0] if len(parts) == 1 else Or(parts)
        if node.kind == "field":
            return self.field_builders[node.name](node)
        return self.text_clause(node, self.fields)

    def node_signed(self, node: Node) -> Query | None:
        query = self.node(node)
        if query is not None and node.negated:
            return And([Every(), Not(query)])
        return query

    def text_clause(self, node: Node, fields: tuple[str, ...] | list[str]) -> Query | None:
        """A word, phrase or prefix in any of ``fields``; None for stop words only."""
        if node.kind == "group":
            return self.build(node.children)
        make = _prefix_query if node.kind == "prefix" else self.field_query
        kind = {"phrase": True} if node.kind == "phrase" else {}
        built = {name: make(name, node.text, self.schema, **kind) for name in fields if name in self.schema}
        if node.kind in ("word", "phrase") and any(q is None for name, q in built.items() if name in TEXT_FIELDS):
            # A stop word in one language ("van", "de") is dropped everywhere; otherwise
            # Dutch documents would have to hold it in an English or name field. (Phrases
            # keep their stop words as marked terms, so they never come here.)
            return None
        parts = [q for q in built.values() if q is not None]
        if node.kind == "prefix" and SPELL_FIELD in self.schema:
            parts.append(Prefix(SPELL_FIELD, node.text.lower()))
        clause = None if not parts else parts[0] if len(parts) == 1 else Or(parts)
        return self.exact_form_bonus(clause, node.text) if node.kind == "word" and clause else clause

    def exact_form_bonus(self, clause: Query, text: str) -> Query:
        """The word as written (the unstemmed spelling field) adds to the score, never to the
        matches: ``gezinnen`` ranks a text saying "gezinnen" above one saying "gezin"."""
        if SPELL_FIELD not in self.schema:
            return clause
        words = [t.text for t in self.schema[SPELL_FIELD].analyzer(text)]
        return AndMaybe(clause, Term(SPELL_FIELD, words[0], boost=EXACT_BOOST)) if len(words) == 1 else clause

    def field_query(self, name: str, text: str, schema: Schema | None = None, phrase: bool = False) -> Query | None:
        """``text`` as the analyzer of field ``name`` sees it: a term; for several tokens the
        AND of their positions (tokens sharing a position are alternatives), or a phrase."""
        analyzer = self.schema[name].analyzer
        stream = [t.copy() for t in analyzer(text, mode="query", positions=True, phrase=phrase)]
        tokens = [(t.pos, t.text) for t in stream]
        if not tokens:
            return None
        if len(tokens) == 1:
            return Term(name, tokens[0][1])
        if phrase and self.schema[name].format.supports("positions"):
            # At a shared position (a compound and its first part) keep the last token:
            # the phrase of the parts matches the compound and the words written apart.
            last = {pos: word for pos, word in tokens}
            return Phrase(name, [last[pos] for pos in sorted(last)]) if len(last) > 1 else Term(name, last[min(last)])
        positional = self.schema[name].format.supports("positions")
        return words_query(name, stream, positional)

    def ident_clause(self, node: Node) -> Query | None:
        keys = identifier_keys(node.text)
        analysed = self.text_clause(node.children[0], ("ident",))
        parts = [Term("keys", key, boost=KEY_BOOST) for key in keys] + ([analysed] if analysed else [])
        return None if not parts else parts[0] if len(parts) == 1 else Or(parts)

    def dossier_clause(self, node: Node) -> Query | None:
        text = " ".join(node.text.strip().strip('"').split())
        dossier = parse_dossier(text)
        if dossier is None:
            return Term("dossier", text) if text else None
        if dossier.suffix:
            return Term("dossier", dossier.display)
        # a bare begroting number finds its chapters too: 36600 -> 36600 VI, 36600 VIII
        return Or([Term("dossier", dossier.display), Prefix("dossier", dossier.display + " ")])


def _prefix_query(name: str, text: str, schema: Schema) -> Query | None:
    tokens = [t.text for t in schema[name].analyzer(text, mode="query", removestops=False)]
    if name.startswith(("title_", "body_")):
        # Stemmed fields: the prefix of the stem finds every form (kinder* -> kinder...).
        return Prefix(name, tokens[0]) if tokens else None  # the whole word, not its parts
    return Prefix(name, text.lower())


def _exact(name: str, value: str) -> Query | None:
    value = value.strip('"').strip()
    return Term(name, value) if value else None


def _range_or_term(name: str, value: str) -> Query | None:
    """``2016..2017``, ``..2017``, ``2016..``, ``2017-04``: inclusive ranges on ISO strings."""
    value = value.strip('"').strip()
    match = RANGE.match(value)
    if match is None:
        return Prefix(name, value) if value else None
    lo, hi = match["lo"], match["hi"]
    if not lo and not hi:
        return None
    # "0" as the open lower bound: undated documents index an empty date, not before 1900.
    return TermRange(name, lo or "0", hi + "~" if hi else None)


def build_query(schema: Schema, text: str) -> Query:
    """The Whoosh query for a user's query string (``Every`` for an empty one). Never raises."""
    try:
        return _build(schema, text)
    except Exception:  # noqa: BLE001 - a query the builder cannot handle falls back to plain words
        cleaned = " ".join(re.findall(r"\w+", text))
        try:
            return _build(schema, cleaned)
        except Exception:  # noqa: BLE001 - never let a query string break the search page
            return NullQuery


def _build(schema: Schema, text: str) -> Query:
    if not text.strip():
        return Every()
    builder = QueryBuilder(schema)
    nodes = parse_nodes(text)
    if not nodes:
        return Every()  # only syntax ("(((", "title:", "-"): nothing to narrow by
    query = builder.build(nodes)
    if query is None:
        words = " ".join(_plain_words(nodes))
        query = _stopword_fallback(schema, words) if words else Every()
    keys = identifier_keys(text)
    if keys:
        boosted: list[Query] = [Term("keys", key, boost=KEY_BOOST) for key in keys]
        boosted += [Term("refs", key, boost=REF_BOOST) for key in keys]
        query = Or([*boosted, query]) if query is not None else Or(boosted)
    return query if query is not None else NullQuery


def _plain_words(nodes: list[Node]) -> list[str]:
    words = []
    for node in nodes:
        if node.kind in ("word", "phrase") and not node.negated:
            words.append(node.text)
        elif node.kind in ("group", "or"):
            words += _plain_words(node.children)
    return words


def _stopword_fallback(schema: Schema, text: str) -> Query | None:
    """A query of stop words only ("van de"): search them unstemmed in the spelling field."""
    if SPELL_FIELD not in schema:
        return None
    words = [t.text for t in schema[SPELL_FIELD].analyzer(text, mode="query")]
    if not words:
        return None
    return Term(SPELL_FIELD, words[0]) if len(words) == 1 else And([Term(SPELL_FIELD, w) for w in words])
