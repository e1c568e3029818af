"""How much federation adds to a query: the same queries, local only and federated.

Used by ``make bench`` (``bench/integrations.py`` calls :func:`measure_overhead`); never by
a test assertion. Medians over ``repeat`` runs per query, in milliseconds.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable, Sequence

from indexer.federation.fanout import federated_search
from indexer.federation.model import RemoteConfig
from indexer.index.backend import SearchBackend, SearchRequest
from indexer.settings import FederationSettings


def measure_overhead(backend: SearchBackend, remotes: Sequence[RemoteConfig], queries: Sequence[str],
                     settings: FederationSettings | None = None, repeat: int = 5) -> dict[str, object]:
    """Median latency of local-only search, of local-only fan-out and of the full fan-out.

    ``fanout_local_ms`` minus ``local_ms`` is the machinery's own cost (threads, fusion);
    ``federated_ms`` minus ``local_ms`` is what the user waits extra with these remotes.
    """
    settings = settings or FederationSettings()
    local: list[float] = []
    fanout_local: list[float] = []
    federated: list[float] = []
    for query in queries:
        request = SearchRequest(query=query, page_size=settings.local_hits, facets=False)
        for _ in range(repeat):
            local.append(_timed(backend.search, request))
            fanout_local.append(_timed(federated_search, request, backend, (), settings))
            federated.append(_timed(federated_search, request, backend, remotes, settings))
    result = {"queries": len(queries), "repeat": repeat, "remotes": [r.name for r in remotes],
              "local_ms": _median(local), "fanout_local_ms": _median(fanout_local),
              "federated_ms": _median(federated)}
    result["overhead_ms"] = round(result["federated_ms"] - result["local_ms"], 2)  # type: ignore[operator]
    return result


def _timed(call: Callable[..., object], *args: object) -> float:
    begin = time.perf_counter()
    call(*args)
    return (time.perf_counter() - begin) * 1000


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2) if values else 0.0
