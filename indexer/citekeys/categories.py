"""The categories of document — one enum, and one table with what each category means to
the UI, the Dutch citation and the export formats.

``Document.category`` holds a :class:`Category` value (the facet value in the index). Per
category, :data:`CATEGORY_TABLE` gives its Dutch label (facet and document page), the Leidraad
form that cites it (:class:`CitationForm`; ``indexer.export.leidraad`` has one citer per form)
and its export profile: the item type in RIS, CSL, BibTeX and Zotero, the genre, the
publishing body and the place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

TWEEDE_KAMER = "Tweede Kamer der Staten-Generaal"


class Category(enum.StrEnum):
    KAMERSTUK = "kamerstuk"
    AANHANGSEL = "aanhangsel"
    HANDELINGEN = "handelingen"
    WODC = "wodc"
    CCV = "ccv"
    CAHROM = "cahrom"
    REGELGEVING = "regelgeving"
    BEKENDMAKING = "bekendmaking"
    OVERIG = "overig"


class CitationForm(enum.StrEnum):
    """The Leidraad voor juridische auteurs form a category is cited in."""

    KAMERSTUKKEN = "Kamerstukken II 2016/17, 32824, nr. 193"
    AANHANGSEL = "Aanhangsel Handelingen II 2014/15, nr. 1241"
    HANDELINGEN = "Handelingen II 2010/11, nr. 108, item 5"
    RAPPORT = "Auteurs, Titel (Reeks nr. X), Plaats: Uitgever jaar"
    RAAD_VAN_EUROPA = "Raad van Europa (CAHROM), Titel, CAHROM (2013)13, Straatsburg datum"
    CITEERTITEL = "Citeertitel (BWB-id), or Stb. 2018, 84 for a Staatsblad publication"
    PUBLICATIEBLAD = "Stcrt. 2015, 47076"
    TITEL_EN_DATUM = "Maker, Titel, datum, kenmerk X"


@dataclass(frozen=True)
class ExportProfile:
    """How one category is typed in each export format (configuration as data)."""

    ris_type: str
    csl_type: str
    bibtex_type: str
    zotero_type: str
    genre: str
    publisher: str
    place: str
    parliamentary: bool = False


@dataclass(frozen=True)
class CategoryInfo:
    label: str  # Dutch; the English UI translates it
    leidraad: CitationForm
    profile: ExportProfile
    #: the short publisher name a Leidraad report citation uses (``WODC``)
    leidraad_publisher: str = ""


_PARLIAMENT = ("GOVDOC", "report", "techreport", "report")
_REPORT = ("RPRT", "report", "techreport", "report")
_DOCUMENT = ExportProfile("GEN", "document", "misc", "document", "", "", "")

CATEGORY_TABLE: dict[Category, CategoryInfo] = {
    Category.KAMERSTUK: CategoryInfo("Kamerstuk", CitationForm.KAMERSTUKKEN, ExportProfile(
        *_PARLIAMENT, "Kamerstuk", TWEEDE_KAMER, "Den Haag", True)),
    Category.AANHANGSEL: CategoryInfo("Aanhangsel Handelingen", CitationForm.AANHANGSEL, ExportProfile(
        *_PARLIAMENT, "Aanhangsel Handelingen", TWEEDE_KAMER, "Den Haag", True)),
    Category.HANDELINGEN: CategoryInfo("Handelingen", CitationForm.HANDELINGEN, ExportProfile(
        *_PARLIAMENT, "Handelingen", TWEEDE_KAMER, "Den Haag", True)),
    Category.WODC: CategoryInfo("WODC-rapport", CitationForm.RAPPORT, ExportProfile(
        *_REPORT, "Rapport", "Wetenschappelijk Onderzoek- en Documentatiecentrum (WODC)", "Den Haag"), "WODC"),
    Category.CCV: CategoryInfo("CCV", CitationForm.RAPPORT, ExportProfile(
        *_REPORT, "Evaluatie", "Centrum voor Criminaliteitspreventie en Veiligheid (CCV)", "Utrecht"), "CCV"),
    Category.CAHROM: CategoryInfo("Raad van Europa (CAHROM)", CitationForm.RAAD_VAN_EUROPA, ExportProfile(
        *_REPORT, "", "Council of Europe", "Strasbourg")),
    Category.REGELGEVING: CategoryInfo("Regelgeving", CitationForm.CITEERTITEL, ExportProfile(
        "GEN", "legislation", "misc", "statute", "Regeling", "", "")),
    # a notice in a publication journal is typed like any other document (as it always was)
    Category.BEKENDMAKING: CategoryInfo("Officiële bekendmaking", CitationForm.PUBLICATIEBLAD, _DOCUMENT),
    Category.OVERIG: CategoryInfo("Overig", CitationForm.TITEL_EN_DATUM, _DOCUMENT),
}


def parse_category(value: str) -> Category | None:
    """A stored or configured category value, ``None`` for anything else.

    >>> parse_category("kamerstuk"), parse_category(" WODC "), parse_category("motie")
    (<Category.KAMERSTUK: 'kamerstuk'>, <Category.WODC: 'wodc'>, None)
    """
    try:
        return Category(str(value).strip().lower())
    except ValueError:
        return None


def info(value: str) -> CategoryInfo:
    """The table row of a category value; an unknown value is :attr:`Category.OVERIG`.

    >>> info("ccv").leidraad_publisher, info("bogus").label
    ('CCV', 'Overig')
    """
    return CATEGORY_TABLE[parse_category(value) or Category.OVERIG]
