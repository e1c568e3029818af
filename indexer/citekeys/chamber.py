"""The chambers of the Staten-Generaal: Tweede Kamer, Eerste Kamer, Verenigde Vergadering.

Sources spell a chamber in many ways — the TK API's ``Kamer`` 2/1, KOOP ids' ``tk``/``ek``/``vv``,
creators such as ``Tweede Kamer der Staten-Generaal``, citations' ``II``/``I`` — and
:func:`parse_chamber` reads them all; a :class:`Chamber` gives the form each use needs.
"""

from __future__ import annotations

import enum


class Chamber(enum.Enum):
    """A chamber, its KOOP-id code as value."""

    TK = "tk"
    EK = "ek"
    VV = "vv"

    @property
    def roman(self) -> str:
        """How citations and ``identifiers['kamer']`` write it: ``II``, ``I``, ``VV``."""
        return ROMAN[self]

    @property
    def full_name(self) -> str:
        return FULL_NAMES[self]


ROMAN = {Chamber.TK: "II", Chamber.EK: "I", Chamber.VV: "VV"}
FULL_NAMES = {Chamber.TK: "Tweede Kamer der Staten-Generaal", Chamber.EK: "Eerste Kamer der Staten-Generaal",
              Chamber.VV: "Verenigde Vergadering der Staten-Generaal"}
#: every spelling seen in sources and citations (lower-cased) -> chamber
SPELLINGS = {
    "ii": Chamber.TK, "2": Chamber.TK, "tk": Chamber.TK, "tweede kamer": Chamber.TK, "ll": Chamber.TK,
    "i": Chamber.EK, "1": Chamber.EK, "ek": Chamber.EK, "eerste kamer": Chamber.EK,
    "vv": Chamber.VV, "verenigde vergadering": Chamber.VV,
}


def parse_chamber(text: str) -> Chamber | None:
    """``II``, ``2``, ``tk``, ``Tweede Kamer der Staten-Generaal`` -> :attr:`Chamber.TK`.

    >>> parse_chamber("2"), parse_chamber("Eerste Kamer der Staten-Generaal"), parse_chamber("ll")
    (<Chamber.TK: 'tk'>, <Chamber.EK: 'ek'>, <Chamber.TK: 'tk'>)
    >>> parse_chamber("Ministerie van Justitie") is None
    True
    """
    lowered = " ".join(str(text).split()).lower()
    if lowered in SPELLINGS:
        return SPELLINGS[lowered]
    # a creator names the chamber inside a longer name
    return next((chamber for name, chamber in SPELLINGS.items() if " " in name and name in lowered), None)


def roman_of(text: str) -> str:
    """``identifiers['kamer']`` form of any spelling, ``""`` when it names no chamber.

    >>> roman_of("Tweede Kamer der Staten-Generaal"), roman_of("ek"), roman_of("")
    ('II', 'I', '')
    """
    chamber = parse_chamber(text)
    return chamber.roman if chamber else ""
