"""What the ``indexer`` commands share: the common options and how a command stops.

:mod:`indexer.cli` holds the command group and the everyday commands; the alerts and eval
commands live in their own modules and use these.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from indexer.config import ConfigError, resolve_config_path, resolve_data_dir
from indexer.errors import EXIT_COULD_NOT_RUN
from indexer.index import IndexMissing, SchemaMismatch, open_backend


def data_dir_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
                        envvar="BRONZOEKER_DATA", default=None,
                        help="Data directory (default ./data, or $BRONZOEKER_DATA).")(func)


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=None, help="Sources file (TOML); default $BRONZOEKER_CONFIG.")(func)


def fail(message: str) -> None:
    click.echo(f"fout: {message}", err=True)
    sys.exit(EXIT_COULD_NOT_RUN)


def optional_config(config_path: Path | None) -> str | None:
    try:
        return str(resolve_config_path(config_path))
    except ConfigError:
        return None


def backend_call(data_dir: Path | None, call: Callable[[Any], Any]) -> Any:
    backend = open_backend(resolve_data_dir(data_dir))
    try:
        result = call(backend)
    except (IndexMissing, SchemaMismatch) as exc:
        fail(str(exc))
    return result
