"""The Dutch official citation of a document (Leidraad voor juridische auteurs).

Parliamentary papers get the footnote form the Leidraad prescribes
(``Kamerstukken II 2016/17, 32824, nr. 193``; docs/background.md §1.2); other documents get a
plain Dutch book-style reference (authors, title, series, place: publisher year). Which form a
category takes is :data:`indexer.citekeys.CATEGORY_TABLE`'s; the identifiers, years and
chambers are read with :mod:`indexer.citekeys`. :func:`cite` is what the UI shows with a copy
button; the other exports carry it as a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TextIO

from indexer.citekeys import CitationForm, identifiers_of, normalise_dossier, parse_vergaderjaar, roman_of
from indexer.citekeys.categories import info
from indexer.citekeys.koop import journal_number
from indexer.citekeys.vergaderjaar import Vergaderjaar, of_iso_date
from indexer.export import dates
from indexer.export.names import parse_name
from indexer.export.public_url import public_file_url, public_url
from indexer.model import Document


def vergaderjaar(doc: Document) -> str:
    """The parliamentary year as the Leidraad writes it: ``2016/17``.

    Taken from ``identifiers['vergaderjaar']``, else from a KOOP id
    (``ah-tk-20232024-1481``), else from the date (the year opens on Prinsjesdag).
    """
    year = _stated_year(doc) or of_iso_date(doc.date or "")
    return year.leidraad if year else ""


def _stated_year(doc: Document) -> Vergaderjaar | None:
    return parse_vergaderjaar(doc.identifiers.get("vergaderjaar", "")) or parse_vergaderjaar(
        doc.identifiers.get("canonical", ""))


def kamer(doc: Document) -> str:
    """``II`` unless the document is from the Eerste Kamer."""
    raw = doc.identifiers.get("kamer", "").strip()
    if raw:
        return roman_of(raw) or "II"
    return identifiers_of(doc.identifiers.get("canonical", "")).get("kamer") or "II"


def stuknummer(doc: Document) -> str:
    """``nr. 193`` for a number, the bare letter(s) for Eerste Kamer stukken (``F``)."""
    number = doc.identifiers.get("ondernummer", "").strip()
    if not number:
        return ""
    number = re.sub(r"^(nr\.?|no\.?)\s*", "", number, flags=re.I)
    return number.upper() if number.isalpha() else f"nr. {number}"


def kamerstuk_number(doc: Document) -> str:
    """``32824, nr. 193`` — dossier plus stuk, the report number exports carry."""
    parts = [normalise_dossier(doc.identifiers.get("dossier", "")), stuknummer(doc)]
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
    year = _stated_year(doc)
    return year is not None and year.start < FIRST_ITEM_YEAR


def _issue_and_pages(doc: Document) -> str:
    """``nr. 54, p. 3563`` or ``nr. 54, p. 3563-3570``: the issue from the metadata, the pages
    from the metadata or else from the KOOP id (``h-tk-{jaar}-{first page}-{last page}``).

    >>> _issue_and_pages(Document(id="x", source="s", identifiers={"canonical": "h-tk-20052006-3563-3570"},
    ...     extra={"OVERHEIDop.publicationIssue": "54"}))
    'nr. 54, p. 3563-3570'
    """
    id_pages = identifiers_of(doc.identifiers.get("canonical", ""))  # old ids: vergadering, item are pages
    first = doc.extra.get(START_PAGE_META) or id_pages.get("vergadering", "")
    last = doc.extra.get(END_PAGE_META) or id_pages.get("item", "")
    pages = f"{first}-{last}" if first and last and last != first else first
    issue = doc.extra.get(ISSUE_META, "").strip()
    parts = (f"nr. {issue}" if issue else "", f"p. {pages}" if pages else "")
    return ", ".join(part for part in parts if part)


def _handelingen(doc: Document) -> str:
    number = handelingen_number(doc)
    return f"{_head('Handelingen', doc)}, {number}" if number else _overig(doc)


def _canonical_number(doc: Document) -> str:
    """``1481`` from ``ah-tk-20232024-1481``."""
    return identifiers_of(doc.identifiers.get("canonical", "")).get("aanhangselnummer", "")


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


def _rapport(doc: Document) -> str:
    row = info(doc.category)
    return _report(doc, row.leidraad_publisher, row.profile.place)


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


#: Leidraad form (per category: :data:`indexer.citekeys.CATEGORY_TABLE`) -> its citer. A
#: publication in an official journal is cited by its journal number whatever its form.
CITERS: Mapping[CitationForm, Callable[[Document], str]] = {
    CitationForm.KAMERSTUKKEN: _kamerstuk,
    CitationForm.AANHANGSEL: _aanhangsel,
    CitationForm.HANDELINGEN: _handelingen,
    CitationForm.RAPPORT: _rapport,
    CitationForm.RAAD_VAN_EUROPA: _cahrom,
    CitationForm.CITEERTITEL: _regelgeving,
    CitationForm.PUBLICATIEBLAD: _overig,
    CitationForm.TITEL_EN_DATUM: _overig,
}


def journal_citation(doc: Document) -> str:
    """``Stb. 2018, 84`` for a publication in an official journal, else ``""``.

    >>> journal_citation(Document(id="x", source="s", identifiers={"canonical": "stcrt-2015-47076"}))
    'Stcrt. 2015, 47076'
    """
    number = journal_number(doc.identifiers.get("canonical", ""))
    return number.citation if number else ""


def cite(doc: Document, page: str | None = None) -> str:
    """The Dutch official citation of ``doc``, optionally pinpointed to a page.

    >>> cite(Document(id="x", source="ob", category="kamerstuk",
    ...     identifiers={"dossier": "32 824", "ondernummer": "193", "vergaderjaar": "2016-2017"}))
    'Kamerstukken II 2016/17, 32824, nr. 193'
    """
    text = journal_citation(doc) or CITERS[info(doc.category).leidraad](doc)
    return _with_page(text, page)


def write(documents: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """One citation per line, plain text; ``accessed`` is not part of a Leidraad footnote."""
    count = 0
    for doc in documents:
        out.write(cite(doc) + "\n")
        count += 1
    return count
