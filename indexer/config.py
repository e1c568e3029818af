"""The sources file: read once at start-up, checked in full before any request.

A sources file is TOML::

    [settings]                 # optional
    delay = 1.0                # seconds between requests to one host
    timeout = 30.0
    max_bytes = 104857600
    database = "postgresql://…"  # optional: the shared catalogue of a fleet (indexer.catalogue)

    [[source]]
    name = "kamerstukken-pdf"
    kind = "folder"            # a key of indexer.sources.REGISTRY
    path = "kamerstukken-pdf"  # kind-specific options; paths are relative to this file

    [[remote]]                 # federation endpoints (see indexer.federation)
    name = "collega"
    kind = "bronzoeker"
    url = "http://127.0.0.1:8001/api/v1/search"

Every ``[settings]`` key is declared in :mod:`indexer.settings` (with its environment
override, which wins); every source option in its connector's ``OPTIONS``. An unknown key,
a missing option or a value of the wrong type stops the command with one Dutch line naming
the file, the key and the nearest known key (:class:`ConfigError`, exit 2), before any
request is made.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from indexer.errors import CannotRun
from indexer.settings import SECTIONS, Misconfigured, Settings, build
from indexer.settings.fields import environment, unknown
from indexer.sources import REGISTRY, SourceConfigError

ENV_DATA = "BRONZOEKER_DATA"
ENV_CONFIG = "BRONZOEKER_CONFIG"
DEFAULT_DATA_DIR = "data"
DEFAULT_CONFIG_NAMES = ("bronzoeker.toml", "corpus/sources.toml")
PATH_OPTIONS = ("path",)  # source options resolved relative to the config file
#: the tables a sources file may hold besides the sections of :mod:`indexer.settings`
TABLES = ("settings", "source", "remote")


class ConfigError(CannotRun):
    """The configuration is missing or wrong; the message says how to fix it (exit 2)."""


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str
    options: Mapping[str, Any]


@dataclass(frozen=True)
class Config:
    path: Path
    settings: Settings = field(default_factory=Settings)
    sources: tuple[SourceConfig, ...] = ()
    remotes: tuple[Mapping[str, Any], ...] = ()

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"unknown source {name!r} in {self.path} (known: {known})")


def resolve_data_dir(option: str | os.PathLike[str] | None) -> Path:
    """``--data-dir`` wins, then ``$BRONZOEKER_DATA``, then ``./data``."""
    return Path(option or os.environ.get(ENV_DATA) or DEFAULT_DATA_DIR)


def resolve_config_path(option: str | os.PathLike[str] | None) -> Path:
    """``--config`` wins, then ``$BRONZOEKER_CONFIG``, then the first default file that exists."""
    chosen = option or os.environ.get(ENV_CONFIG)
    if chosen:
        path = Path(chosen)
        if not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        return path
    for name in DEFAULT_CONFIG_NAMES:
        if Path(name).is_file():
            return Path(name)
    raise ConfigError(
        "no config file: pass --config FILE or set BRONZOEKER_CONFIG "
        f"(looked for {', '.join(DEFAULT_CONFIG_NAMES)})"
    )


def load_config(path: str | os.PathLike[str], env: Mapping[str, str] | None = None) -> Config:
    """The sources file, checked in full; ``env`` (default: the process environment)
    overrides its settings."""
    path = Path(path)
    data = _read_toml(path)
    _check_tables(data, path)
    try:
        sections = {name: data[name] for name in SECTIONS if name in data}
        settings = build(data.get("settings", {}), sections, environment() if env is None else env)
    except Misconfigured as exc:
        raise ConfigError(exc.located(str(path))) from None
    sources = tuple(_source(entry, path.parent, path) for entry in data.get("source", []))
    _check_unique(sources, path)
    return Config(path=path, settings=settings, sources=sources, remotes=tuple(data.get("remote", [])))


def load_settings(path: str | os.PathLike[str] | None) -> Settings:
    """The settings of a sources file, or from the environment alone without one."""
    if path is None:
        try:
            return build({}, {}, environment())
        except Misconfigured as exc:
            raise ConfigError(str(exc)) from None
    return load_config(path).settings


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def _check_tables(data: Mapping[str, Any], path: Path) -> None:
    known = (*TABLES, *SECTIONS)
    for name, value in data.items():
        if name not in known:
            subject, hint = unknown("tabel", name, known)
            raise ConfigError(f"{subject} in {path}{hint}")
        if name in ("source", "remote"):
            if not isinstance(value, list):
                raise ConfigError(f"{path}: schrijf [[{name}]] (een lijst van tabellen), niet [{name}]")
        elif not isinstance(value, dict):
            raise ConfigError(f"{path}: {name} moet een tabel zijn ([{name}]), niet {value!r}")


def _source(entry: Mapping[str, Any], base: Path, path: Path) -> SourceConfig:
    missing = [key for key in ("name", "kind") if key not in entry]
    if missing:
        raise ConfigError(f"{path}: a [[source]] lacks {', '.join(missing)}: {dict(entry)}")
    name, kind = str(entry["name"]), str(entry["kind"])
    if kind not in REGISTRY:
        subject, hint = unknown("soort", kind, REGISTRY)
        raise ConfigError(f"{subject} van bron {name!r} in {path}{hint}")
    options = {k: v for k, v in entry.items() if k not in ("name", "kind")}
    for key in PATH_OPTIONS:
        if isinstance(options.get(key), str):
            options[key] = str((base / options[key]).resolve())
    try:
        REGISTRY[kind].checked_options(name, options)
    except SourceConfigError as exc:
        raise ConfigError(exc.problem.located(str(path)) if exc.problem else f"{path}: {exc}") from None
    return SourceConfig(name=name, kind=kind, options=options)


def _check_unique(sources: tuple[SourceConfig, ...], path: Path) -> None:
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise ConfigError(f"{path}: source name {source.name!r} is used twice")
        seen.add(source.name)
