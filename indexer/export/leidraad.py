"""The Dutch official citation of a document (Leidraad voor juridische auteurs).

Parliamentary papers get the footnote form the Leidraad prescribes
(``Kamerstukken II 2016/17, 32824, nr. 193``; docs/background.md §1.2); other documents get a
plain Dutch book-style reference (authors, title, series, place: publisher year).
:func:`cite` is what the UI shows with a copy button; the other exports carry it as a note.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TextIO

from indexer.export import dates
from indexer.export.names import parse_name
from indexer.export.public_url import public_file_url, public_url
from indexer.model import Document

#: How sources write the chamber (TK API ``Kamer`` 1/2, KOOP ``kamernummer``, words) → Leidraad.
KAMER_LABELS = {
    "i": "I", "ii": "II", "1": "I", "2": "II", "ek": "I", "tk": "II",
    "eerste kamer": "I", "tweede kamer": "II",
}


def vergaderjaar(doc: Document) -> str:
    """The parliamentary year as the Leidraad writes it: ``2016/17``.

    Taken from ``identifiers['vergaderjaar']``, else from a KOOP id
    (``ah-tk-20232024-1481``), else from the date (the year opens on Prinsjesdag).
    """
    raw = doc.identifiers.get("vergaderjaar", "")
    years = _years_from_text(raw) or _years_from_text(doc.identifiers.get("canonical", ""))
    if years is None and doc.date:
        years = _years_from_date(doc.date)
    return f"{years[0]}/{str(years[1])[-2:]}" if years else ""


def _years_from_text(text: str) -> tuple[int, int] | None:
    """``2016-2017``, ``2016–2017``, ``2016/2017``, ``2016/17``, ``20162017``."""
    match = re.search(r"(?<!\d)(\d{4})\s*[-–/]?\s*(\d{4}|\d{2})(?!\d)", text)
    if not match:
        return None
    first, second = int(match.group(1)), match.group(2)
    following = int(second) if len(second) == 4 else (first + 1)
    return (first, following) if following == first + 1 else None


def _years_from_date(iso: str) -> tuple[int, int] | None:
    day = dates.parse_iso(iso)
    if day is None or len(iso) < 10:
        return None  # a bare year or month cannot say which side of Prinsjesdag it is
    opening = prinsjesdag(day.year)
    return (day.year, day.year + 1) if day >= opening else (day.year - 1, day.year)


def prinsjesdag(year: int) -> dt.date:
    """Third Tuesday of September, when the parliamentary year opens.

    >>> prinsjesdag(2016)
    datetime.date(2016, 9, 20)
    """
    first = dt.date(year, 9, 1)
    first_tuesday = first + dt.timedelta(days=(1 - first.weekday()) % 7)
    return first_tuesday + dt.timedelta(weeks=2)


def dossier_number(raw: str) -> str:
    """``32 824`` → ``32824``; ``31700-VI`` → ``31700 VI`` (Aanwijzing 3.43); ``21501-02`` stays.

    >>> [dossier_number(d) for d in ("32 824", "31700-VI", "36600 VI", "21 501-02", "37020-IX")]
    ['32824', '31700 VI', '36600 VI', '21501-02', '37020 IX']
    """
    text = re.sub(r"(?<=\d)\s+(?=\d)", "", raw.strip())
    match = re.match(r"^(\d+)(?:[-\s]+([A-Za-z]+))?$", text)
    if match and match.group(2):
        return f"{match.group(1)} {match.group(2).upper()}"
    return text


def kamer(doc: Document) -> str:
    """``II`` unless the document is from the Eerste Kamer."""
    raw = doc.identifiers.get("kamer", "").strip().lower()
    if raw:
        return KAMER_LABELS.get(raw, "II")
    canonical = doc.identifiers.get("canonical", "")
    return "I" if re.match(r"^(ah|h)-ek-", canonical) else "II"


def stuknummer(doc: Document) -> str:
    """``nr. 193`` for a number, the bare letter(s) for Eerste Kamer stukken (``F``)."""
    number = doc.identifiers.get("ondernummer", "").strip()
    if not number:
        return ""
    number = re.sub(r"^(nr\.?|no\.?)\s*", "", number, flags=re.I)
    return number.upper() if number.isalpha() else f"nr. {number}"


def kamerstuk_number(doc: Document) -> str:
    """``32824, nr. 193`` — dossier plus stuk, the report number exports carry."""
    parts = [dossier_number(doc.identifiers.get("dossier", "")), stuknummer(doc)]
    return ", ".join(part for part in parts if part)


def _with_page(text: str, page: str | None) -> str:
    return f"{text}, p. {page}" if page else text


def _head(label: str, doc: Document) -> str:
    """``Kamerstukken II 2016/17`` (the year left out when unknown)."""
    return " ".join(part for part in (label, kamer(doc), vergaderjaar(doc)) if part)


def _kamerstuk(doc: Document) -> str:
    if not doc.identifiers.get("dossier"):
        return _overig(doc)  # not identifiable as a numbered Kamerstuk: cite by title
    text = f"{_head('Kamerstukken', doc)}, {kamerstuk_number(doc)}"
    return f"Bijlage bij {text}" if doc.doc_type.lower() == "bijlage" else text


def aanhangsel_number(doc: Document) -> str:
    """``nr. 1481``."""
    number = doc.identifiers.get("aanhangselnummer") or _canonical_number(doc)
    return f"nr. {number}" if number else ""


def _aanhangsel(doc: Document) -> str:
    number = aanhangsel_number(doc)
    return f"{_head('Aanhangsel Handelingen', doc)}, {number}" if number else _overig(doc)


#: Item numbers exist since this parliamentary year; before it Handelingen are cited by
#: issue and page (Leidraad: ``Handelingen II 2007/08, nr. 70, p. 4867``).
FIRST_ITEM_YEAR = 2010
#: KOOP metadata names under which an old Handelingen's issue and pages are kept in ``extra``.
ISSUE_META, START_PAGE_META, END_PAGE_META = (
    "OVERHEIDop.publicationIssue", "OVERHEIDop.startpagina", "OVERHEIDop.eindpagina")


def handelingen_number(doc: Document) -> str:
    """``nr. 50, item 1`` (meeting and item) since 2010/11, ``nr. 54, p. 3563`` before."""
    if page_numbered(doc):
        return _issue_and_pages(doc)
    vergadering = doc.identifiers.get("vergadering", "")
    item = doc.identifiers.get("item", "")
    parts = (f"nr. {vergadering}" if vergadering else "", f"item {item}" if item else "")
    return ", ".join(part for part in parts if part)


def page_numbered(doc: Document) -> bool:
    """Old Handelingen: KOOP ids of years before 2010/11 carry pages (``h-tk-20052006-3563-3563``)."""
    years = _years_from_text(doc.identifiers.get("vergaderjaar", "")) or _years_from_text(
        doc.identifiers.get("canonical", ""))
    return years is not None and years[0] < FIRST_ITEM_YEAR


def _issue_and_pages(doc: Document) -> str:
    """``nr. 54, p. 3563`` or ``nr. 54, p. 3563-3570``: the issue from the metadata, the pages
    from the metadata or else from the KOOP id (``h-tk-{jaar}-{first page}-{last page}``).

    >>> _issue_and_pages(Document(id="x", source="s", identifiers={"canonical": "h-tk-20052006-3563-3570"},
    ...     extra={"OVERHEIDop.publicationIssue": "54"}))
    'nr. 54, p. 3563-3570'
    """
    id_pages = re.match(r"^h-[a-z]{2}-\d{8}-(\d+)-(\d+)$", doc.identifiers.get("canonical", ""))
    first = doc.extra.get(START_PAGE_META) or (id_pages.group(1) if id_pages else "")
    last = doc.extra.get(END_PAGE_META) or (id_pages.group(2) if id_pages else "")
    pages = f"{first}-{last}" if first and last and last != first else first
    issue = doc.extra.get(ISSUE_META, "").strip()
    parts = (f"nr. {issue}" if issue else "", f"p. {pages}" if pages else "")
    return ", ".join(part for part in parts if part)


def _handelingen(doc: Document) -> str:
    number = handelingen_number(doc)
    return f"{_head('Handelingen', doc)}, {number}" if number else _overig(doc)


def _canonical_number(doc: Document) -> str:
    """``1481`` from ``ah-tk-20232024-1481``."""
    match = re.match(r"^ah-[a-z]{2}-\d{8}-(\w+)$", doc.identifiers.get("canonical", ""))
    return match.group(1) if match else ""


def author_list(names: Iterable[str]) -> str:
    """``A``, ``A & B``, ``A, B & C``; four or more become ``A e.a.`` (Leidraad).

    >>> author_list(["S.A. Blok", "L.F. Asscher"])
    'S.A. Blok & L.F. Asscher'
    """
    shown = [parse_name(name).display for name in names]
    if len(shown) > 3:
        return f"{shown[0]} e.a."
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" & {shown[-1]}"


def report_parts(doc: Document) -> tuple[str, str]:
    """(series, number) with the series taken off the number when a source wrote both.

    >>> report_parts(Document(id="x", source="s",
    ...     identifiers={"series": "Cahier", "report_number": "Cahier 2025-21"}))
    ('Cahier', '2025-21')
    """
    series = doc.identifiers.get("series", "").strip()
    number = doc.identifiers.get("report_number", "").strip()
    if series and number.lower().startswith(series.lower()):
        number = number[len(series):].strip(" ,")
    return series, number


def series_label(doc: Document) -> str:
    """``Onderzoek en beleid nr. 192``, ``Cahier 2025-21``, ``WODC-rapport 2871`` style labels.

    >>> series_label(Document(id="x", source="s",
    ...     identifiers={"series": "Onderzoek en beleid", "report_number": "Onderzoek en beleid 192"}))
    'Onderzoek en beleid nr. 192'
    """
    series, number = report_parts(doc)
    if series and number:
        # plain numbers read "nr. 192"; year-numbers such as 2025-21 follow the series directly
        return f"{series} nr. {number}" if number.isdigit() else f"{series} {number}"
    return series or number


def coe_reference(doc: Document) -> str:
    """``CAHROM(2013)13`` → ``CAHROM (2013)13``, the way the documents print it."""
    raw = doc.identifiers.get("coe_reference", "").strip()
    return re.sub(r"^([A-Z][A-Z-]*)\s*\(", r"\1 (", raw)


def _report(doc: Document, publisher: str, place: str) -> str:
    """``Auteurs, Titel (Reeks nr. X), Plaats: Uitgever jaar, te raadplegen via URL``."""
    who = author_list(doc.authors) or (doc.creators[0] if doc.creators else "")
    title = doc.title + (f" ({series_label(doc)})" if series_label(doc) else "")
    imprint = " ".join(part for part in (f"{place}:" if place else "", publisher, doc.year) if part)
    text = ", ".join(part for part in (who, title, imprint) if part)
    return _with_url(text, doc)


def _wodc(doc: Document) -> str:
    return _report(doc, "WODC", "Den Haag")


def _ccv(doc: Document) -> str:
    return _report(doc, "CCV", "Utrecht")


def _cahrom(doc: Document) -> str:
    """``Raad van Europa (CAHROM), Titel, CAHROM (2013)13, Straatsburg 16 mei 2013, URL``."""
    parts = ["Raad van Europa (CAHROM)", doc.title, coe_reference(doc)]
    parts.append(" ".join(part for part in ("Straatsburg", dates.dutch(doc.date)) if part))
    text = ", ".join(part for part in parts if part)
    return _with_url(text, doc)


def _regelgeving(doc: Document) -> str:
    """A regulation is cited by its (citeer)titel; the BWB id lets a reader find it."""
    bwb = doc.identifiers.get("bwb", "")
    return doc.title + (f" ({bwb})" if bwb else "")


def _overig(doc: Document) -> str:
    """``Maker, Titel, datum, kenmerk X`` — the kenmerk is how unpublished letters are cited."""
    publisher = doc.extra.get("publisher", "") or (doc.creators[0] if doc.creators and doc.authors else "")
    kenmerk = doc.extra.get("kenmerk", "")
    parts = [author_list(doc.authors) or ", ".join(doc.creators), doc.title, publisher, dates.dutch(doc.date)]
    parts.append(f"kenmerk {kenmerk}" if kenmerk else "")
    text = ", ".join(part for part in parts if part)
    return _with_url(text, doc)


def _with_url(text: str, doc: Document) -> str:
    """``…, te raadplegen via URL`` when the document or else its file has a public address
    (never a local path)."""
    url = public_url(doc) or public_file_url(doc)
    return text + (f", te raadplegen via {url}" if url else "")


CITERS: Mapping[str, Callable[[Document], str]] = {
    "kamerstuk": _kamerstuk,
    "aanhangsel": _aanhangsel,
    "handelingen": _handelingen,
    "wodc": _wodc,
    "ccv": _ccv,
    "cahrom": _cahrom,
    "regelgeving": _regelgeving,
    "overig": _overig,
}


#: Official journals, cited by abbreviation, year and number (``Stb. 2018, 84``): KOOP id prefix → abbreviation.
JOURNALS = {"stb": "Stb.", "stcrt": "Stcrt.", "trb": "Trb.", "gmb": "Gmb.", "prb": "Prb.", "wsb": "Wsb.", "bgr": "Bgr."}


def journal_citation(doc: Document) -> str:
    """``Stb. 2018, 84`` for a publication in an official journal, else ``""``.

    >>> journal_citation(Document(id="x", source="s", identifiers={"canonical": "stcrt-2015-47076"}))
    'Stcrt. 2015, 47076'
    """
    match = re.match(r"^([a-z]+)-(\d{4})-(\d+)$", doc.identifiers.get("canonical", ""))
    if not match or match.group(1) not in JOURNALS:
        return ""
    return f"{JOURNALS[match.group(1)]} {match.group(2)}, {match.group(3)}"


def cite(doc: Document, page: str | None = None) -> str:
    """The Dutch official citation of ``doc``, optionally pinpointed to a page.

    >>> cite(Document(id="x", source="ob", category="kamerstuk",
    ...     identifiers={"dossier": "32 824", "ondernummer": "193", "vergaderjaar": "2016-2017"}))
    'Kamerstukken II 2016/17, 32824, nr. 193'
    """
    text = journal_citation(doc) or CITERS.get(doc.category, _overig)(doc)
    return _with_page(text, page)


def write(documents: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """One citation per line, plain text; ``accessed`` is not part of a Leidraad footnote."""
    count = 0
    for doc in documents:
        out.write(cite(doc) + "\n")
        count += 1
    return count
