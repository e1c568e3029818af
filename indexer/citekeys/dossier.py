"""Kamerstuk dossier numbers: ``36600 VI`` to show and cite, ``36600-VI`` in keys.

A dossier is a number with an optional suffix (toevoeging): a begrotingshoofdstuk in roman
numerals (``36600 VI``), a letter (``33000 A``), two digits for a series (``21501-02``) or a
letter and digits. Citations write a letter suffix after a space (Aanwijzing 3.43 of the
Aanwijzingen voor de regelgeving, ``31700 VI``) and a digit suffix after a hyphen
(``21501-02``); KOOP ids join every part with hyphens (``kst-36600-VI-149``). Sources and
readers write the number with a thousands space (``36 600 VI``), glued (``36600VI``) or hyphenated
(``36600-VI``): :func:`parse_dossier` reads them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOSSIER = re.compile(r"^(?P<number>\d{4,6})(?:\s*[-\s]?\s*(?P<suffix>[A-Za-z]+|\d{1,2}|[A-Za-z]+\d+))?$")
LETTERS = re.compile(r"^[A-Z]+$")


@dataclass(frozen=True)
class Dossier:
    """A dossier number and its suffix (``""`` when it has none)."""

    number: str
    suffix: str = ""

    @property
    def display(self) -> str:
        """``36600 VI``, ``21501-02``, ``32824``: as citations and ``identifiers['dossier']`` write it."""
        if not self.suffix:
            return self.number
        joiner = " " if LETTERS.match(self.suffix) else "-"
        return f"{self.number}{joiner}{self.suffix}"

    @property
    def key(self) -> str:
        """``36600-VI``: the dossier part of a KOOP id."""
        return f"{self.number}-{self.suffix}" if self.suffix else self.number


def parse_dossier(text: str, suffix: str = "") -> Dossier | None:
    """A dossier in any spelling; ``suffix`` for sources that give it apart (the TK API's
    ``Toevoeging``).

    >>> [parse_dossier(t).display for t in ("36600VI", "36 600 VI", "36600-VI", "36600 vi", "21 501-02")]
    ['36600 VI', '36600 VI', '36600 VI', '36600 VI', '21501-02']
    >>> parse_dossier("21501", "02").key, parse_dossier("36 180").key
    ('21501-02', '36180')
    >>> parse_dossier("Kamerstukken") is None
    True
    """
    text = re.sub(r"(?<=\d)\s+(?=\d{3}\b)", "", " ".join(text.split()))
    if suffix.strip():
        text = f"{text}-{suffix.strip()}"
    match = DOSSIER.match(text)
    if not match:
        return None
    found = match["suffix"] or ""
    return Dossier(match["number"], found.upper() if found.isalpha() else found)


def normalise_dossier(text: str, suffix: str = "") -> str:
    """The display form of a dossier; text that is no dossier number is kept, its spaces collapsed.

    >>> normalise_dossier("36600 VI"), normalise_dossier("37020-IX"), normalise_dossier("21501", "02")
    ('36600 VI', '37020 IX', '21501-02')
    >>> normalise_dossier("23761 (R1234)")
    '23761 (R1234)'
    """
    dossier = parse_dossier(text, suffix)
    return dossier.display if dossier else " ".join(text.split())


def dossier_key(text: str) -> str:
    """The KOOP-id form of a dossier, ``""`` for text that is no dossier number.

    >>> dossier_key("36 600 VI"), dossier_key("32 824")
    ('36600-VI', '32824')
    """
    dossier = parse_dossier(text)
    return dossier.key if dossier else ""
