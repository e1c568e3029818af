"""Identifiers typed into the search box, as the citation keys the index stores.

A user who types ``32824-193``, ``kst-32824-193``, ``KST 32824 193``,
``Kamerstuk 32 824, nr. 193`` or ``Kamerstukken II 2016/17, 32824, nr. 193`` means one
document: :func:`identifier_keys` turns each spelling into its canonical key
(``kst-32824-193``), so the query can put that document first. The citation
spellings are the vocabulary's (:func:`indexer.citekeys.citations.find_references`);
the short forms people type are recognised here.
"""

from __future__ import annotations

import re

from indexer.citekeys import find_references, kst_key

_DOSSIER = r"(?P<dossier>\d{2}\s?\d{3})(?:[- ](?P<suffix>[IVXLC]+|\d{2})\b)?"
#: "32824-193", "32 824-193", "36600-VI-149", "21501-02-3121", "kst 32824 193"
SHORT_KST = re.compile(rf"(?<![\w-])(?:kst[- ]?)?{_DOSSIER}[- ](?:nr\.?\s*)?(?P<number>\d{{1,4}})(?![\w-])",
                       re.I)
#: "32824, nr. 193" and "32 824 nr 193" without the word Kamerstuk
DOSSIER_NR = re.compile(rf"(?<![\w-]){_DOSSIER},?\s+nrs?\.?\s*(?P<number>\d{{1,4}})\b", re.I)
KOOP_ANY_CASE = re.compile(r"\b(?P<prefix>kst|ah-tk|ah-ek|h-tk|h-ek|blg)-(?P<rest>[\w-]+)", re.I)
BWB = re.compile(r"\bBWB[RV]\d{7}\b", re.I)


def identifier_keys(text: str) -> list[str]:
    """Canonical keys of the identifiers in a query, in order, without duplicates.

    >>> identifier_keys("Kamerstukken II 2016/17, 32824, nr. 193")
    ['kst-32824-193']
    >>> identifier_keys("32 824-193"), identifier_keys("KST-36600-vi-149")
    (['kst-32824-193'], ['kst-36600-VI-149'])
    >>> identifier_keys("uitbuiting 2016-2017")
    []
    """
    found = list(find_references(text))
    found += [_koop_key(m) for m in KOOP_ANY_CASE.finditer(text)]
    for pattern in (SHORT_KST, DOSSIER_NR):
        found += [_short_key(m) for m in pattern.finditer(text)]
    found += ["bwb:" + m.group(0).upper() for m in BWB.finditer(text)]
    return list(dict.fromkeys(key for key in found if not key.startswith("url:")))


def _short_key(match: re.Match[str]) -> str:
    return kst_key(f"{match['dossier']} {match['suffix'] or ''}", match["number"])


def _koop_key(match: re.Match[str]) -> str:
    # Roman-numeral and letter parts are upper case in KOOP ids (kst-36600-VI-149).
    return f"{match['prefix'].lower()}-{match['rest'].upper()}"
