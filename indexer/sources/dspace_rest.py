"""Finding a DSpace 7 item's file through its REST API (no I/O: requests and parsing only).

DSpace 7's ``oai_dc`` carries no bitstream link, so an item's PDF is found the way the
DSpace 7 REST contract (DSpace/RestContract: ``pid``, ``items.md``, ``bundles.md``,
``bitstreams.md``) describes:

1. ``GET <rest>/pid/find?id=<handle>`` answers 302 to ``<rest>/core/items/<uuid>`` (the
   fetcher follows it): the item, with ``_links.bundles.href``;
2. ``GET …/items/<uuid>/bundles``: ``_embedded.bundles``, the one named ``ORIGINAL``
   holds the deposited files (``THUMBNAIL``, ``TEXT``, ``LICENSE`` do not); its
   bitstreams are embedded or behind ``_links.bitstreams.href``;
3. a bitstream's ``_links.content.href`` is the file: the first whose name ends in
   ``.pdf``, else the first one.

Each step is a request that carries the record's metadata and native id along; a step
that finds nothing says why, so the source can record a failure for that record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from indexer.model import ROLE_DOCUMENT

ROLE_ITEM = "dspace_item"
ROLE_BUNDLES = "dspace_bundles"
ROLE_BITSTREAMS = "dspace_bitstreams"
ROLES = (ROLE_ITEM, ROLE_BUNDLES, ROLE_BITSTREAMS)
ORIGINAL = "ORIGINAL"


class NotFound(ValueError):
    """The REST answer holds no usable next step (the reason is the message)."""


def item_url(rest_base: str, handle: str) -> str:
    """``https://repository.wodc.nl/server/api`` + ``20.500.12832/3183`` -> the pid lookup."""
    return f"{rest_base.rstrip('/')}/pid/find?id={quote(handle, safe='/.')}"


def next_url(role: str, body: bytes) -> tuple[str, str]:
    """(next role, URL) after the answer to a ``role`` request; raises :class:`NotFound`."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise NotFound(f"DSpace REST: antwoord is geen JSON ({exc})") from None
    if not isinstance(data, Mapping):
        raise NotFound("DSpace REST: antwoord is geen object")
    return STEPS[role](data)


def _after_item(item: Mapping[str, Any]) -> tuple[str, str]:
    href = _href(item, "bundles")
    if not href:
        raise NotFound(f"DSpace REST: item {item.get('uuid', '?')} zonder bundles-link")
    return ROLE_BUNDLES, href


def _after_bundles(page: Mapping[str, Any]) -> tuple[str, str]:
    bundles = (page.get("_embedded") or {}).get("bundles") or []
    original = next((b for b in bundles if isinstance(b, Mapping) and b.get("name") == ORIGINAL), None)
    if original is None:
        names = ", ".join(str(b.get("name")) for b in bundles if isinstance(b, Mapping)) or "geen"
        raise NotFound(f"DSpace REST: geen ORIGINAL-bundle (wel: {names})")
    embedded = (original.get("_embedded") or {}).get("bitstreams")
    if isinstance(embedded, list):
        return ROLE_DOCUMENT, _content_of(embedded)
    href = _href(original, "bitstreams")
    if not href:
        raise NotFound("DSpace REST: ORIGINAL-bundle zonder bitstreams-link")
    return ROLE_BITSTREAMS, href


def _after_bitstreams(page: Mapping[str, Any]) -> tuple[str, str]:
    bitstreams = (page.get("_embedded") or {}).get("bitstreams")
    return ROLE_DOCUMENT, _content_of(bitstreams if isinstance(bitstreams, list) else [])


def _content_of(bitstreams: list[Any]) -> str:
    usable = [b for b in bitstreams if isinstance(b, Mapping) and _href(b, "content")]
    if not usable:
        raise NotFound("DSpace REST: ORIGINAL-bundle zonder bestand")
    chosen = next((b for b in usable if str(b.get("name") or "").lower().endswith(".pdf")), usable[0])
    return _href(chosen, "content")


def _href(entity: Mapping[str, Any], link: str) -> str:
    value = ((entity.get("_links") or {}).get(link) or {})
    return str(value.get("href") or "") if isinstance(value, Mapping) else ""


STEPS = {ROLE_ITEM: _after_item, ROLE_BUNDLES: _after_bundles, ROLE_BITSTREAMS: _after_bitstreams}
