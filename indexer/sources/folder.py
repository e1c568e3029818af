"""``folder`` sources: documents in a local directory (the bundled demo corpus).

The fetcher answers a ``file://`` directory URL with a JSON listing
(``[{"name", "size", "mtime", "is_dir"}]``); this connector turns that into one
document request per file. A sidecar ``NAME.meta.json`` next to a file carries
metadata for it (as a protocol would), and is fetched first.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

from indexer.model import ROLE_DOCUMENT, ROLE_LISTING, Failure, Record, Request, Response
from indexer.sources.base import Item, Source

SIDECAR_SUFFIX = ".meta.json"
ROLE_SIDECAR = "sidecar"
DEFAULT_INCLUDE = ("*.pdf", "*.xml", "*.html", "*.htm", "*.txt", "*.md")


class FolderSource(Source):
    """Options: ``path`` (directory, relative to the config file), ``include``
    (glob patterns), ``recursive`` (bool), and ``defaults`` (metadata for every file)."""

    kind = "folder"

    def start(self, cursor: str | None = None) -> Iterable[Request]:
        root = Path(self.require("path"))
        yield Request(url=root.resolve().as_uri() + "/", source=self.name, role=ROLE_LISTING)

    def parse(self, response: Response) -> Iterable[Item]:
        role = response.request.role
        if role == ROLE_LISTING:
            yield from self._parse_listing(response)
        elif role == ROLE_SIDECAR:
            yield from self._parse_sidecar(response)
        else:
            yield self._record(response)

    def _parse_listing(self, response: Response) -> Iterable[Item]:
        try:
            entries = json.loads(response.body)
        except ValueError as exc:
            yield Failure(response.url, f"unreadable folder listing: {exc}")
            return
        names = {entry["name"] for entry in entries}
        base = response.url.rstrip("/") + "/"
        for entry in sorted(entries, key=lambda e: e["name"]):
            name = entry["name"]
            if entry.get("is_dir"):
                if self.options.get("recursive", True):
                    yield Request(url=base + name + "/", source=self.name, role=ROLE_LISTING)
            elif self._included(name):
                yield self._file_request(base, name, names)

    def _file_request(self, base: str, name: str, names: set[str]) -> Request:
        url = base + name
        if name + SIDECAR_SUFFIX in names:
            return Request(url=url + SIDECAR_SUFFIX, source=self.name, role=ROLE_SIDECAR,
                           meta={"for": url}, native_id=self._native_id(url))
        return Request(url=url, source=self.name, role=ROLE_DOCUMENT,
                       meta=dict(self.options.get("defaults", {})), native_id=self._native_id(url))

    def _parse_sidecar(self, response: Response) -> Iterable[Item]:
        target = response.request.meta["for"]
        try:
            extra = json.loads(response.body)
        except ValueError as exc:
            yield Failure(response.url, f"unreadable sidecar metadata: {exc}")
            extra = {}
        meta: dict[str, Any] = {**self.options.get("defaults", {}), **extra}
        yield Request(url=target, source=self.name, role=ROLE_DOCUMENT, meta=meta,
                      native_id=response.request.native_id)

    def _record(self, response: Response) -> Record:
        request = response.request
        return Record(source=self.name, native_id=request.native_id, url=request.url,
                      body=response.body, content_type=response.content_type,
                      file_url=request.url, metadata=dict(request.meta))

    def _included(self, name: str) -> bool:
        if name.endswith(SIDECAR_SUFFIX):
            return False
        patterns: Iterable[str] = self.options.get("include", DEFAULT_INCLUDE)
        return any(fnmatch.fnmatch(name.lower(), p) for p in patterns)

    def _native_id(self, url: str) -> str:
        """The path below the source root without its extension: stable across runs."""
        root = Path(self.require("path")).resolve().as_posix()
        path = unquote(urlsplit(url).path)
        relative = posixpath.relpath(path, root)
        return posixpath.splitext(relative)[0]
