"""Query latency per query class on one index: median and p95 milliseconds, with facets,
snippets and the requested sort, as the search page asks. Used by ``make bench``
(``bench/integrations.py``) on the scaled index; figures, never assertions.
"""

from __future__ import annotations

import math
import statistics
import time
from typing import Mapping, Sequence

from indexer.index.backend import SearchBackend, SearchRequest

#: query class -> example requests (facets and snippets on, as the search page asks)
DEFAULT_PROBES: dict[str, list[SearchRequest]] = {
    "one-term": [SearchRequest(query=q) for q in ("mensenhandel", "minister", "gemeenten", "asielzoekers")],
    "two-terms": [SearchRequest(query=q) for q in ("uitbuiting kinderen", "minister brief", "motie regering")],
    "common-words": [SearchRequest(query=q) for q in ("van Dijk", "de Kamer", "regering")],
    "phrase": [SearchRequest(query=q) for q in ('"Raad van State"', '"gaat over tot de orde van de dag"')],
    "identifier": [SearchRequest(query=q) for q in ("32824-193", "Kamerstuk 28 638, nr. 238")],
    "date-sort": [SearchRequest(query=q, sort="date-desc", page=2) for q in ("minister", "motie")],
    "filtered": [SearchRequest(query="minister", filters={"doc_type": ("motie",)}, date_from="2020")],
    "everything": [SearchRequest(query="", sort="date-desc")],
}


Probes = Mapping[str, Sequence["SearchRequest | str"]] | Sequence["SearchRequest | str"]


def latency_probe(backend: SearchBackend, probes: Probes | None = None,
                  repeat: int = 5) -> dict[str, dict[str, float]]:
    """Milliseconds per query class: median and p95 over ``repeat`` runs of each request
    (after one warm-up run), each with facets, snippets and the requested sort.

    ``probes``: query class -> requests (or plain query strings); a bare list is one
    class, "queries"; default :data:`DEFAULT_PROBES`.
    """
    classes = _as_classes(probes if probes is not None else DEFAULT_PROBES)
    for requests in classes.values():
        for request in requests:
            backend.search(request)  # warm caches: columns, lengths, postings, analyzers
    report = {}
    for name, requests in classes.items():
        times = sorted(_timed(backend, r) for r in requests for _ in range(repeat))
        report[name] = {"median_ms": round(statistics.median(times), 2),
                        "p95_ms": round(times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)], 2),
                        "runs": len(times)}
    return report


def _as_classes(probes: Probes) -> dict[str, list[SearchRequest]]:
    named = probes if isinstance(probes, Mapping) else {"queries": probes}
    return {name: [r if isinstance(r, SearchRequest) else SearchRequest(query=r) for r in requests]
            for name, requests in named.items()}


def _timed(backend: SearchBackend, request: SearchRequest) -> float:
    start = time.perf_counter()
    backend.search(request)
    return (time.perf_counter() - start) * 1000
