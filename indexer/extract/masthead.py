"""The masthead on the first page of a Kamerstuk or an Aanhangsel: boilerplate, not text.

"Tweede Kamer der Staten-Generaal 2 Vergaderjaar 2024–2025 21 501-02 Raad Algemene Zaken
… Nr. 3121" opens every Kamerstuk (PDF; the HTML edition has the dossier and number; the
officiële-publicatie XML its ``kamerstukkop``, ``dossier`` and ``stuknr`` elements),
and "… Aanhangsel van de Handelingen Vragen gesteld door de leden der Kamer, met de
daarop door de regering gegeven antwoorden 1481" every Aanhangsel. Indexed, it made a
query for the dossier's subject ("Mensenhandel") match every paper of the dossier, and
it opened every snippet. Its facts are already metadata (chamber, year, dossier and its
title, number), read before this step, so the text can start where the document does.

The masthead is only removed where it is recognised in full at the start of the first
page, with the document's own dossier and number: anything else stays text.
"""

from __future__ import annotations

import re
from typing import Callable

from indexer.citekeys import Category
from indexer.extract.result import Extracted

CHAMBER = r"(?:Tweede|Eerste)\s+Kamer\s+der\s+Staten-Generaal\s+(?:\d\s+)?Vergaderjaar\s+\d{4}\s*[–-]\s*\d{4}\s+"
#: the kamerstukkop of the officiële-publicatie XML, one line per element, in its own order
XML_KOP = (r"Vergaderjaar\s+\d{4}\s*[–-]\s*\d{4}\s+(?:Tweede|Eerste)\s+Kamer\s+der\s+Staten-Generaal\s+"
           r"(?:\d\s+)?Kamerstukken\s+")
AANHANGSEL = r"\s+".join(re.escape(word) for word in (
    "Aanhangsel van de Handelingen Vragen gesteld door de leden der Kamer, met de daarop "
    "door de regering gegeven antwoorden").split()) + r"\s+"


def _spaced(value: str) -> str:
    """A pattern for ``value`` with any spaces in it optional ("32 824" and "32824")."""
    return r"\s?".join(re.escape(ch) for ch in value.replace(" ", ""))


def _words(value: str) -> str:
    return r"\s+".join(re.escape(word) for word in value.split())


def kamerstuk_heads(result: Extracted) -> list[re.Pattern[str]]:
    """Chamber line (optional), dossier number, dossier title, "Nr. N": with the title
    from the metadata, else any title of at most 400 characters."""
    dossier, number = result.identifiers.get("dossier", ""), result.identifiers.get("ondernummer", "")
    if not dossier or not number:
        return []
    title = result.extra.get("dossier_title", "")
    titles = ([_words(title)] if title.strip() else []) + [r"[^\n].{0,400}?"]
    return [re.compile(rf"\s*(?:{CHAMBER}|{XML_KOP})?{_spaced(dossier)}\s+{t}\s+[Nn]r\.\s*{re.escape(number)}\s+", re.S)
            for t in titles]


def aanhangsel_heads(result: Extracted) -> list[re.Pattern[str]]:
    number = result.identifiers.get("aanhangselnummer", "")
    own = rf"(?:{re.escape(number)}\s+)?" if number else ""
    return [re.compile(rf"\s*{CHAMBER}{AANHANGSEL}{own}")]


#: category -> the mastheads its documents open with
MASTHEADS: dict[str, Callable[[Extracted], list[re.Pattern[str]]]] = {
    Category.KAMERSTUK: kamerstuk_heads,
    Category.AANHANGSEL: aanhangsel_heads,
}


def strip_masthead(result: Extracted) -> None:
    """Remove the masthead from the start of the first page, when it is recognised."""
    heads = MASTHEADS.get(str(result.fields.get("category", "")))
    if heads is None or not result.pages:
        return
    for pattern in heads(result):
        if match := pattern.match(result.pages[0]):
            result.pages[0] = result.pages[0][match.end():]
            return
