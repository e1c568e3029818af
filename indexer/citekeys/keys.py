"""Canonical keys: the one string under which a document is cited and linked.

A KOOP publication's key is its id (``kst-32824-193``, ``ah-tk-20142015-1241``,
``h-tk-20102011-108-5``); any other document's key is ``url:`` and its normalised address
(``url:hetccv.nl/a/b``). References found in text, identifiers typed into the search box and
the keys a document is stored under all come from here, so they meet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urlsplit

from indexer.citekeys.chamber import Chamber, parse_chamber
from indexer.citekeys.dossier import dossier_key
from indexer.citekeys.vergaderjaar import parse_vergaderjaar

URL_PREFIX = "url:"


class Citable(Protocol):
    """What :func:`canonical_keys` reads of a document (``indexer.model.Document`` has it)."""

    @property
    def identifiers(self) -> Mapping[str, str]: ...

    @property
    def url(self) -> str: ...

    @property
    def file_url(self) -> str: ...


def normalise_url(url: str) -> str:
    """``https://www.HetCCV.nl/a/b/?x=1#top`` -> ``hetccv.nl/a/b?x=1``: no scheme, ``www.``,
    fragment, default port or trailing slash; host lowercased.

    >>> normalise_url("https://www.HetCCV.nl/a/b/?x=1#top"), normalise_url("wodc.nl:8080/x")
    ('hetccv.nl/a/b?x=1', 'wodc.nl:8080/x')
    """
    url = url.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        url = "http://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    return host + path + (f"?{parts.query}" if parts.query else "")


def url_key(url: str) -> str:
    """The key of a document known by its address.

    >>> url_key("https://www.wodc.nl/onderzoek/")
    'url:wodc.nl/onderzoek'
    """
    return URL_PREFIX + normalise_url(url)


def canonical_keys(doc: Citable) -> set[str]:
    """The keys under which ``doc`` can be cited: its canonical id and its (remote) URLs.

    >>> from types import SimpleNamespace
    >>> sorted(canonical_keys(SimpleNamespace(identifiers={"canonical": "kst-32824-193"},
    ...     url="https://www.wodc.nl/x/", file_url="file:///srv/x.pdf")))
    ['kst-32824-193', 'url:wodc.nl/x']
    """
    keys = {doc.identifiers["canonical"]} if doc.identifiers.get("canonical") else set()
    keys.update(url_key(u) for u in (doc.url, doc.file_url) if u and "://" in u and not u.startswith("file:"))
    return keys


def kst_key(dossier: str, number: str) -> str:
    """``36 600 VI``, ``149`` -> ``kst-36600-VI-149``; ``""`` when ``dossier`` is no dossier number.

    >>> kst_key("32 824", "193"), kst_key("36600 vi", "149"), kst_key("21501-02", "3121")
    ('kst-32824-193', 'kst-36600-VI-149', 'kst-21501-02-3121')
    """
    key = dossier_key(dossier)
    return f"kst-{key}-{number.strip()}" if key else ""


def _code(chamber: str) -> str:
    """KOOP-id code of a chamber as citations write it; citations without one mean the Tweede Kamer."""
    return (parse_chamber(chamber) or Chamber.TK).value if chamber else Chamber.TK.value


def ah_key(chamber: str, jaar: str, number: str) -> str:
    """``II``, ``2014/15``, ``1241`` -> ``ah-tk-20142015-1241``; ``""`` without a valid year.

    >>> ah_key("II", "2014/15", "1241"), ah_key("I", "2019-2020", "7"), ah_key("", "2014", "1")
    ('ah-tk-20142015-1241', 'ah-ek-20192020-7', '')
    """
    year = parse_vergaderjaar(jaar)
    return f"ah-{_code(chamber)}-{year.compact}-{number}" if year else ""


def h_key(chamber: str, jaar: str, vergadering: str, item: str) -> str:
    """``II``, ``2010/11``, ``108``, ``5`` -> ``h-tk-20102011-108-5``.

    >>> h_key("II", "2010/11", "108", "5")
    'h-tk-20102011-108-5'
    """
    year = parse_vergaderjaar(jaar)
    return f"h-{_code(chamber)}-{year.compact}-{vergadering}-{item}" if year else ""
