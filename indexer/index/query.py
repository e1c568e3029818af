"""The user's query string to a Whoosh query: the forgiving query language.

Words are ANDed; ``"phrases"``; ``OR`` (binds tighter than the implicit AND, as in
Whoosh); ``-term``, ``NOT term``; ``(groups)``; ``field:value`` with English and Dutch
field names (``titel:``, ``bron:``, ``soort:``, ``jaar:``, ``taal:``, ``auteur:``,
``dossier:``, ``datum:2016..2017``); prefix ``word*``. Every user error is forgiven:
unbalanced quotes close at the end, stray parentheses and lone ``-`` are dropped,
``title:`` with nothing is ignored, unknown fields are plain words. The parser never
raises.

Text is searched in every language's title and body field, each analysed with its own
recipe, plus identifiers and names. A Kamerstuk or other identifier in the query
(``32824-193``, ``Kamerstuk 32 824, nr. 193``) adds a strongly boosted clause on the
document's citation keys, so that document comes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from whoosh.fields import Schema
from whoosh.query import And, Every, Not, NullQuery, Or, Phrase, Prefix, Query, Term, TermRange

from indexer.index.analysis import LANGUAGE_ANALYZERS
from indexer.index.identifiers import identifier_keys

TITLE_FIELDS = tuple(f"title_{lang}" for lang in LANGUAGE_ANALYZERS)
BODY_FIELDS = tuple(f"body_{lang}" for lang in LANGUAGE_ANALYZERS)
TEXT_FIELDS = tuple(f"{part}_{lang}" for lang in LANGUAGE_ANALYZERS for part in ("title", "body"))
DEFAULT_FIELDS = (*TEXT_FIELDS, "ident", "author")
#: the unstemmed, stop-word-keeping field: fallback for stop-word-only queries and prefixes
SPELL_FIELD = "spell"
KEY_BOOST = 1000.0  # an identifier in the query puts its document first
REF_BOOST = 2.0  # ... and the documents citing it after

OR_WORDS = frozenset({"OR", "OF", "|", "||"})
AND_WORDS = frozenset({"AND", "EN", "&", "&&", "+"})
NOT_WORDS = frozenset({"NOT", "NIET", "!"})
TOKEN = re.compile(r'(?P<lparen>\()|(?P<rparen>\))|(?P<word>[^\s()"]*"[^"]*"?|[^\s()"]+)')
FIELD_VALUE = re.compile(r"^(?P<name>[A-Za-z_]+):(?P<value>.*)$", re.S)
RANGE = re.compile(r"^(?P<lo>[\d-]*)\s*\.\.\s*(?P<hi>[\d-]*)$")

#: query-language field name (English and Dutch) -> canonical name
FIELD_NAMES = {
    "title": "title", "titel": "title",
    "source": "source", "bron": "source",
    "type": "doc_type", "soort": "doc_type", "doc_type": "doc_type",
    "dossier": "dossier",
    "year": "year", "jaar": "year",
    "language": "language", "taal": "language", "lang": "language",
    "author": "author", "auteur": "author", "door": "author",
    "category": "category", "categorie": "category",
    "date": "date", "datum": "date",
    "id": "ident", "ident": "ident", "nummer": "ident", "nr": "ident",
    "body": "body", "tekst": "body", "text": "body",
}
LANGUAGE_NAMES = {"nederlands": "nl", "dutch": "nl", "engels": "en", "english": "en",
                  "frans": "fr", "french": "fr", "français": "fr", "francais": "fr"}


@dataclass
class Node:
    """One parsed clause: a word, a phrase, a field clause, a group or an OR."""

    kind: str  # word | phrase | prefix | field | group | or
    text: str = ""
    name: str = ""  # canonical field name for kind "field"
    children: list[Node] = field(default_factory=list)
    negated: bool = False


# -- syntax: string -> nodes ------------------------------------------------------------

def tokenize(text: str) -> list[tuple[str, str]]:
    return [(m.lastgroup or "word", m.group(0)) for m in TOKEN.finditer(text)]


def parse_nodes(text: str) -> list[Node]:
    """The clauses of a query string (never raises)."""
    nodes, _ = _parse_seq(tokenize(text), 0, 0)
    return nodes


def _parse_seq(tokens: list[tuple[str, str]], i: int, depth: int) -> tuple[list[Node], int]:
    items: list[Node] = []
    pending_or = negate = False
    while i < len(tokens):
        kind, value = tokens[i]
        i += 1
        if kind == "rparen":
            if depth:
                return items, i
            continue  # a stray ")" is dropped
        if kind == "lparen":
            children, i = _parse_seq(tokens, i, depth + 1)
            node: Node | None = Node("group", children=children) if children else None
        elif value in OR_WORDS:
            pending_or = bool(items)
            continue
        elif value in AND_WORDS:
            continue
        elif value in NOT_WORDS:
            negate = True
            continue
        else:
            node = atom(value)
        if node is None:
            continue
        node.negated = node.negated or negate
        negate = False
        _append(items, node, pending_or)
        pending_or = False
    return items, i


def _append(items: list[Node], node: Node, as_or: bool) -> None:
    if as_or and items:
        last = items[-1]
        if last.kind == "or" and not last.negated:
            last.children.append(node)
        else:
            items[-1] = Node("or", children=[last, node])
    else:
        items.append(node)


def atom(raw: str) -> Node | None:
    """One word-like token: ``-word``, ``"phrase"``, ``field:value``, ``pref*``."""
    negated = raw.startswith(("-", "!"))
    text = raw.lstrip("-!+")
    node = _field_node(text) or _text_node(text)
    if node is not None:
        node.negated = negated
    return node


def _field_node(text: str) -> Node | None:
    match = FIELD_VALUE.match(text)
    if not match or match["name"].lower() not in FIELD_NAMES:
        return None
    value = match["value"].strip()
    inner = _text_node(value)
    if inner is None:
        return Node("group")  # "title:" with nothing: an empty clause, dropped later
    return Node("field", text=value, name=FIELD_NAMES[match["name"].lower()], children=[inner])


def _text_node(text: str) -> Node | None:
    if text.startswith('"'):
        inner = text.strip('"').strip()
        return Node("phrase", text=inner) if inner else None
    text = text.replace('"', "")
    stem = text.rstrip("*")
    if not stem.strip("-!+*:.,;?"):
        return None
    if stem != text and len(stem) >= 2:
        return Node("prefix", text=stem)
    return Node("word", text=stem)


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
        if node.kind == "word" and any(q is None for name, q in built.items() if name in TEXT_FIELDS):
            # A stop word in one language ("van", "de") is dropped everywhere; otherwise
            # Dutch documents would have to hold it in an English or name field.
            return None
        parts = [q for q in built.values() if q is not None]
        if node.kind == "prefix" and SPELL_FIELD in self.schema:
            parts.append(Prefix(SPELL_FIELD, node.text.lower()))
        return None if not parts else parts[0] if len(parts) == 1 else Or(parts)

    def field_query(self, name: str, text: str, schema: Schema | None = None, phrase: bool = False) -> Query | None:
        """``text`` as the analyzer of field ``name`` sees it: a term; for several tokens the
        AND of their positions (tokens sharing a position are alternatives), or a phrase."""
        analyzer = self.schema[name].analyzer
        tokens = [(t.pos, t.text) for t in analyzer(text, mode="query", positions=True)]
        if not tokens:
            return None
        if len(tokens) == 1:
            return Term(name, tokens[0][1])
        if phrase and self.schema[name].format.supports("positions"):
            # At a shared position (a compound and its first part) keep the last token:
            # the phrase of the parts matches the compound and the words written apart.
            last = {pos: word for pos, word in tokens}
            return Phrase(name, [last[pos] for pos in sorted(last)]) if len(last) > 1 else Term(name, last[min(last)])
        return _by_position(name, tokens)

    def ident_clause(self, node: Node) -> Query | None:
        keys = identifier_keys(node.text)
        analysed = self.text_clause(node.children[0], ("ident",))
        parts = [Term("keys", key, boost=KEY_BOOST) for key in keys] + ([analysed] if analysed else [])
        return None if not parts else parts[0] if len(parts) == 1 else Or(parts)

    def dossier_clause(self, node: Node) -> Query | None:
        value = re.sub(r"(?<=\d)\s(?=\d{3}\b)", "", node.text.strip().strip('"'))
        if not value:
            return None
        spaced = value.replace("-", " ")
        return Or([Term("dossier", value), Term("dossier", spaced), Prefix("dossier", value + " ")])


def _by_position(name: str, tokens: list[tuple[int, str]]) -> Query:
    """Tokens sharing a position (a compound and its parts) are alternatives; positions AND."""
    groups: dict[int, list[str]] = {}
    for pos, word in tokens:
        groups.setdefault(pos, []).append(word)
    parts = [Term(name, words[0]) if len(words) == 1 else Or([Term(name, w) for w in words])
             for words in groups.values()]
    return parts[0] if len(parts) == 1 else And(parts)


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
