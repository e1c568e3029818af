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

``[settings]`` may carry ``federation_deadline`` (seconds for the whole fan-out),
``federation_local_weight`` and ``federation_rrf_k``. A malformed remote is skipped
and reported as a :class:`ConfigProblem`; it never stops the local search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit

from indexer.config import Config

LOCAL = "lokaal"  # the endpoint name of this instance's own index
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
COMMON_KEYS = ("name", "kind", "url", "weight", "timeout", "max_bytes", "max_hits", "label")
MAX_TIMEOUT = 60.0


@dataclass(frozen=True)
class RemoteConfig:
    name: str
    kind: str
    url: str
    weight: float = 1.0
    timeout: float = 5.0
    max_bytes: int = 2_000_000
    max_hits: int = 20
    label: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class FederationSettings:
    deadline: float = 8.0  # seconds for the whole fan-out, local index included
    local_weight: float = 1.0
    rrf_k: int = 60  # the usual constant of reciprocal rank fusion (Cormack et al. 2009)
    local_hits: int = 20  # local hits taken into the fusion


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
    return Federation(remotes, settings_from_extra(config.settings.extra), tuple(problems))


def parse_remote(entry: Mapping[str, Any]) -> RemoteConfig:
    """One ``[[remote]]`` table -> :class:`RemoteConfig`; ``ValueError`` says what is wrong."""
    from indexer.federation.kinds import KINDS  # the registry imports the kinds, which import us

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
    options = {k: v for k, v in entry.items() if k not in COMMON_KEYS}
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


def settings_from_extra(extra: Mapping[str, Any]) -> FederationSettings:
    """Federation settings from the ``[settings]`` keys that config.py keeps as extras."""
    defaults = FederationSettings()
    values = {
        "deadline": extra.get("federation_deadline", defaults.deadline),
        "local_weight": extra.get("federation_local_weight", defaults.local_weight),
        "rrf_k": extra.get("federation_rrf_k", defaults.rrf_k),
        "local_hits": extra.get("federation_local_hits", defaults.local_hits),
    }
    clean = {k: v for k, v in values.items()
             if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0}
    return FederationSettings(**{**defaults.__dict__, **clean})


MAX_DEPTH = 500  # hits asked of one endpoint at most, however far a user pages


def hits_wanted(remote: RemoteConfig, request_page_size: int) -> int:
    """How many hits to ask of ``remote``: its configured ``max_hits``, or more when the
    merged list is paged further (the fan-out asks for page x page size)."""
    return min(max(remote.max_hits, request_page_size), MAX_DEPTH)
