"""``folder`` sources: documents in a local directory (the bundled demo corpus).

The fetcher answers a ``file://`` directory URL with a JSON listing
(``[{"name", "size", "mtime", "is_dir"}]``); this connector turns that into one
document request per file. A sidecar ``NAME.meta.json`` next to a file carries
metadata for it (as a protocol would), and is fetched first.

A file name goes into its URL percent-encoded (``#``, ``?``, ``%`` and a literal
``..%2f`` stay part of the name), and every request carries the folder as
``within``: the fetcher refuses a path that resolves outside it (a link out).
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote, unquote, urlsplit

from indexer.model import ROLE_DOCUMENT, ROLE_LISTING, Failure, Record, Request, Response
from indexer.settings.fields import Option
from indexer.sources.base import Item, Source

SIDECAR_SUFFIX = ".meta.json"
ROLE_SIDECAR = "sidecar"
DEFAULT_INCLUDE = ("*.pdf", "*.xml", "*.html", "*.htm", "*.txt", "*.md")


class FolderSource(Source):
    """Options: ``path`` (directory, relative to the config file), ``include``
    (glob patterns), ``recursive`` (bool), and ``defaults`` (metadata for every file)."""

    kind = "folder"
    OPTIONS = (
        Option("path", str, required=True, help="de map (relatief aan het configuratiebestand)"),
        Option("include", list[str], DEFAULT_INCLUDE, help="bestandspatronen die meetellen"),
        Option("recursive", bool, True, help="ook in submappen"),
    )

    def start(self, cursor: str | None = None) -> Iterable[Request]:
        yield Request(url=self._root().as_uri() + "/", source=self.name, role=ROLE_LISTING,
                      within=str(self._root()))

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
                if self.options["recursive"]:
                    yield Request(url=base + quote(name, safe="") + "/", source=self.name, role=ROLE_LISTING,
                                  within=str(self._root()))
            elif self._included(name):
                yield self._file_request(base, name, names)

    def _file_request(self, base: str, name: str, names: set[str]) -> Request:
        url = base + quote(name, safe="")
        within = str(self._root())
        if name + SIDECAR_SUFFIX in names:
            return Request(url=base + quote(name + SIDECAR_SUFFIX, safe=""), source=self.name,
                           role=ROLE_SIDECAR, meta={"for": url}, native_id=self._native_id(url), within=within)
        return Request(url=url, source=self.name, role=ROLE_DOCUMENT, within=within,
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
                      native_id=response.request.native_id, within=response.request.within)

    def _record(self, response: Response) -> Record:
        request = response.request
        return Record(source=self.name, native_id=request.native_id, url=request.url,
                      body=response.body, content_type=response.content_type,
                      file_url=request.url, metadata=dict(request.meta))

    def _included(self, name: str) -> bool:
        if name.endswith(SIDECAR_SUFFIX):
            return False
        patterns: Iterable[str] = self.options["include"]
        return any(fnmatch.fnmatch(name.lower(), p) for p in patterns)

    def _root(self) -> Path:
        return Path(self.require("path")).resolve()

    def _native_id(self, url: str) -> str:
        """The path below the source root without its extension: stable across runs."""
        root = self._root().as_posix()
        path = unquote(urlsplit(url).path)
        relative = posixpath.relpath(path, root)
        return posixpath.splitext(relative)[0]
