"""Federated search: one query to the local index and to remote endpoints named in config.

Remotes are ``[[remote]]`` tables of the sources file (:mod:`.config`), each of a kind
in the :data:`~indexer.federation.kinds.KINDS` registry (``bronzoeker``: another
instance's JSON API; ``sru``: SRU searchRetrieve). :func:`federated_search` asks them
all in parallel within per-remote timeouts and a global deadline (:mod:`.fanout`),
fuses the answers by weighted reciprocal rank fusion and merges hits that name the same
document (:mod:`.fusion`). Remote answers are untrusted input (:mod:`.safe`).

Usage::

    federation = load_federation(config_path)        # None -> no remotes
    chosen = choose_remotes(federation, ["collega"])  # UnknownRemote for names not in config
    result = federated_search(request, backend, chosen, federation.settings)
"""

from __future__ import annotations

import os
from typing import Iterable

from indexer.config import ConfigError, load_config
from indexer.federation.config import (
    LOCAL,
    ConfigProblem,
    Federation,
    FederationSettings,
    RemoteConfig,
    federation_from_config,
    parse_remote,
)
from indexer.federation.fanout import federated_search
from indexer.federation.kinds import KINDS
from indexer.federation.model import (
    STATUS_ERROR,
    STATUS_OK,
    STATUS_SKIPPED,
    STATUS_TIMEOUT,
    EndpointReport,
    FederatedHit,
    FederatedResult,
    SourceHit,
)


class UnknownRemote(ValueError):
    """A request named an endpoint that is not in the config (answered with HTTP 400)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__("onbekende bron(nen): " + ", ".join(names))


def load_federation(config_path: str | os.PathLike[str] | None) -> Federation:
    """The federation config of a sources file; ``None`` or an unreadable file: no remotes."""
    if not config_path:
        return Federation()
    try:
        return federation_from_config(load_config(config_path))
    except ConfigError as exc:
        return Federation(problems=(ConfigProblem("config", str(exc)),))


def choose_remotes(federation: Federation, names: Iterable[str]) -> list[RemoteConfig]:
    """The remotes a request named (none named: all configured); never a name outside the config."""
    wanted = [name for name in dict.fromkeys(names) if name and name != LOCAL]
    unknown = [name for name in wanted if name not in federation.remotes]
    if unknown:
        raise UnknownRemote(unknown)
    return [federation.remotes[name] for name in wanted] if wanted else list(federation.remotes.values())


__all__ = [
    "KINDS", "LOCAL", "STATUS_ERROR", "STATUS_OK", "STATUS_SKIPPED", "STATUS_TIMEOUT", "ConfigProblem",
    "EndpointReport", "FederatedHit", "FederatedResult", "Federation", "FederationSettings", "RemoteConfig",
    "SourceHit", "UnknownRemote", "choose_remotes", "federated_search", "federation_from_config",
    "load_federation", "parse_remote",
]
