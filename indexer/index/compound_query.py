"""The query for a run of analysed words: plain words ANDed, a compound as that compound.

A compound in the *document* is indexed whole, with its parts and with the runs of its
parts (:mod:`indexer.index.compounds`), so ``handel`` and ``mensen handel`` find
``mensenhandel``. A compound in the *query* means that compound, not its parts anywhere
in the document (``jeugdzorg`` is not "jeugd" on page 1 and "zorgmoloch" on page 9):

* the word in any inflection (its lemma term, which also stands where the word is a
  part or a run of parts of a longer compound: ``jeugdzorginstellingen``);
* longer compounds that begin with it (``mensenhandelaren``: the prefix of the lemma);
* its parts within :data:`NEAR_SLOP` positions of each other, in either order
  ("uitbuiting van kinderen" for ``kinderuitbuiting``, "handel in mensen"), which
  weighs less (:data:`NEAR_BOOST`), so the compound itself ranks first.

Tokens that share a position without being a compound (``noord-brabant`` and its
segments) stay alternatives of that position, as before.

>>> from whoosh.analysis import Token
>>> def tok(text, pos, **kw):
...     t = Token(positions=True, text=text, pos=pos); t.__dict__.update(kw); return t
>>> q = words_query("body", [tok("kinderuitbuiting", 0, compound=True), tok("kind", 0, compound_part=True),
...                          tok("uitbuiting", 1, compound_part=True)], True)
>>> [type(s).__name__ for s in q.subqueries]
['Term', 'Prefix', 'Near']
"""

from __future__ import annotations

from whoosh.analysis import Token
from whoosh.query import And, Or, Phrase, Prefix, Query, Term

NEAR_SLOP = 3  # "within a few words": "handel in mensen", "uitbuiting van Roma-kinderen"
NEAR_BOOST = 0.3  # the parts written apart rank below the compound itself
LONGER_BOOST = 0.5  # a constant: a longer compound holding the word


def words_query(name: str, tokens: list[Token], positional: bool) -> Query:
    """The AND of the words in ``tokens`` (a query-mode stream with positions)."""
    clauses: list[Query] = []
    plain: list[tuple[int, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        parts = _parts_after(tokens, index) if getattr(token, "compound", False) else []
        if parts:
            clauses.append(compound_clause(name, token.text, [p.text for p in parts], positional))
            index += 1 + len(parts)
        else:
            plain.append((token.pos, token.text))
            index += 1
    clauses = by_position(name, plain) + clauses
    return clauses[0] if len(clauses) == 1 else And(clauses)


def compound_clause(name: str, whole: str, parts: list[str], positional: bool) -> Query:
    """The compound ``whole`` (a lemma) as a word, a longer compound, or its parts close together."""
    options: list[Query] = [Term(name, whole), Prefix(name, whole, boost=LONGER_BOOST)]
    if positional and len(set(parts)) > 1:
        options.append(Near(name, parts, slop=NEAR_SLOP, boost=NEAR_BOOST, unordered=len(parts) == 2))
    return Or(options)


class Near(Phrase):
    """Words within ``slop`` positions of each other: in order, or (``unordered``, two
    words) in either order. The search's array matcher reads each word's positions once;
    elsewhere (Whoosh's own matcher, highlighting) it is the ordered phrase."""

    def __init__(self, fieldname: str, words: list[str], slop: int = 1, boost: float = 1.0,
                 unordered: bool = False) -> None:
        super().__init__(fieldname, words, slop=slop, boost=boost)
        self.unordered = unordered

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.unordered == getattr(other, "unordered", None)

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(self.unordered)


def _parts_after(tokens: list[Token], index: int) -> list[Token]:
    parts = []
    for token in tokens[index + 1:]:
        if not getattr(token, "compound_part", False):
            break
        parts.append(token)
    return parts


def by_position(name: str, tokens: list[tuple[int, str]]) -> list[Query]:
    """Tokens sharing a position (a hyphenated word and its segments) are alternatives."""
    groups: dict[int, list[str]] = {}
    for pos, word in tokens:
        groups.setdefault(pos, []).append(word)
    return [Term(name, words[0]) if len(words) == 1 else Or([Term(name, w) for w in words])
            for words in groups.values()]
