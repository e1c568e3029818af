"""The references on a document page as links: a cited key (``kst-28638-152``,
``ah-tk-20232024-1028``, ``url:hetccv.nl/…``) links to the document in this index when it
is there, else to its public address (the scheme registry of
:mod:`indexer.export.public_url`), with a readable label in the Dutch citation form.

A key found in the index is labelled with that document's own official citation; any other
with the short form its key allows (the vergaderjaar of a Kamerstuk is not in its key).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import url_for

from indexer.citekeys import normalise_dossier
from indexer.export.public_url import url_from_identifiers
from indexer.index import SearchBackend
from indexer.model import Document

#: references looked up on one page; a longer list shows the rest by label and address only
MAX_LOOKUPS = 200
KAMERS = {"tk": "II", "ek": "I"}
URL_KEY = "url:"


def _years(compact: str) -> str:
    """``20232024`` -> ``2023/24``."""
    return f"{compact[:4]}/{compact[6:8]}" if len(compact) == 8 else compact


#: key pattern -> its Dutch label; the first that matches wins
KEY_LABELS: dict[re.Pattern[str], Callable[[re.Match[str]], str]] = {
    re.compile(r"^kst-(?P<dossier>.+)-(?P<nr>\d+)$"):
        lambda m: f"Kamerstuk {normalise_dossier(m['dossier'])}, nr. {m['nr']}",
    re.compile(r"^ah-(?P<kamer>tk|ek)-(?P<jaar>\d{8})-(?P<nr>\d+)$"):
        lambda m: f"Aanhangsel Handelingen {KAMERS[m['kamer']]} {_years(m['jaar'])}, nr. {m['nr']}",
    re.compile(r"^h-(?P<kamer>tk|ek)-(?P<jaar>\d{8})-(?P<rest>.+)$"):
        lambda m: f"Handelingen {KAMERS[m['kamer']]} {_years(m['jaar'])} ({m['rest']})",
    re.compile(r"^(?P<blad>stb|stcrt|trb)-(?P<jaar>\d{4})-(?P<nr>\d+)$"):
        lambda m: f"{m['blad'].capitalize()}. {m['jaar']}, {m['nr']}",
    re.compile(r"^bwb:(?P<bwb>BWB[RV]\d{7})$"): lambda m: f"wetten.overheid.nl {m['bwb']}",
    re.compile(r"^url:(?P<address>.+)$"): lambda m: m["address"],
}


@dataclass(frozen=True)
class ReferenceLink:
    """One reference as the document page shows it."""

    key: str
    label: str
    href: str  # "" when neither the index nor the key gives an address
    in_index: bool


def key_label(key: str) -> str:
    """The readable label of a cited key (the key itself when no pattern knows it).

    >>> key_label("kst-28638-152"), key_label("kst-31700-VI-12"), key_label("ah-tk-20232024-1028")
    ('Kamerstuk 28638, nr. 152', 'Kamerstuk 31700 VI, nr. 12', 'Aanhangsel Handelingen II 2023/24, nr. 1028')
    >>> key_label("stb-2018-84"), key_label("url:hetccv.nl/x"), key_label("iets-anders")
    ('Stb. 2018, 84', 'hetccv.nl/x', 'iets-anders')
    """
    for pattern, label in KEY_LABELS.items():
        match = pattern.match(key)
        if match:
            return label(match)
    return key


def key_url(key: str) -> str:
    """The public address a key names, or ``""``.

    >>> key_url("kst-28638-152"), key_url("url:hetccv.nl/x"), key_url("bwb:BWBR0033564")
    ('https://zoek.officielebekendmakingen.nl/kst-28638-152.html', 'https://hetccv.nl/x', 'https://wetten.overheid.nl/BWBR0033564')
    """
    if key.startswith(URL_KEY):
        return "https://" + key.removeprefix(URL_KEY)  # the key keeps no scheme; the sites serve https
    return url_from_identifiers({"canonical": key})


def reference_links(doc: Document, backend: SearchBackend, cite: Callable[[Document], str]) -> list[ReferenceLink]:
    """Every reference of ``doc``, in its order: a link into the index when the cited
    document is there (labelled by ``cite``), else to the public address of the key."""
    links = []
    for number, key in enumerate(doc.references):
        found = _in_index(doc, key, backend) if number < MAX_LOOKUPS else []
        if found:
            target = found[0]
            links.append(ReferenceLink(key, cite(target), url_for("ui.document", doc_id=target.id), True))
        else:
            links.append(ReferenceLink(key, key_label(key), key_url(key), False))
    return links


def _in_index(doc: Document, key: str, backend: SearchBackend) -> Sequence[Document]:
    """The documents of this index citable by ``key`` (the backend's own "cites" lookup)."""
    return backend.cites(doc.replace(references=(key,)))
