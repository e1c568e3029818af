"""Whether a document's date can be true: not after it was fetched, not before its series.

A date read from text can be a letterhead's print date, a quoted date or an OCR error. A date
later than the fetch, or earlier than the series the document's id puts it in (the
parliamentary year of ``ah-tk-20232024-1481``, the year of ``stb-2018-84``), is not used as the
document's date: it is kept in ``extra['unverified_date']`` and the document is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from indexer.citekeys import parse_vergaderjaar
from indexer.citekeys.koop import journal_number

FLAG_AFTER_FETCH = "date-after-fetch"
FLAG_BEFORE_SERIES = "date-before-series"
#: a journal publication may print the date its act was signed, up to a year before
JOURNAL_SLACK_YEARS = 1


def series_start(identifiers: Mapping[str, str]) -> str:
    """The earliest ISO date the document's series allows, or ``""``.

    >>> series_start({"canonical": "ah-tk-20232024-1481"}), series_start({"vergaderjaar": "2016-2017"})
    ('2023-01-01', '2016-01-01')
    >>> series_start({"canonical": "stb-2018-84"}), series_start({"canonical": "kst-32824-193"})
    ('2017-01-01', '')
    """
    for text in (identifiers.get("vergaderjaar", ""), identifiers.get("canonical", "")):
        if year := parse_vergaderjaar(text):
            return f"{year.start}-01-01"
    if number := journal_number(identifiers.get("canonical", "")):
        return f"{int(number.year) - JOURNAL_SLACK_YEARS}-01-01"
    return ""


def check_date(date: str, fetched_at: str, identifiers: Mapping[str, str]) -> str:
    """The flag for an implausible ``date`` (ISO, possibly partial), or ``""`` when it can be true.

    >>> check_date("2031-05-01", "2026-12-01T10:00:00Z", {})
    'date-after-fetch'
    >>> check_date("2016-05-01", "", {"canonical": "ah-tk-20232024-1481"})
    'date-before-series'
    >>> check_date("2024-04-11", "2026-12-01", {"canonical": "ah-tk-20232024-1481"})
    ''
    """
    if not date:
        return ""
    fetched = (fetched_at or dt.date.today().isoformat())[:10]
    if date[:len(fetched)] > fetched[:len(date)]:
        return FLAG_AFTER_FETCH
    start = series_start(identifiers)
    return FLAG_BEFORE_SERIES if start and date < start[:len(date)] else ""
