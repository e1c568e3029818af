"""The query language's syntax: a query string to a list of clauses (:class:`Node`).

Words, ``"phrases"``, ``OR`` (binds tighter than the implicit AND), ``-term`` and
``NOT term``, ``(groups)``, ``field:value`` with English and Dutch field names and
prefix ``word*``. Every user error is forgiven: unbalanced quotes close at the end,
stray parentheses and a lone ``-`` are dropped, ``title:`` with nothing becomes an empty
clause, unknown field names are plain words. :func:`parse_nodes` never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OR_WORDS = frozenset({"OR", "OF", "|", "||"})
AND_WORDS = frozenset({"AND", "EN", "&", "&&", "+"})
NOT_WORDS = frozenset({"NOT", "NIET", "!"})
TOKEN = re.compile(r'(?P<lparen>\()|(?P<rparen>\))|(?P<word>[^\s()"]*"[^"]*"?|[^\s()"]+)')
FIELD_VALUE = re.compile(r"^(?P<name>[A-Za-z_]+):(?P<value>.*)$", re.S)

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
