"""Settings and the sources file: one place that reads configuration, with defaults.

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
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

ENV_DATA = "BRONZOEKER_DATA"
ENV_CONFIG = "BRONZOEKER_CONFIG"
DEFAULT_DATA_DIR = "data"
DEFAULT_CONFIG_NAMES = ("bronzoeker.toml", "corpus/sources.toml")
PATH_OPTIONS = ("path",)  # source options resolved relative to the config file


class ConfigError(Exception):
    """The configuration is missing or wrong; the message says how to fix it."""


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str
    options: Mapping[str, Any]


@dataclass(frozen=True)
class Settings:
    delay: float = 1.0
    timeout: float = 30.0
    max_bytes: int = 100 * 1024 * 1024
    extract_timeout: float = 120.0
    extract_memory_mb: int = 2048
    # guarded extraction workers side by side; 0 = one per core (os.cpu_count())
    extract_workers: int = 0
    # documents per index commit: on 2,000 bulk motions 1000 crawled in 18.5 s against 22.0 s
    # for 200, into a 17 MB index against 26 MB (fewer segments); a kill redoes one batch
    batch_size: int = 1000
    # the shared PostgreSQL catalogue ("postgresql://…"); '' = everything in the data directory
    database: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    path: Path
    settings: Settings
    sources: tuple[SourceConfig, ...]
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


def load_config(path: str | os.PathLike[str]) -> Config:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    sources = tuple(_source(entry, path.parent, path) for entry in data.get("source", []))
    _check_unique(sources, path)
    return Config(path=path, settings=_settings(data.get("settings", {}), path),
                  sources=sources, remotes=tuple(data.get("remote", [])))


def _settings(data: Mapping[str, Any], path: Path) -> Settings:
    known = {f for f in Settings.__dataclass_fields__ if f != "extra"}
    values = {k: v for k, v in data.items() if k in known}
    extra = {k: v for k, v in data.items() if k not in known}
    try:
        return Settings(**values, extra=extra)
    except TypeError as exc:
        raise ConfigError(f"{path}: bad [settings]: {exc}") from None


def _source(entry: Mapping[str, Any], base: Path, path: Path) -> SourceConfig:
    missing = [key for key in ("name", "kind") if key not in entry]
    if missing:
        raise ConfigError(f"{path}: a [[source]] lacks {', '.join(missing)}: {dict(entry)}")
    options = {k: v for k, v in entry.items() if k not in ("name", "kind")}
    for key in PATH_OPTIONS:
        if key in options:
            options[key] = str((base / options[key]).resolve())
    return SourceConfig(name=str(entry["name"]), kind=str(entry["kind"]), options=options)


def _check_unique(sources: tuple[SourceConfig, ...], path: Path) -> None:
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise ConfigError(f"{path}: source name {source.name!r} is used twice")
        seen.add(source.name)
