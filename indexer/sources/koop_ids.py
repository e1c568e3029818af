"""KOOP / parliamentary identifiers shared by the SRU and Tweede Kamer connectors:
official-publication ids (``kst-32824-193``, ``ah-tk-20192020-4046``, ``h-tk-20172018-50-1``)
split into the ``IDENTIFIER_KEYS`` a citation needs, and document kinds mapped to the
short ``doc_type`` vocabulary.
"""

from __future__ import annotations

import re

from indexer.extract.koop_meta import KOOP_CATEGORIES

ROMAN_OR_LETTERS = re.compile(r"^[A-Z]+$")

#: Kinds as the protocols spell them (lower-cased) -> Document.doc_type. Covers every
#: ``Soort`` of the Tweede Kamer's Document entity seen in the real OData sets (table
#: with counts: docs/tk-soort.md) and the KOOP ``DC.type`` values.
DOC_TYPES = {
    "brief": "brief",
    "brief regering": "brief",
    "brief commissie": "brief",
    "brief commissie aan bewindspersoon": "brief",
    "brief lid / fractie": "brief",
    "brief president": "brief",
    "motie": "motie",
    "gewijzigde motie": "motie",
    "motie (gewijzigd/nader)": "motie",
    "amendement": "amendement",
    "gewijzigd amendement": "amendement",
    "memorie van toelichting": "memorie van toelichting",
    "verslag": "verslag",
    "verslag van een schriftelijk overleg": "verslag",
    "verslag van een commissiedebat": "verslag",
    "inbreng verslag schriftelijk overleg": "verslag",
    "nota naar aanleiding van het verslag": "nota",
    "antwoord schriftelijke vragen": "antwoord",
    "antwoord schriftelijke vragen (nader)": "antwoord",
    "schriftelijke vragen": "vragen",
    "mondelinge vragen": "vragen",
    "lijst van vragen": "lijst van vragen",
    "lijst van vragen en antwoorden": "lijst van vragen",
    "mededeling (uitstel antwoord)": "mededeling",
    "advies raad van state": "advies",
    "voorstel van wet": "wetsvoorstel",
    "eindtekst": "wetsvoorstel",
    "bijgewerkte tekst": "wetsvoorstel",
    "rapport": "rapport",
    "handelingen": "handelingen",
    "stenogram": "stenogram",
    "bijlage": "bijlage",
    "besluitenlijst procedurevergadering": "besluitenlijst",
    "agenda procedurevergadering": "agenda",
    "convocatie commissieactiviteit": "convocatie",
    "sprekerslijst": "sprekerslijst",
    "lijst van ingekomen stukken": "lijst van ingekomen stukken",
    "position paper": "position paper",
}

#: Id prefixes -> Document.category (one table for connectors and extractors).
CATEGORIES = KOOP_CATEGORIES


def doc_type_of(kind: str) -> str:
    """``Brief regering`` -> ``brief``; unknown kinds are kept, lower-cased.

    >>> doc_type_of("Brief regering"), doc_type_of("Lijst van vragen")
    ('brief', 'lijst van vragen')
    """
    kind = " ".join(kind.split()).lower()
    return DOC_TYPES.get(kind, kind)


def last_segment(identifier: str) -> str:
    """``https://identifier.overheid.nl/tpmeta/kst-36450-3`` or ``/sgd/kst-36450-3`` -> ``kst-36450-3``."""
    return identifier.rstrip("/").rsplit("/", 1)[-1].strip()


def normalise_dossier(number: str, toevoeging: str = "") -> str:
    """Dossier with its suffix as citations write it: ``37020 IX``, ``21501-02``.

    >>> normalise_dossier("37020-IX"), normalise_dossier("21501-02"), normalise_dossier("36 180")
    ('37020 IX', '21501-02', '36180')
    """
    number = number.replace(" ", "")
    if "-" in number and not toevoeging:
        number, toevoeging = number.split("-", 1)
    if not toevoeging:
        return number
    joiner = " " if ROMAN_OR_LETTERS.match(toevoeging) else "-"
    return f"{number}{joiner}{toevoeging}"


def split_vergaderjaar(compact: str) -> str:
    """``20192020`` -> ``2019-2020`` (already dashed values are kept)."""
    if len(compact) == 8 and compact.isdigit():
        return f"{compact[:4]}-{compact[4:]}"
    return compact


def identifiers_of(koop_id: str) -> dict[str, str]:
    """The identifier keys and category an official-publication id implies.

    >>> identifiers_of("kst-37020-IX-40")["dossier"]
    '37020 IX'
    >>> identifiers_of("ah-tk-20192020-4046")["aanhangselnummer"]
    '4046'
    """
    koop_id = last_segment(koop_id)
    parts = koop_id.split("-")
    values: dict[str, str] = {"canonical": koop_id}
    prefix = parts[0]
    values["category"] = CATEGORIES.get(prefix, "overig")
    if prefix == "kst" and len(parts) >= 3:
        values["dossier"] = normalise_dossier(parts[1], "-".join(parts[2:-1]))
        values["ondernummer"] = parts[-1]
    elif prefix == "ah" and len(parts) == 4:
        values["kamer"] = "II" if parts[1] == "tk" else "I"
        values["vergaderjaar"] = split_vergaderjaar(parts[2])
        values["aanhangselnummer"] = parts[3]
    elif prefix == "h" and len(parts) >= 4:
        values["kamer"] = "II" if parts[1] == "tk" else "I"
        values["vergaderjaar"] = split_vergaderjaar(parts[2])
        values["vergadering"] = parts[3]
        if len(parts) > 4:
            values["item"] = parts[4]
    return values


def kamer_of(creator: str) -> str:
    """``Tweede Kamer der Staten-Generaal`` -> ``II``; ``Eerste Kamer…`` -> ``I``."""
    lowered = creator.lower()
    if "tweede kamer" in lowered:
        return "II"
    if "eerste kamer" in lowered:
        return "I"
    return ""
