"""What a federated query returns: per-endpoint hits, fused hits and endpoint reports.

A :class:`SourceHit` is one endpoint's answer for one document (its rank there, its
safe snippet, its link to the origin). A :class:`FederatedHit` groups the source hits
that name the same document (same canonical identifier or URL) with their fused score;
:meth:`FederatedHit.to_document` merges their metadata into one
:class:`~indexer.model.Document` so a federated list exports like a local one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from indexer.model import Document

STATUS_OK = "ok"
STATUS_TIMEOUT = "timeout"
STATUS_ERROR = "error"
STATUS_SKIPPED = "skipped"

#: Fields a merged document takes from the first source hit that has them.
MERGED_FIELDS = ("url", "file_url", "title", "doc_type", "date", "summary")


@dataclass(frozen=True)
class SourceHit:
    endpoint: str
    rank: int  # 1-based rank at that endpoint
    document: Document
    snippet: str = ""  # safe HTML: escaped text, only <mark> tags
    snippet_page: int | None = None
    link: str = ""  # http(s) URL on the origin; "" for local hits (the UI links its own page)
    local: bool = False


@dataclass(frozen=True)
class RemoteAnswer:
    """One endpoint's successful answer, before fusion."""

    total: int
    hits: tuple[SourceHit, ...]


@dataclass(frozen=True)
class EndpointReport:
    name: str
    kind: str
    status: str  # ok | timeout | error | skipped
    elapsed_ms: int = 0
    total: int = 0  # matches the endpoint reported
    returned: int = 0  # hits it gave us
    reason: str = ""
    label: str = ""

    @property
    def answered(self) -> bool:
        return self.status == STATUS_OK


@dataclass(frozen=True)
class FederatedHit:
    key: str  # the canonical identifier or normalised URL the sources share
    score: float
    sources: tuple[SourceHit, ...]  # the local hit first, then by endpoint rank

    @property
    def endpoints(self) -> tuple[str, ...]:
        return tuple(hit.endpoint for hit in self.sources)

    @property
    def primary(self) -> SourceHit:
        return self.sources[0]

    @property
    def document(self) -> Document:
        return self.primary.document

    @property
    def snippet(self) -> str:
        return next((hit.snippet for hit in self.sources if hit.snippet), "")

    @property
    def snippet_page(self) -> int | None:
        return next((hit.snippet_page for hit in self.sources if hit.snippet), None)

    @property
    def local(self) -> bool:
        return self.primary.local

    @property
    def link(self) -> str:
        """Where a remote-only hit opens: its origin (local hits open on our own page)."""
        return next((hit.link for hit in self.sources if hit.link), "")

    def to_document(self) -> Document:
        """One Document with the primary hit's fields, gaps filled from the others."""
        base = self.primary.document
        changes: dict[str, object] = {}
        for name in MERGED_FIELDS:
            if not getattr(base, name):
                found = next((getattr(h.document, name) for h in self.sources if getattr(h.document, name)), "")
                changes[name] = found
        identifiers: dict[str, str] = {}
        extra: dict[str, str] = {}
        for hit in reversed(self.sources):  # the primary wins on conflicts
            identifiers.update(hit.document.identifiers)
            extra.update(hit.document.extra)
        if not base.url and self.link:
            changes["url"] = self.link
        for name in ("creators", "authors"):
            if not getattr(base, name):
                changes[name] = next((getattr(h.document, name) for h in self.sources if getattr(h.document, name)), ())
        return base.replace(identifiers=identifiers, extra=extra, **changes)


@dataclass(frozen=True)
class FederatedResult:
    query: str
    hits: tuple[FederatedHit, ...]
    reports: tuple[EndpointReport, ...]
    facets: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    elapsed_ms: int = 0
    deadline_ms: int = 0
    #: True when every endpoint that answered gave all its matches: ``hits`` is then the
    #: whole merged list; otherwise more may follow further down the endpoints' lists
    complete: bool = True

    @property
    def total(self) -> int:
        """Distinct documents in the merged list fetched so far (all of them when ``complete``)."""
        return len(self.hits)

    def page(self, number: int, size: int) -> tuple[FederatedHit, ...]:
        return self.hits[(number - 1) * size:number * size]

    def report(self, name: str) -> EndpointReport | None:
        return next((r for r in self.reports if r.name == name), None)
