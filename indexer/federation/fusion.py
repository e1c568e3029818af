"""Reciprocal rank fusion with per-endpoint weights, and de-duplication.

Each endpoint's list contributes ``weight / (k + rank)`` to a document's score
(Cormack, Clarke & Büttcher 2009), so endpoints with incomparable scores (Whoosh
BM25F, another instance's BM25F, an SRU server's unknown ranking) merge fairly.
Hits are the same document when they share a key: the canonical identifier
(``kst-28638-239``, ``wodc:…``) or the normalised http(s) landing-page URL. A merged
hit keeps every endpoint that found it; its score counts each endpoint once (its best rank).
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Sequence
from urllib.parse import urlsplit

from indexer.citekeys import Category
from indexer.federation.model import FederatedHit, SourceHit

Facets = dict[str, tuple[tuple[str, int], ...]]


def dedup_keys(hit: SourceHit) -> tuple[str, ...]:
    """The keys that identify a hit's document across endpoints."""
    keys: list[str] = []
    canonical = hit.document.identifiers.get("canonical", "").strip()
    if canonical.startswith("url:"):
        keys.append("url:" + normalise_url(canonical[4:]))
    elif canonical:
        keys.append(canonical.lower())
    if urlsplit(hit.document.url).scheme in ("http", "https"):
        keys.append("url:" + normalise_url(hit.document.url))
    return tuple(keys) or (f"id:{hit.endpoint}:{hit.document.id}",)


def normalise_url(url: str) -> str:
    """Scheme, ``www.``, fragment and trailing slash do not make another document."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def fuse(lists: Mapping[str, Sequence[SourceHit]], weights: Mapping[str, float], k: int = 60) -> list[FederatedHit]:
    """Merged hits, best first, from each endpoint's ranked list."""
    groups: list[dict[str, SourceHit]] = []  # per group: endpoint -> its best hit
    by_key: dict[str, int] = {}
    for endpoint, hits in lists.items():
        for hit in sorted(hits, key=lambda h: h.rank):
            keys = dedup_keys(hit)
            index = next((by_key[key] for key in keys if key in by_key), None)
            if index is None:
                index = len(groups)
                groups.append({})
            groups[index].setdefault(endpoint, hit)
            by_key.update({key: index for key in keys})
    merged = [_merged(group, weights, k) for group in groups]
    return sorted(merged, key=lambda h: (-h.score, -len(h.sources), h.primary.rank))


def _merged(group: dict[str, SourceHit], weights: Mapping[str, float], k: int) -> FederatedHit:
    def contribution(hit: SourceHit) -> float:
        return weights.get(hit.endpoint, 1.0) / (k + hit.rank)

    ordered = sorted(group.values(), key=lambda h: (not h.local, -contribution(h)))
    score = sum(contribution(hit) for hit in ordered)
    return FederatedHit(key=dedup_keys(ordered[0])[0], score=score, sources=tuple(ordered))


def facets(hits: Sequence[FederatedHit]) -> Facets:
    """Counts over the merged list: per endpoint (a hit counts for each that found it), category, year."""
    endpoint = Counter(name for hit in hits for name in hit.endpoints)
    category = Counter(hit.document.category or Category.OVERIG.value for hit in hits)
    year = Counter(hit.document.year for hit in hits if hit.document.year)
    return {"endpoint": tuple(endpoint.most_common()), "category": tuple(category.most_common()),
            "year": tuple(sorted(year.items(), reverse=True))}
