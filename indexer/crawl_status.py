"""What the crawls left, per source: its last crawl, document counts, failures and
when it last changed.

Reads the index (document counts, newest date) through the search backend and the
crawl state (runs, URL counts, errors) through :mod:`indexer.fetch.state`, opened
read-only (SQLite ``mode=ro``): the web process may run as a user who can only read the
data directory, and showing a status never changes the state. Either may be missing. Shown by ``indexer status`` and by the UI's ``/status`` page
and ``/api/v1/status``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from indexer.export.dates import dutch
from indexer.fetch.state import STATE_FILE, CrawlState
from indexer.index import IndexMissing, SearchBackend, SearchRequest

RUNS_READ = 50
ERRORS_SHOWN = 5
CHANGE_KEYS = ("new", "changed", "deleted")


@dataclass
class SourceStatus:
    name: str
    documents: int = 0
    newest_date: str = ""
    last_crawl: str = ""  # when the last run that included this source finished
    last_exit_code: int | None = None
    last_changed: str = ""  # the last run that added, changed or removed documents
    last_run: dict[str, int] = field(default_factory=dict)  # new / changed / ... of the last run
    url_counts: dict[str, int] = field(default_factory=dict)  # indexed / failed / deleted / skipped
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url, reason), newest runs first

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def source_statuses(data_dir: str | Path, search_backend: SearchBackend,
                    configured: tuple[str, ...] = ()) -> list[SourceStatus]:
    statuses: dict[str, SourceStatus] = {name: SourceStatus(name) for name in configured}
    _add_index_counts(statuses, search_backend)
    state_file = Path(data_dir) / STATE_FILE
    if state_file.is_file():  # never create or change the crawl state from the UI
        with CrawlState(state_file, readonly=True) as state:
            add_runs(statuses, state.runs(RUNS_READ))
            for status in statuses.values():
                status.url_counts = state.counts(status.name)
    return sorted(statuses.values(), key=lambda s: s.name)


def _add_index_counts(statuses: dict[str, SourceStatus], search_backend: SearchBackend) -> None:
    try:
        counts = search_backend.stats().get("sources", {})
    except IndexMissing:
        return
    for name, count in dict(counts).items():  # type: ignore[call-overload]
        status = statuses.setdefault(name, SourceStatus(name))
        status.documents = int(count)
        newest = search_backend.search(SearchRequest(filters={"source": (name,)}, sort="date-desc",
                                                     page_size=1, facets=False, snippets=False))
        status.newest_date = newest.hits[0].document.date if newest.hits else ""


def add_runs(statuses: dict[str, SourceStatus], runs: list[dict[str, Any]]) -> None:
    """``runs`` newest first; each summary lists its sources with their counts."""
    for run in runs:
        sources = run.get("summary", {}).get("sources", [])
        for entry in sources if isinstance(sources, list) else []:
            if isinstance(entry, dict) and entry.get("name"):
                _add_run_entry(statuses.setdefault(entry["name"], SourceStatus(entry["name"])), run, entry)


def _add_run_entry(status: SourceStatus, run: dict[str, Any], entry: dict[str, Any]) -> None:
    if not status.last_crawl:
        status.last_crawl = str(run.get("finished", ""))
        status.last_exit_code = run.get("exit_code")
        status.last_run = {k: int(v) for k, v in entry.items() if isinstance(v, int)}
        status.errors = [tuple(f)[:2] for f in entry.get("failures", [])[:ERRORS_SHOWN]
                         if isinstance(f, (list, tuple)) and len(f) >= 2]
    if not status.last_changed and any(entry.get(key) for key in CHANGE_KEYS):
        status.last_changed = str(run.get("finished", ""))


#: last-run counts in the order and words of the terminal summary
RUN_WORDS = (("new", "nieuw"), ("changed", "gewijzigd"), ("unchanged", "ongewijzigd"), ("deleted", "verwijderd"),
             ("failed", "mislukt"), ("skipped_robots", "overgeslagen (robots.txt)"), ("gone", "verdwenen (404/410)"))


def describe(status: SourceStatus) -> list[str]:
    """One source's status as Dutch lines for the terminal (``indexer status``).

    >>> describe(SourceStatus("kamerstukken", 12, "2017-04-04", "2026-11-29T02:50:01Z", 1,
    ...                       last_run={"new": 2, "failed": 1}, errors=[("https://x/1.pdf", "kapotte PDF")]))
    ['  kamerstukken: 12 documenten, nieuwste 4 april 2017', '    laatste crawl 29 november 2026 02:50 UTC (met fouten): 2 nieuw, 1 mislukt', '    mislukt: https://x/1.pdf: kapotte PDF']
    """
    newest = f", nieuwste {dutch(status.newest_date)}" if status.newest_date else ""
    lines = [f"  {status.name}: {status.documents} documenten{newest}"]
    if not status.last_crawl:
        return [*lines, "    nog niet gecrawld"]
    # the source's own failures: the run's exit code also counts the other sources'
    outcome = "met fouten" if status.last_run.get("failed") else "zonder fouten"
    counts = ", ".join(f"{status.last_run[key]} {word}" for key, word in RUN_WORDS if status.last_run.get(key))
    when = f"{dutch(status.last_crawl[:10])} {status.last_crawl[11:16]} UTC"
    lines.append(f"    laatste crawl {when} ({outcome})" + (f": {counts}" if counts else ": niets veranderd"))
    return lines + [f"    mislukt: {url}: {reason}" for url, reason in status.errors]
