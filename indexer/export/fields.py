"""The bibliographic view of a Document that every export format maps from.

One place decides, per category, the report number and series and which creators count as
authors; the item type in each format, the publishing body and the place are the category's
export profile in :data:`indexer.citekeys.CATEGORY_TABLE`. The
format modules only rename these fields; they never look at the category themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indexer.citekeys import Category, Chamber, ExportProfile
from indexer.citekeys.categories import info
from indexer.export import dates, leidraad
from indexer.export.names import PersonName, parse_name
from indexer.export.public_url import public_file_url, public_url
from indexer.model import Document

TWEEDE_KAMER = Chamber.TK.full_name
EERSTE_KAMER = Chamber.EK.full_name


@dataclass(frozen=True)
class CitationFields:
    """Everything a citation needs, already in final form."""

    key: str
    kind: str
    profile: ExportProfile
    title: str
    persons: tuple[PersonName, ...]
    institutions: tuple[str, ...]  # corporate authors, used when no person signed
    publisher: str
    place: str
    number: str
    series: str
    genre: str
    date: str
    url: str
    file_url: str
    language: str
    abstract: str
    citation: str
    accessed: str

    @property
    def year(self) -> str:
        return dates.year(self.date)


def profile_for(doc: Document) -> ExportProfile:
    return info(doc.category).profile


def publisher(doc: Document, profile: ExportProfile) -> str:
    """The publishing body: the Eerste Kamer for its papers; ``extra['publisher']`` wins."""
    if doc.extra.get("publisher"):
        return doc.extra["publisher"]
    if profile.parliamentary:
        return EERSTE_KAMER if leidraad.kamer(doc) == "I" else TWEEDE_KAMER
    if profile.publisher:
        return profile.publisher
    return doc.creators[0] if doc.creators else ""


def number(doc: Document) -> str:
    """The report number: ``32824, nr. 193``, ``nr. 1481``, ``192``, ``CAHROM (2013)13``, a kenmerk."""
    numbers: dict[str, Callable[[], str]] = {
        Category.KAMERSTUK: lambda: leidraad.kamerstuk_number(doc),
        # Aanhangsel and Handelingen numbers restart every year, so the year belongs to the number
        Category.AANHANGSEL: lambda: _with_year(doc, leidraad.aanhangsel_number(doc)),
        Category.HANDELINGEN: lambda: _with_year(doc, leidraad.handelingen_number(doc)),
        Category.CAHROM: lambda: leidraad.coe_reference(doc),
    }
    make = numbers.get(doc.category)
    value = make() if make else leidraad.report_parts(doc)[1] or doc.extra.get("kenmerk", "")
    return "" if value.strip() in ("nr.", "") else value


def _with_year(doc: Document, number: str) -> str:
    """``2023/24, nr. 1481``."""
    return ", ".join(part for part in (leidraad.vergaderjaar(doc), number) if part) if number else ""


def series(doc: Document) -> str:
    """The series: the dossier title for Kamerstukken, the report series otherwise."""
    if doc.category == Category.KAMERSTUK:
        return doc.extra.get("dossier_title", "")
    if doc.category == Category.CAHROM:
        return doc.extra.get("meeting", "")
    return leidraad.report_parts(doc)[0]


def institutions(doc: Document, profile: ExportProfile, publisher_name: str) -> tuple[str, ...]:
    """Corporate authors, for documents nobody signed: the chamber for Handelingen,
    the issuing body (first creator) for reports."""
    if doc.authors:
        return ()
    if profile.parliamentary:
        return (publisher_name,)
    return tuple(doc.creators[:1]) or ((publisher_name,) if publisher_name else ())


def citation_fields(doc: Document, accessed: str | None = None) -> CitationFields:
    """The bibliographic view of ``doc``; ``accessed`` is an ISO date (defaults to fetched_at)."""
    profile = profile_for(doc)
    publisher_name = publisher(doc, profile)
    return CitationFields(
        key=doc.identifiers.get("canonical") or doc.id,
        kind=doc.category,
        profile=profile,
        title=doc.title,
        persons=tuple(parse_name(name) for name in doc.authors if name.strip()),
        institutions=institutions(doc, profile, publisher_name),
        publisher=publisher_name,
        place=profile.place,
        number=number(doc),
        series=series(doc),
        genre=profile.genre,
        date=doc.date,
        url=public_url(doc),  # never a local path: that is the operator's detail
        file_url=public_file_url(doc),
        language=doc.language,
        abstract=doc.summary,
        citation=leidraad.cite(doc),
        accessed=(accessed or doc.fetched_at or "")[:10],
    )
