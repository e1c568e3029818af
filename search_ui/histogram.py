"""The results-over-time picture: matches per year (per month when the period spans at
most two years) as bars of a server-side SVG, each bar a link that narrows the period.

Counts come from the backend over every match (``date_counts``), never from the shown
page. The geometry is plain data here; ``_histogram.html`` draws it and names the periods
("april 2017", through the ``datum`` filter) (no inline style:
the CSP forbids it, so the look lives in ``static/style.css``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from indexer.index import SearchBackend, SearchRequest
from search_ui.views import backend, state_url

WIDTH = 600  # SVG user units; the picture scales with its box
HEIGHT = 120
LABEL_SPACE = 16  # below the bars, for the first/last period labels
GAP = 0.2  # share of a slot left empty between bars
MONTHS_UP_TO = 24  # a period of at most this many months is drawn per month
MIN_BAR = 2.0  # a period with matches never disappears
MAX_BARS = 120  # past this (a stray date centuries off) only periods with matches are drawn


@dataclass(frozen=True)
class Bar:
    period: str  # "2017" or "2017-04"
    count: int
    url: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Histogram:
    unit: str  # "year" | "month"
    bars: tuple[Bar, ...]
    total: int  # dated matches counted
    width: int = WIDTH
    height: int = HEIGHT
    label_y: int = HEIGHT + LABEL_SPACE - 3


def build(backend: SearchBackend, request: SearchRequest, period_url: Callable[[str], str]) -> Histogram | None:
    """The histogram of ``request``'s matches, or None when fewer than two periods hold any
    (one bar says nothing the total does not). ``period_url`` makes a bar's link."""
    counts = dict(backend.date_counts(request, "year"))
    if not counts:
        return None
    unit = choose_unit(request, sorted(counts))
    if unit == "month":
        counts = dict(backend.date_counts(request, "month"))
    periods = fill_periods(sorted(counts), unit)
    periods = periods if len(periods) <= MAX_BARS else sorted(counts)
    if len(periods) < 2:
        return None
    return Histogram(unit, tuple(layout(periods, counts, period_url)), sum(counts.values()))


def choose_unit(request: SearchRequest, years: list[str]) -> str:
    """Months when the chosen period, else the matches' own span, covers at most two years.

    >>> choose_unit(SearchRequest(date_from="2016-03", date_to="2017-12"), ["2016", "2017"])
    'month'
    >>> choose_unit(SearchRequest(), ["2005", "2024"]), choose_unit(SearchRequest(), ["2023", "2024"])
    ('year', 'month')
    """
    first = request.date_from or years[0]
    last = request.date_to or years[-1]
    return "month" if months_between(first, last) <= MONTHS_UP_TO else "year"


def months_between(first: str, last: str) -> int:
    """Months from the start of ``first`` to the end of ``last`` (ISO year, month or date).

    >>> months_between("2016", "2017"), months_between("2016-03", "2016-04-30")
    (24, 2)
    """
    start = int(first[:4]) * 12 + (int(first[5:7]) - 1 if len(first) >= 7 else 0)
    end = int(last[:4]) * 12 + (int(last[5:7]) - 1 if len(last) >= 7 else 11)
    return end - start + 1


def fill_periods(present: list[str], unit: str) -> list[str]:
    """Every period from the first to the last one present, empty ones included, so the
    axis is even.

    >>> fill_periods(["2015", "2017"], "year"), fill_periods(["2016-11", "2017-01"], "month")
    (['2015', '2016', '2017'], ['2016-11', '2016-12', '2017-01'])
    """
    if unit == "year":
        return [str(year) for year in range(int(present[0]), int(present[-1]) + 1)]
    first, last = (int(p[:4]) * 12 + int(p[5:7]) - 1 for p in (present[0], present[-1]))
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, last + 1)]


def layout(periods: list[str], counts: dict[str, int], period_url: Callable[[str], str]) -> list[Bar]:
    slot = WIDTH / len(periods)
    highest = max(counts.values())
    bars = []
    for index, period in enumerate(periods):
        count = counts.get(period, 0)
        height = HEIGHT * count / highest if count else 0.0
        height = max(height, MIN_BAR) if count else 0.0
        bar = Bar(period, count, period_url(period),
                  x=round(index * slot + slot * GAP / 2, 2), y=round(HEIGHT - height, 2),
                  width=round(slot * (1 - GAP), 2), height=round(height, 2))
        bars.append(bar)
    return bars




def for_search(request: SearchRequest) -> Histogram | None:
    """The histogram above the search results: a bar narrows this search to its period."""
    return build(backend(), request, lambda period: state_url(van=period, tot=period, pagina=None))
