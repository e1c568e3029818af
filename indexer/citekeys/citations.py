"""Citations in text to canonical keys, so documents link to each other across sources.

Kamerstuk citations in their spellings (``Kamerstuk 28 638, nr. 152``, ``Kamerstukken II
2016/17, 32 824, nr. 193``, ``Kamerstukken I 2014/15, 33802, C``, ``kst-32824-193``)
-> ``kst-28638-152``; Aanhangsel (``Aanhangsel Handelingen II 2014/15, nr. 1241``) ->
``ah-tk-20142015-1241``; Handelingen (``Handelingen II 2010/11, nr. 108, item 5``) ->
``h-tk-20102011-108-5``; URLs of hetccv.nl, wodc.nl, repository.wodc.nl and coe.int ->
``url:<normalised URL>``. The keys are built by :mod:`indexer.citekeys.keys`, so a citation
meets the key its document is stored under.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from indexer.citekeys.keys import ah_key, h_key, kst_key, url_key

#: hosts whose document URLs count as references (suffix match on the host)
CITED_HOSTS = ("hetccv.nl", "wodc.nl", "coe.int", "officielebekendmakingen.nl", "tweedekamer.nl")
_DOSSIER = r"\d{2}\s?\d{3}(?:-\d{2}|[ -](?:[IVXLC]+|[A-Z])\b)?"
_YEAR = r"\d{4}\s*[/–-]\s*\d{2,4}"
KAMERSTUK = re.compile(
    rf"[Kk]amerstuk(?:ken)?\s+(?:(?P<kamer>I{{1,2}}|ll)\s+)?(?:(?P<jaar>{_YEAR}),?\s+)?"
    rf"(?P<dossier>{_DOSSIER}),\s*(?:nrs?\.\s*(?P<nrs>\d+(?:\s*(?:,|en|t/m)\s*\d+)*)|(?P<letter>[A-Z]{{1,2}})\b)"
)
#: "(19637, nr. 1015)" as Handelingen and motions cite Kamerstukken without the word
BARE = re.compile(r"\(\s*(?P<dossier>\d{2}\s?\d{3}(?:-\d{2}|[ -][IVXLC]+\b)?)\s*,\s*"
                  r"nrs?\.\s*(?P<nrs>\d+(?:\s*(?:,|en|t/m)\s*\d+)*)\s*[,;)]")
KOOP_ID = re.compile(r"\b(?:kst-\d+(?:-(?:[IVXLC]+|[A-Z]|\d{2}))?-(?:\d+|[A-Z]{1,2})|"
                     r"(?:ah|h)-(?:tk|ek)-\d{8}(?:-\d+){1,2}|blg-\d+)\b")
AANHANGSEL = re.compile(rf"Aanhangsel\s+(?:van\s+de\s+)?Handelingen\s*(?P<kamer>I{{1,2}}|ll)?,?\s*"
                        rf"(?:vergaderjaar\s+)?(?P<jaar>{_YEAR}),?\s*(?:nr\.\s*)?(?P<nr>\d+)")
HANDELINGEN = re.compile(rf"(?<!Aanhangsel )Handelingen\s+(?P<kamer>I{{1,2}}|ll)\s+(?P<jaar>{_YEAR}),?\s*"
                         rf"nr\.\s*(?P<nr>\d+),?\s*item\s*(?P<item>\d+)")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+", re.I)


def find_references(text: str) -> list[str]:
    """Canonical keys of everything ``text`` cites, in order of first appearance.

    >>> find_references("Zie Kamerstukken II 2016/17, 32 824, nr. 193 en Aanhangsel Handelingen II 2014/15, nr. 1241;"
    ...                 " https://www.hetccv.nl/a/ (19637, nr. 1015)")
    ['kst-32824-193', 'ah-tk-20142015-1241', 'url:hetccv.nl/a', 'kst-19637-1015']
    """
    flat = re.sub(r"\s+", " ", text)
    found: list[tuple[int, str]] = []
    for match in KAMERSTUK.finditer(flat):
        numbers = re.findall(r"\d+", match["nrs"]) if match["nrs"] else [match["letter"]]
        found.extend((match.start(), kst_key(match["dossier"], n)) for n in numbers)
    for match in BARE.finditer(flat):
        found.extend((match.start(), kst_key(match["dossier"], n)) for n in re.findall(r"\d+", match["nrs"]))
    found.extend((m.start(), m.group(0)) for m in KOOP_ID.finditer(flat))
    for match in AANHANGSEL.finditer(flat):
        found.append((match.start(), ah_key(match["kamer"] or "", match["jaar"], match["nr"])))
    for match in HANDELINGEN.finditer(flat):
        found.append((match.start(), h_key(match["kamer"], match["jaar"], match["nr"], match["item"])))
    found.extend((m.start(), key) for m in URL.finditer(text) if (key := _url_key(m.group(0))))
    return _unique(key for _, key in sorted(found) if key)


def _url_key(raw: str) -> str:
    url = raw.rstrip(".,;:)]»’'\"")
    host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
    if not any(host == h or host.endswith("." + h) for h in CITED_HOSTS):
        return ""
    if match := KOOP_ID.search(url):
        return match.group(0)  # a link to a KOOP publication cites the publication
    if "officielebekendmakingen" in host or "tweedekamer" in host:
        return ""
    return url_key(url)


def _unique(keys: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for key in keys:
        seen.setdefault(key, None)
    return list(seen)
