"""The status page: per source its last crawl, document counts, failures and when it
last changed. Reads the index (document counts) and the crawl state (runs, URL
counts, errors) through ``indexer.fetch.state``, read-only; either may be missing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app, render_template

from indexer.config import ConfigError, load_config
from indexer.fetch.state import STATE_FILE, CrawlState
from indexer.index import IndexMissing, SearchBackend, SearchRequest
from search_ui.views import backend, bp

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
    if state_file.is_file():  # never create the crawl state from the UI
        with CrawlState(state_file) as state:
            _add_runs(statuses, state.runs(RUNS_READ))
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


def _add_runs(statuses: dict[str, SourceStatus], runs: list[dict[str, Any]]) -> None:
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


def configured_sources() -> tuple[str, ...]:
    path = current_app.config.get("CONFIG_PATH")
    if not path:
        return ()
    try:
        return tuple(source.name for source in load_config(path).sources)
    except ConfigError:
        return ()


@bp.route("/status")
def status_page() -> Any:
    statuses = source_statuses(current_app.config["DATA_DIR"], backend(), configured_sources())
    return render_template("status.html", statuses=statuses,
                           total=sum(s.documents for s in statuses))
