"""Source kinds: a registry maps each ``kind`` in the sources file to its connector class."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indexer.sources.base import Source, SourceConfigError
from indexer.sources.folder import FolderSource
from indexer.sources.oai_pmh import OaiPmhSource
from indexer.sources.sitemap import SitemapSource
from indexer.sources.sru import SruSource
from indexer.sources.tk_odata import TkODataSource
from indexer.sources.website import WebsiteSource

REGISTRY: dict[str, type[Source]] = {
    cls.kind: cls
    for cls in (FolderSource, WebsiteSource, SitemapSource, OaiPmhSource, SruSource, TkODataSource)
}


def build_source(name: str, kind: str, options: Mapping[str, Any]) -> Source:
    """Instantiate the connector for ``kind`` or fail with the known kinds listed."""
    try:
        cls = REGISTRY[kind]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise SourceConfigError(f"source {name!r}: unknown kind {kind!r} (known: {known})") from None
    return cls(name, options)


__all__ = ["REGISTRY", "Source", "SourceConfigError", "build_source"]
