"""The public address of a document: what a citation, an export or a page may show.

A document's stored ``url`` and ``file_url`` say where *this installation* got it, which for
the folder source is a local ``file://`` path: an operator's detail (``indexer show``), never a
citation. The public URL is derived from the document's identifiers where the publisher's
URL scheme is known (the registry :data:`URL_SCHEMES`, facts in docs/public-urls.md); else a
web address the document was fetched from; else none, and the UI says the document is only
held locally. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import quote

from indexer.citekeys.koop import SERIES
from indexer.model import Document

WEB_SCHEMES = ("http://", "https://")
OFFICIELE_BEKENDMAKINGEN = "https://zoek.officielebekendmakingen.nl/{id}.html"
#: KOOP id prefixes published on officielebekendmakingen.nl (Kamerstukken, bijlagen,
#: Handelingen, Aanhangsels, Kamervragen, niet-dossierstukken, Staatsblad, Staatscourant,
#: Tractatenblad, Gemeenteblad, Provinciaal blad, Waterschapsblad, blad gemeenschappelijke regeling).
KOOP_ID = re.compile(rf"^(?:{'|'.join(SERIES)})-[A-Za-z0-9][A-Za-z0-9-]*$")
BWB_ID = re.compile(r"^BWB[RV]\d{7}$")
TK_DOCUMENT_NUMBER = re.compile(r"^\d{4}D\d{4,6}$")
HANDLE = re.compile(r"^\d+(?:\.\d+)*/[\w.-]+$")


def is_web_url(url: str) -> bool:
    """An address anyone can open (http or https), as opposed to a local path.

    >>> is_web_url("https://hetccv.nl/x"), is_web_url("file:///srv/corpus/a.pdf"), is_web_url("")
    (True, False, False)
    """
    return url.strip().lower().startswith(WEB_SCHEMES)


def koop_url(canonical: str) -> str:
    """The officielebekendmakingen.nl page of a KOOP publication.

    >>> koop_url("kst-28638-241"), koop_url("ah-tk-20232024-1178")
    ('https://zoek.officielebekendmakingen.nl/kst-28638-241.html', 'https://zoek.officielebekendmakingen.nl/ah-tk-20232024-1178.html')
    >>> koop_url("stcrt-2015-47076"), koop_url("wodc:2871"), koop_url("kst-1 2")
    ('https://zoek.officielebekendmakingen.nl/stcrt-2015-47076.html', '', '')
    """
    return OFFICIELE_BEKENDMAKINGEN.format(id=canonical) if KOOP_ID.match(canonical) else ""


def bwb_url(bwb: str) -> str:
    """The wetten.overheid.nl page of a regulation or treaty (BWBR…, BWBV…).

    >>> bwb_url("BWBR0033564"), bwb_url("BWBV0004138"), bwb_url("bwb:BWBR0033564")
    ('https://wetten.overheid.nl/BWBR0033564', 'https://wetten.overheid.nl/BWBV0004138', '')
    """
    return f"https://wetten.overheid.nl/{bwb}" if BWB_ID.match(bwb) else ""


def tk_document_url(number: str) -> str:
    """The tweedekamer.nl page of a Tweede Kamer document number (``2015D04817``).

    >>> tk_document_url("2015D04817")
    'https://www.tweedekamer.nl/kamerstukken/detail?id=2015D04817&did=2015D04817'
    >>> tk_document_url("2015P02267")
    ''
    """
    return f"https://www.tweedekamer.nl/kamerstukken/detail?id={number}&did={number}" if (
        TK_DOCUMENT_NUMBER.match(number)) else ""


def handle_url(handle: str) -> str:
    """The resolver address of a handle (WODC's DSpace repository uses 20.500.12832).

    >>> handle_url("20.500.12832/2871"), handle_url("not a handle")
    ('https://hdl.handle.net/20.500.12832/2871', '')
    """
    return f"https://hdl.handle.net/{quote(handle, safe='/')}" if HANDLE.match(handle) else ""


def _bwb(identifiers: Mapping[str, str]) -> str:
    return identifiers.get("bwb") or identifiers.get("canonical", "").removeprefix("bwb:")


#: Identifier → public URL, tried in this order; the first that yields an address wins.
URL_SCHEMES: Mapping[str, Callable[[Mapping[str, str]], str]] = {
    "koop": lambda ids: koop_url(ids.get("canonical", "")),
    "bwb": lambda ids: bwb_url(_bwb(ids)),
    "tk_id": lambda ids: tk_document_url(ids.get("tk_id", "")),
    "handle": lambda ids: handle_url(ids.get("handle", "")),
}


def url_from_identifiers(identifiers: Mapping[str, str]) -> str:
    """The publisher's address that follows from the identifiers, or ``""``.

    >>> url_from_identifiers({"canonical": "bwb:BWBR0034176", "bwb": "BWBR0034176"})
    'https://wetten.overheid.nl/BWBR0034176'
    >>> url_from_identifiers({"canonical": "url:example.org/x"})
    ''
    """
    for derive in URL_SCHEMES.values():
        url = derive(identifiers)
        if url:
            return url
    return ""


def public_url(doc: Document) -> str:
    """The address to cite: from the identifiers, else the web address the document came
    from (a CAHROM document's rm.coe.int address, a CCV page), else ``""`` (held locally only).

    >>> public_url(Document(id="k:x", source="k", url="file:///srv/corpus/kst-28638-241.xml",
    ...     identifiers={"canonical": "kst-28638-241"}))
    'https://zoek.officielebekendmakingen.nl/kst-28638-241.html'
    >>> public_url(Document(id="r:x", source="r", url="file:///srv/corpus/nota.pdf"))
    ''
    """
    derived = url_from_identifiers(doc.identifiers)
    if derived:
        return derived
    return doc.url.strip() if is_web_url(doc.url) else ""


def public_file_url(doc: Document) -> str:
    """The original file's address when it is on the web; a local file is never shown.

    >>> public_file_url(Document(id="r:x", source="r", file_url="file:///srv/corpus/nota.pdf"))
    ''
    """
    return doc.file_url.strip() if is_web_url(doc.file_url) else ""


def public_document(doc: Document) -> Document:
    """``doc`` as users and exports may see it: public addresses only, no local paths."""
    return doc.replace(url=public_url(doc), file_url=public_file_url(doc),
                       references=tuple(ref for ref in doc.references if "file:" not in ref.lower()))
