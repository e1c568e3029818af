"""The parliamentary year (vergaderjaar): ``2016-2017`` in identifiers, ``20162017`` in KOOP ids,
``2016/17`` in citations.

Sources write it ``2016-2017`` (SRU, TK API), ``2016–2017`` (PDF running headers), ``20162017``
(KOOP ids) or ``2016/17`` (citations). A year opens on Prinsjesdag, the third Tuesday of
September (Grondwet art. 65), so a date alone gives its year (:func:`of_date`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: ``2016-2017``, ``2016–2017``, ``2016/2017``, ``2016/17``, ``20162017``
PATTERN = re.compile(r"(?<!\d)(\d{4})\s*[-–/]?\s*(\d{4}|\d{2})(?!\d)")


@dataclass(frozen=True, order=True)
class Vergaderjaar:
    """The parliamentary year that opens in September of ``start``."""

    start: int

    @property
    def end(self) -> int:
        return self.start + 1

    @property
    def dashed(self) -> str:
        """``2016-2017``: the form ``identifiers['vergaderjaar']`` holds."""
        return f"{self.start}-{self.end}"

    @property
    def compact(self) -> str:
        """``20162017``: the form inside KOOP ids."""
        return f"{self.start}{self.end}"

    @property
    def leidraad(self) -> str:
        """``2016/17``: the form citations use."""
        return f"{self.start}/{str(self.end)[-2:]}"


def parse_vergaderjaar(text: str) -> Vergaderjaar | None:
    """The first parliamentary year written in ``text``; two years that do not follow each
    other are none.

    >>> [parse_vergaderjaar(t).dashed for t in ("2016-2017", "20162017", "2016/17", "1999–2000", "1999/00")]
    ['2016-2017', '2016-2017', '2016-2017', '1999-2000', '1999-2000']
    >>> parse_vergaderjaar("ah-tk-20232024-1481").leidraad
    '2023/24'
    >>> parse_vergaderjaar("2016/18") is None, parse_vergaderjaar("2016") is None
    (True, True)
    """
    for match in PATTERN.finditer(text):
        start, second = int(match.group(1)), match.group(2)
        following = int(second) if len(second) == 4 else int(str(start + 1)[:2] + second)
        if following == start + 1:
            return Vergaderjaar(start)
    return None


def normalise_vergaderjaar(value: str) -> str:
    """Any spelling -> ``2016-2017``; a value that names no year is kept, stripped.

    >>> normalise_vergaderjaar("2016–2017"), normalise_vergaderjaar("20162017"), normalise_vergaderjaar(" ? ")
    ('2016-2017', '2016-2017', '?')
    """
    year = parse_vergaderjaar(value)
    return year.dashed if year else value.strip()


def prinsjesdag(year: int) -> dt.date:
    """Third Tuesday of September, when the parliamentary year opens.

    >>> prinsjesdag(2016), prinsjesdag(2024)
    (datetime.date(2016, 9, 20), datetime.date(2024, 9, 17))
    """
    first = dt.date(year, 9, 1)
    first_tuesday = first + dt.timedelta(days=(1 - first.weekday()) % 7)
    return first_tuesday + dt.timedelta(weeks=2)


def of_date(day: dt.date) -> Vergaderjaar:
    """The parliamentary year a day falls in: Prinsjesdag itself opens the new one.

    >>> of_date(dt.date(2016, 9, 19)).dashed, of_date(dt.date(2016, 9, 20)).dashed
    ('2015-2016', '2016-2017')
    """
    return Vergaderjaar(day.year if day >= prinsjesdag(day.year) else day.year - 1)


def of_iso_date(iso: str) -> Vergaderjaar | None:
    """:func:`of_date` of an ISO date; a bare year or month cannot say which side of
    Prinsjesdag it is on, so gives none.

    >>> of_iso_date("2024-12-05").leidraad, of_iso_date("2024-12") is None
    ('2024/25', True)
    """
    try:
        day = dt.date.fromisoformat(iso[:10]) if len(iso) >= 10 else None
    except ValueError:
        return None
    return of_date(day) if day else None
