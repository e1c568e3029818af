"""What a user typed that cannot mean what they want: a period that is no date
(``van=abc``, ``van=2016-02-30``), an end before the start, a ``jaar:`` or ``datum:``
clause that is no year or date (``datum:2024-13``, ``jaar:2018..2016``), an
unterminated quote.

:func:`check_search_input` returns the input as it will be searched, with every such
part left out (or the quote closed), and a :class:`Problem` per part saying why, for
the page to show next to the field. Messages are Dutch; the UI translates them.
Nothing here raises: the search always runs, and the page says what it ran.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from dataclasses import field as default

MAX_SHOWN = 40  # characters of a bad value repeated in its message
#: a year, month or day in ISO form
ISO_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
#: a jaar:/datum: clause in a query; the value may be a range lo..hi, either side open
DATE_CLAUSE = re.compile(r'(?<![\w:])-?(?P<name>jaar|year|datum|date):(?P<value>"[^"]*"|[^\s()]+)', re.I)
RANGE = re.compile(r"^(?P<lo>[^.]*)\.\.(?P<hi>[^.]*)$")
YEAR_FIELDS = ("jaar", "year")


@dataclass(frozen=True)
class Problem:
    """One part of the input left out or changed: which field, the message (Dutch, with
    ``{placeholders}``) and the values to fill in."""

    field: str  # "q" | "van" | "tot" (or a field of the advanced form)
    message: str
    values: dict[str, str] = default(default_factory=dict)


@dataclass(frozen=True)
class CheckedInput:
    query: str
    date_from: str
    date_to: str
    problems: tuple[Problem, ...] = ()


def check_search_input(query: str, date_from: str, date_to: str) -> CheckedInput:
    """The query and period as they will be searched, and why anything was changed."""
    problems: list[Problem] = []
    query = _checked_query(query, problems)
    date_from = _checked_date("van", date_from, problems)
    date_to = _checked_date("tot", date_to, problems)
    if date_from and date_to and period_start(date_from) > period_end(date_to):
        problems.append(Problem("tot", "De einddatum {tot} ligt vóór de begindatum {van}; gezocht zonder periode.",
                                {"van": date_from, "tot": date_to}))
        date_from = date_to = ""
    return CheckedInput(query, date_from, date_to, tuple(problems))


def _checked_date(name: str, value: str, problems: list[Problem]) -> str:
    value = value.strip()
    if value and not is_iso_date(value):
        problems.append(Problem(name, "„{value}” is geen datum: gebruik jjjj, jjjj-mm of jjjj-mm-dd. "
                                "Gezocht zonder deze grens.", {"value": value[:MAX_SHOWN]}))
        return ""
    return value


def is_iso_date(value: str) -> bool:
    """A real year, month or day in ISO form.

    >>> is_iso_date("2016"), is_iso_date("2016-02"), is_iso_date("2016-02-29"), is_iso_date("2016-02-30")
    (True, True, True, False)
    >>> is_iso_date("abc"), is_iso_date("2024-13"), is_iso_date("2016-2-3")
    (False, False, False)
    """
    match = ISO_DATE.match(value)
    if match is None:
        return False
    try:
        dt.date(int(match["year"]), int(match["month"] or 1), int(match["day"] or 1))
    except ValueError:
        return False
    return True


def period_start(value: str) -> str:
    """The first day a year, month or day covers: ``2018`` -> ``2018-01-01``."""
    return value + "-01-01"[len(value) - 4:] if len(value) < 10 else value


def period_end(value: str) -> str:
    """The last day's upper bound: ``2016`` -> ``2016-12-31`` (months count as 31 days: only
    the order matters)."""
    return value + "-12-31"[len(value) - 4:] if len(value) < 10 else value


def _checked_query(query: str, problems: list[Problem]) -> str:
    kept = DATE_CLAUSE.sub(lambda match: _date_clause(match, problems), query)
    kept = re.sub(r"\s{2,}", " ", kept).strip()
    if kept.count('"') % 2:
        opened = kept.rfind('"')
        problems.append(Problem("q", "Het aanhalingsteken voor „{phrase}” is niet gesloten; gezocht naar die "
                                "woorden als zin tot het einde.", {"phrase": kept[opened + 1:][:MAX_SHOWN]}))
        kept += '"'
    return kept


def _date_clause(match: re.Match[str], problems: list[Problem]) -> str:
    """The clause as it was, or "" (left out) with a problem saying why."""
    name, value = match["name"].lower(), match["value"].strip('"')
    bounds = RANGE.match(value)
    low, high = (bounds["lo"], bounds["hi"]) if bounds else (value, value)
    valid = is_year if name in YEAR_FIELDS else is_iso_date
    clause = match.group(0)[:MAX_SHOWN]
    if not (low or high) or any(part and not valid(part) for part in (low, high)):
        expected = "jjjj" if name in YEAR_FIELDS else "jjjj, jjjj-mm of jjjj-mm-dd"
        problems.append(Problem("q", "„{clause}” is geen geldig jaar of datum (gebruik {expected}); deze "
                                "voorwaarde is weggelaten.", {"clause": clause, "expected": expected}))
        return ""
    if low and high and period_start(low) > period_end(high):
        problems.append(Problem("q", "In „{clause}” ligt het einde vóór het begin; deze voorwaarde is weggelaten.",
                                {"clause": clause}))
        return ""
    return match.group(0)


def is_year(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}", value))
