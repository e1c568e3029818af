"""The document-type vocabulary: every ``Document.doc_type`` value, its category, and the
spellings sources and titles use for it.

One table, :data:`SPELLINGS`, maps how a kind is written to its ``doc_type``: the kinds as the
protocols spell them (every ``Soort`` of the Tweede Kamer's Document entity seen in the real
OData sets, table with counts in docs/tk-soort.md, and the KOOP ``DC.type`` values) and the
phrases that name a kind inside a title or heading (``Motie van het lid …``). Phrase rows are
tried in table order and the first found wins, so a longer phrase comes before the phrase it
contains (``gewijzigde motie`` before ``motie``, ``nota naar aanleiding`` before ``verslag``).
:data:`DOC_TYPES` gives every ``doc_type`` value the category it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.citekeys.categories import Category

_K, _A, _H = Category.KAMERSTUK, Category.AANHANGSEL, Category.HANDELINGEN
_R, _B, _O = Category.REGELGEVING, Category.BEKENDMAKING, Category.OVERIG

#: every doc_type value the connectors and extractors give -> the category it belongs to
#: (where the type is most at home: a ``brief`` is a Kamerstuk, though ministries publish
#: letters outside the Kamer too; an ``antwoord`` is printed in the Aanhangsel)
DOC_TYPES: dict[str, Category] = {
    "motie": _K, "amendement": _K, "nota van wijziging": _K, "memorie van toelichting": _K,
    "memorie van antwoord": _K, "wetsvoorstel": _K, "advies": _K, "nota": _K, "verslag": _K,
    "lijst van vragen": _K, "brief": _K, "besluitenlijst": _K, "vragen": _K, "bijlage": _K,
    "lijst van ingekomen stukken": _K, "mededeling": _A, "antwoord": _A,
    "handelingen": _H, "stenogram": _H, "stemmingen": _H, "sprekerslijst": _H,
    "wet": _R, "besluit": _R, "verdrag": _R, "regeling": _R, "beschikking": _R, "beleidsregel": _R,
    "bekendmaking": _B,
    "rapport": _O, "notitie": _O, "agenda": _O, "convocatie": _O, "position paper": _O, "mandaat": _O,
    "boek": _O, "hoofdstuk": _O, "artikel": _O, "scriptie": _O, "proefschrift": _O, "working paper": _O,
}


@dataclass(frozen=True)
class Spelling:
    """``text`` (lower case) names ``doc_type``; ``in_titles``: also when found inside a title."""

    text: str
    doc_type: str
    in_titles: bool = False


def _phrases(*pairs: tuple[str, str]) -> tuple[Spelling, ...]:
    return tuple(Spelling(text, kind, True) for text, kind in pairs)


def _kinds(*pairs: tuple[str, str]) -> tuple[Spelling, ...]:
    return tuple(Spelling(text, kind) for text, kind in pairs)


SPELLINGS: tuple[Spelling, ...] = _phrases(
    ("gewijzigde motie", "motie"), ("motie", "motie"), ("gewijzigd amendement", "amendement"),
    ("amendement", "amendement"), ("nota van wijziging", "nota van wijziging"),
    ("memorie van toelichting", "memorie van toelichting"), ("memorie van antwoord", "memorie van antwoord"),
    ("voorstel van wet", "wetsvoorstel"), ("advies", "advies"), ("nota naar aanleiding", "nota"),
    ("verslag", "verslag"), ("lijst van vragen", "lijst van vragen"), ("antwoord", "antwoord"),
    ("brief", "brief"), ("besluitenlijst", "besluitenlijst"), ("nota", "nota"),
) + _kinds(
    ("brief regering", "brief"), ("brief commissie", "brief"), ("brief commissie aan bewindspersoon", "brief"),
    ("brief lid / fractie", "brief"), ("brief president", "brief"), ("motie (gewijzigd/nader)", "motie"),
    ("verslag van een schriftelijk overleg", "verslag"), ("verslag van een commissiedebat", "verslag"),
    ("inbreng verslag schriftelijk overleg", "verslag"), ("nota naar aanleiding van het verslag", "nota"),
    ("antwoord schriftelijke vragen", "antwoord"), ("antwoord schriftelijke vragen (nader)", "antwoord"),
    ("schriftelijke vragen", "vragen"), ("mondelinge vragen", "vragen"),
    ("lijst van vragen en antwoorden", "lijst van vragen"), ("mededeling (uitstel antwoord)", "mededeling"),
    ("advies raad van state", "advies"), ("eindtekst", "wetsvoorstel"), ("bijgewerkte tekst", "wetsvoorstel"),
    ("rapport", "rapport"), ("handelingen", "handelingen"), ("stenogram", "stenogram"), ("bijlage", "bijlage"),
    ("besluitenlijst procedurevergadering", "besluitenlijst"), ("agenda procedurevergadering", "agenda"),
    ("convocatie commissieactiviteit", "convocatie"), ("sprekerslijst", "sprekerslijst"),
    ("lijst van ingekomen stukken", "lijst van ingekomen stukken"), ("position paper", "position paper"),
)
_EXACT = {spelling.text: spelling.doc_type for spelling in SPELLINGS}
_IN_TITLES = tuple(spelling for spelling in SPELLINGS if spelling.in_titles)


def doc_type_in_title(title: str) -> str:
    """The kind a title or heading names, ``""`` when it names none.

    >>> doc_type_in_title("GEWIJZIGDE MOTIE VAN HET LID KWINT"), doc_type_in_title("Uitbuiting van kinderen")
    ('motie', '')
    """
    lowered = title.lower()
    return next((spelling.doc_type for spelling in _IN_TITLES if spelling.text in lowered), "")


def doc_type_of(kind: str) -> str:
    """The ``doc_type`` of a kind a source declares: its spelling, else a kind named inside it,
    else the kind itself lower-cased (so a new kind shows in the facet as spelled).

    >>> doc_type_of("Brief regering"), doc_type_of("Motie van het lid X"), doc_type_of("Lijst van vragen")
    ('brief', 'motie', 'lijst van vragen')
    >>> doc_type_of("Position  paper"), doc_type_of("Plenair debat")
    ('position paper', 'plenair debat')
    """
    kind = " ".join(kind.split()).lower()
    return _EXACT.get(kind) or doc_type_in_title(kind) or kind


#: first word of a Staatsblad/Tractatenblad title -> doc_type
ACT_TYPES = {"wet": "wet", "rijkswet": "wet", "besluit": "besluit", "koninklijk": "besluit", "verdrag": "verdrag",
             "regeling": "regeling", "beschikking": "beschikking"}
