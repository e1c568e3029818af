"""Dates written in Dutch (and English/French) text to ISO ``YYYY-MM-DD``.

``4 april 2017``, ``donderdag 8 februari 2018``, ``8 feb. 2018``, ``11-10-2024``,
``2017-04-04``, ``12 March 2013``, ``12 mars 2013``.
"""

from __future__ import annotations

import re

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "oct": 10,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}
_MONTH_ALT = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
#: the space after the day is optional: real KOOP data has "Voorgesteld 3december 2024"
WRITTEN = re.compile(rf"\b(\d{{1,2}})(?:e|er)?\s*({_MONTH_ALT})\.?\s+(\d{{4}})\b", re.I)
#: treaty style: "this 16th day of May 2005"
DAY_OF = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+day\s+of\s+({_MONTH_ALT})\s+(\d{{4}})\b", re.I)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
NUMERIC = re.compile(r"\b(\d{1,2})[-./](\d{1,2})[-./](\d{4})\b")


def _iso(year: int, month: int, day: int) -> str:
    if 1 <= month <= 12 and 1 <= day <= 31 and 1800 <= year <= 2100:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def parse_dutch_date(text: str) -> str:
    """The first date in ``text`` as ISO, or ``""``."""
    for found in find_dates(text):
        return found
    return ""


def find_dates(text: str) -> list[str]:
    """All dates in ``text`` in order of appearance."""
    hits: list[tuple[int, str]] = []
    for match in (*WRITTEN.finditer(text), *DAY_OF.finditer(text)):
        month = MONTHS[match[2].lower()]
        hits.append((match.start(), _iso(int(match[3]), month, int(match[1]))))
    for match in ISO.finditer(text):
        hits.append((match.start(), _iso(int(match[1]), int(match[2]), int(match[3]))))
    for match in NUMERIC.finditer(text):
        hits.append((match.start(), _iso(int(match[3]), int(match[2]), int(match[1]))))
    return [iso for _, iso in sorted(hits) if iso]
