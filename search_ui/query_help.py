"""The field table of the help page (Zoekhulp), made from the query parser's own table
(:data:`indexer.index.query_syntax.FIELD_NAMES`), so a field the parser learns shows up
here and a name it drops disappears: Dutch names first, English ones as aliases.

Only the example and the explanation are written here, per canonical field; a field
without them is still listed (with its names) and a test fails until it gets them.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.index.query_syntax import FIELD_NAMES

#: field names of the query language that are English (all others are Dutch, or both)
ENGLISH_NAMES = frozenset({"title", "source", "type", "doc_type", "year", "language", "lang", "author",
                           "category", "date", "id", "ident", "body", "text"})
#: canonical field -> (examples, Dutch explanation); the UI translates the explanation
FIELD_HELP: dict[str, tuple[tuple[str, ...], str]] = {
    "title": (("titel:mensenhandel", 'titel:"Roma kinderen"'), "alleen in de titel (in elke taal)"),
    "body": (("tekst:uitbuiting",), "alleen in de tekst van het document"),
    "source": (("bron:wodc",), "uit één bron, met de naam die de beheerder haar gaf (zie het filter Bron)"),
    "doc_type": (("soort:motie",), "één documenttype, zoals motie, brief of verslag"),
    "category": (("categorie:wodc",), "één soort bron: kamerstuk, aanhangsel, handelingen, wodc, ccv, cahrom, regelgeving"),
    "dossier": (("dossier:32824", 'dossier:"32 824"'), "stukken uit één Kamerdossier"),
    "year": (("jaar:2017", "jaar:2016..2018", "jaar:..2010"), "één jaar of een reeks jaren (grenzen tellen mee)"),
    "date": (("datum:2024-06", "datum:2016-01-01..2016-06-30"), "een dag, maand of jaar, of een periode"),
    "language": (("taal:en", "taal:frans"), "documenten in één taal (nl, en, fr of de naam van de taal)"),
    "author": (("auteur:Dijkhoff",), "auteur, ondertekenaar of organisatie"),
    "ident": (("nummer:kst-32824-193", 'nummer:"32 824, nr. 193"'), "een document op zijn kenmerk; het komt bovenaan"),
}


@dataclass(frozen=True)
class FieldHelp:
    """One row of the help page's field table."""

    field: str
    dutch: tuple[str, ...]
    english: tuple[str, ...]
    examples: tuple[str, ...]
    explanation: str


def field_names() -> dict[str, list[str]]:
    """Canonical field -> every name the parser accepts for it, in the parser's order."""
    names: dict[str, list[str]] = {}
    for name, canonical in FIELD_NAMES.items():
        names.setdefault(canonical, []).append(name)
    return names


def help_rows() -> list[FieldHelp]:
    """The field table, in the order of :data:`FIELD_HELP`, then any field it lacks."""
    names = field_names()
    order = [f for f in FIELD_HELP if f in names] + [f for f in names if f not in FIELD_HELP]
    rows = []
    for field in order:
        dutch = tuple(n for n in names[field] if n not in ENGLISH_NAMES)
        english = tuple(n for n in names[field] if n in ENGLISH_NAMES)
        examples, explanation = FIELD_HELP.get(field, ((f"{(dutch or english)[0]}:…",), ""))
        rows.append(FieldHelp(field, dutch, english, examples, explanation))
    return rows
