"""Federation configuration: the ``[[remote]]`` tables of the sources file, validated.

Each remote is data::

    [[remote]]
    name = "collega"            # letters, digits, - and _; shown in the UI and used in ?remote=
    kind = "bronzoeker"         # a key of indexer.federation.kinds.KINDS: bronzoeker | sru
    url = "http://10.0.0.5:8080/api/v1/search"
    weight = 1.0                # its weight in reciprocal rank fusion
    timeout = 3.0               # seconds this remote may take
    max_bytes = 2000000         # response size cap
    max_hits = 20               # hits asked for (SRU maximumRecords)
    label = "Collega-index"     # optional display name
    # kind-specific options (sru): schema = "gzd" | "dc", version, cql_index,
    # cql_filter, date_index, params = { x-connection = "oep" }

The fan-out's own settings (``federation_deadline``, ``federation_local_weight``,
``federation_rrf_k``, ``federation_local_hits`` in ``[settings]``, or a ``[federation]``
table) are the ``federation`` section of :mod:`indexer.settings`. A malformed remote
(an unknown kind or option, a bad value) is skipped and reported as a
:class:`ConfigProblem`; it never stops the local search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit

from indexer.config import Config
from indexer.federation.kinds import KINDS, OPTIONS
from indexer.federation.model import RemoteConfig
from indexer.settings import FederationSettings, Misconfigured, check_options

LOCAL = "lokaal"  # the endpoint name of this instance's own index
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
COMMON_KEYS = ("name", "kind", "url", "weight", "timeout", "max_bytes", "max_hits", "label")
MAX_TIMEOUT = 60.0
__all__ = ["LOCAL", "ConfigProblem", "Federation", "FederationSettings", "RemoteConfig", "federation_from_config",
           "parse_remote"]


@dataclass(frozen=True)
class ConfigProblem:
    name: str
    reason: str


@dataclass(frozen=True)
class Federation:
    """Everything a federated query needs from configuration."""

    remotes: Mapping[str, RemoteConfig] = field(default_factory=dict)
    settings: FederationSettings = field(default_factory=FederationSettings)
    problems: tuple[ConfigProblem, ...] = ()


def federation_from_config(config: Config | None) -> Federation:
    """Remotes and settings from a loaded config (``None``: no remotes)."""
    if config is None:
        return Federation()
    remotes: dict[str, RemoteConfig] = {}
    problems: list[ConfigProblem] = []
    for entry in config.remotes:
        try:
            remote = parse_remote(entry)
        except ValueError as exc:
            problems.append(ConfigProblem(str(entry.get("name", "?")), str(exc)))
            continue
        if remote.name in remotes:
            problems.append(ConfigProblem(remote.name, "naam komt twee keer voor"))
            continue
        remotes[remote.name] = remote
    return Federation(remotes, config.settings.federation, tuple(problems))


def parse_remote(entry: Mapping[str, Any]) -> RemoteConfig:
    """One ``[[remote]]`` table -> :class:`RemoteConfig`; ``ValueError`` says what is wrong."""
    name = str(entry.get("name", ""))
    if not NAME_PATTERN.match(name) or name == LOCAL:
        raise ValueError(f"ongeldige naam {name!r} (letters, cijfers, - en _; niet {LOCAL!r})")
    kind = str(entry.get("kind", ""))
    if kind not in KINDS:
        raise ValueError(f"onbekende soort {kind!r} (bekend: {', '.join(KINDS)})")
    url = str(entry.get("url", ""))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"url moet http(s) zijn met een host: {url!r}")
    try:
        options = check_options(OPTIONS[kind], {k: v for k, v in entry.items() if k not in COMMON_KEYS},
                                f"[[remote]] {name!r} ({kind})")
    except Misconfigured as exc:
        raise ValueError(str(exc)) from None
    return RemoteConfig(
        name=name, kind=kind, url=url, label=str(entry.get("label", "")), options=options,
        weight=_number(entry, "weight", 1.0, 0.0, 100.0),
        timeout=_number(entry, "timeout", 5.0, 0.05, MAX_TIMEOUT),
        max_bytes=int(_number(entry, "max_bytes", 2_000_000, 1024, 50_000_000)),
        max_hits=int(_number(entry, "max_hits", 20, 1, 100)),
    )


def _number(entry: Mapping[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{key} moet een getal zijn, niet {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{key} = {value} ligt niet tussen {low} en {high}")
    return float(value)
