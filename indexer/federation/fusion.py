"""Reciprocal rank fusion with per-endpoint weights, and de-duplication.

Each endpoint's list contributes ``weight / (k + rank)`` to a document's score
(Cormack, Clarke & Büttcher 2009), so endpoints with incomparable scores (Whoosh
BM25F, another instance's BM25F, an SRU server's unknown ranking) merge fairly.
Hits are the same document when they share a key: the canonical identifier
(``kst-28638-239``, ``wodc:…``), else the normalised public http(s) address, else the
content hash (two instances holding the same file without either). A merged hit keeps
every endpoint that found it; its score counts each endpoint once (its best rank).

Facet filters are applied to the merged list too (an SRU endpoint cannot apply them),
and its facets are counted disjunctively, like the local index's: a field with a chosen
value is counted over the hits that pass the other fields' filters.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Mapping, Sequence
from urllib.parse import urlsplit

from indexer.citekeys import Category
from indexer.citekeys.keys import URL_PREFIX, url_key
from indexer.export.public_url import public_url
from indexer.federation.model import FederatedHit, SourceHit
from indexer.model import Document

Facets = dict[str, tuple[tuple[str, int], ...]]


def dedup_keys(hit: SourceHit) -> tuple[str, ...]:
    """The keys that identify a hit's document across endpoints, strongest first."""
    keys: list[str] = []
    canonical = hit.document.identifiers.get("canonical", "").strip()
    if canonical.startswith(URL_PREFIX):
        keys.append(url_key(canonical.removeprefix(URL_PREFIX)))
    elif canonical:
        keys.append(canonical.lower())
    address = public_url(hit.document)  # a local hit's stored path never counts, as no remote sees it
    if urlsplit(address).scheme in ("http", "https"):
        keys.append(url_key(address))
    if hit.document.content_hash:
        keys.append("sha256:" + hit.document.content_hash.lower())
    return tuple(keys) or (f"id:{hit.endpoint}:{hit.document.id}",)


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


#: facet field -> its value in a document (the fields a merged list can be filtered on)
FIELD_VALUES: dict[str, Callable[[Document], str]] = {
    "source": lambda doc: doc.source,
    "category": lambda doc: doc.category or Category.OVERIG.value,
    "doc_type": lambda doc: doc.doc_type,
    "year": lambda doc: doc.year,
    "language": lambda doc: doc.language,
    "dossier": lambda doc: doc.identifiers.get("dossier", ""),
}


def passes(doc: Document, filters: Mapping[str, tuple[str, ...]], skip: str = "") -> bool:
    """Whether ``doc`` has one of the chosen values of every filtered field but ``skip``."""
    return all(FIELD_VALUES[name](doc) in values for name, values in filters.items()
               if values and name != skip and name in FIELD_VALUES)


def facets(hits: Sequence[FederatedHit], filters: Mapping[str, tuple[str, ...]] | None = None) -> Facets:
    """Counts over the merged list: per endpoint (a hit counts for each that found it) and
    per facet field, a filtered field over the hits passing the other filters."""
    filters = filters or {}
    listed = [hit for hit in hits if passes(hit.document, filters)]
    counted: Facets = {"endpoint": tuple(Counter(n for hit in listed for n in hit.endpoints).most_common())}
    for name, value_of in FIELD_VALUES.items():
        pool = [hit for hit in hits if passes(hit.document, filters, skip=name)] if name in filters else listed
        counts = Counter(value_of(hit.document) for hit in pool)
        counts.pop("", None)
        pairs = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        counted[name] = tuple(sorted(pairs, reverse=True)) if name == "year" else tuple(pairs)
    return counted
