"""Dates in the shapes citation formats want, from a Document's ISO date.

A Document's date may be a full day (``2017-04-04``), a month (``2016-12``) or a year;
every helper keeps that precision instead of inventing a day.
"""

from __future__ import annotations

import datetime as dt
import re

DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)
ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parts(iso: str) -> list[int]:
    """``[2017, 4, 4]``, ``[2016, 12]``, ``[2001]`` or ``[]`` (CSL ``date-parts``).

    >>> parts("2017-04-04T10:00:00"), parts("2016-12"), parts("")
    ([2017, 4, 4], [2016, 12], [])
    """
    match = ISO_PREFIX.match(iso or "")
    if not match:
        return []
    return [int(group) for group in match.groups() if group]


def parse_iso(iso: str) -> dt.date | None:
    """The day, when the date names one."""
    values = parts(iso)
    if len(values) < 3:
        return None
    try:
        return dt.date(*values)
    except ValueError:
        return None


def dutch(iso: str) -> str:
    """``4 april 2017``, ``december 2016``, ``2001``.

    >>> dutch("2017-04-04"), dutch("2016-12"), dutch("2001")
    ('4 april 2017', 'december 2016', '2001')
    """
    values = parts(iso)
    if not values:
        return ""
    if len(values) == 1:
        return str(values[0])
    month = DUTCH_MONTHS[values[1] - 1] if 1 <= values[1] <= 12 else ""
    words = [str(values[2])] if len(values) == 3 else []
    return " ".join([*words, month, str(values[0])]).strip()


def slashed(iso: str) -> str:
    """``2017/04/04`` — RIS ``DA`` and Highwire ``citation_date``; ``2016/12`` when no day."""
    return "/".join(f"{value:02d}" if index else str(value) for index, value in enumerate(parts(iso)))


def year(iso: str) -> str:
    values = parts(iso)
    return str(values[0]) if values else ""
