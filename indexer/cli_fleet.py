"""``indexer status`` and ``indexer check`` of a fleet: the same commands, reading the
PostgreSQL catalogue when one is configured (:mod:`indexer.catalogue.overview`,
:mod:`indexer.catalogue.health`) instead of a data directory."""

from __future__ import annotations

import json
from pathlib import Path

import click

from indexer.catalogue import connect, database_url
from indexer.catalogue.migrations import require_current
from indexer.cli_options import optional_config
from indexer.config import ConfigError, load_config

Echo = click.echo


def configured_database(database: str, config_path: Path | None) -> str:
    """--database, else the sources file's [settings] database, else the environment; '' = embedded."""
    if database:
        return database_url(setting=database)
    path = optional_config(config_path)
    try:
        setting = load_config(path).settings.fleet.database if path else ""
    except ConfigError:
        setting = ""  # a broken sources file is `indexer config check`'s to report, not status's
    return database_url(setting=setting)


def fleet_status(url: str, configured: tuple[str, ...], as_json: bool) -> None:
    from indexer.catalogue.overview import fleet_status as read_fleet
    from indexer.catalogue.overview import source_statuses
    from indexer.crawl_status import describe

    with connect(url) as conn:
        require_current(conn)
        fleet = read_fleet(conn)
    statuses = source_statuses(url, configured)
    if as_json:
        Echo(json.dumps({"catalogue": fleet.to_dict(), "crawl": [s.to_dict() for s in statuses]},
                        ensure_ascii=False, indent=2))
        return
    for line in [*fleet.lines(), *(line for s in statuses for line in describe(s))]:
        Echo(line)


def fleet_check(url: str, repair: bool) -> bool:
    """Print the catalogue's report (after repairing, with ``repair``); True when it is damaged."""
    from indexer.catalogue.health import check_catalogue, repair_catalogue

    with connect(url) as conn:
        require_current(conn)
        report = repair_catalogue(conn, lambda line: Echo(line, err=True)) if repair else check_catalogue(conn)
    for line in report.lines():
        Echo(line)
    return report.damaged
