"""Presentation of values in the UI language: dates (4 april 2017), labels of sources and types."""

from __future__ import annotations

from indexer.citekeys import CATEGORY_TABLE
from indexer.citekeys.doctypes import DOC_TYPES
from indexer.export.dates import DUTCH_MONTHS, parts

MONTHS = {
    "nl": DUTCH_MONTHS,
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

#: Labels are Dutch; the UI passes them through the translation table.
CATEGORY_LABELS = {category.value: row.label for category, row in CATEGORY_TABLE.items()}

#: Document types (``Document.doc_type``, lower case in the index) as the UI shows them: every
#: type of the one document-type table (:mod:`indexer.citekeys.doctypes`), capitalised; a type
#: missing there is shown capitalised as it is.
DOC_TYPE_LABELS = {doc_type: doc_type[:1].upper() + doc_type[1:] for doc_type in DOC_TYPES}


FACET_LABELS = {
    "source": "Bron",
    "category": "Soort bron",
    "doc_type": "Documenttype",
    "year": "Jaar",
    "language": "Taal",
    "dossier": "Dossier",
}

LANGUAGE_LABELS = {"nl": "Nederlands", "en": "Engels", "fr": "Frans", "de": "Duits"}

#: Facet fields whose values have a label table (others are shown as they are).
VALUE_LABELS = {"language": LANGUAGE_LABELS, "category": CATEGORY_LABELS, "doc_type": DOC_TYPE_LABELS}


def format_date(iso: str, lang: str = "nl") -> str:
    """``2017-04-04`` -> ``4 april 2017`` (``4 April 2017`` in English); partial dates stay partial.

    >>> format_date("2017-04-04"), format_date("2017-04"), format_date("2017"), format_date("")
    ('4 april 2017', 'april 2017', '2017', '')
    >>> format_date("2017-04-04", "en"), format_date("2017-13-01")
    ('4 April 2017', '2017-13-01')
    """
    months = MONTHS.get(lang, MONTHS["nl"])
    values = parts(iso)
    if len(values) >= 2 and not 1 <= values[1] <= 12:
        return iso
    if len(values) == 3:
        return f"{values[2]} {months[values[1] - 1]} {values[0]}"
    if len(values) == 2:
        return f"{months[values[1] - 1]} {values[0]}"
    return iso


def facet_value_label(field: str, value: str) -> str:
    """A readable (Dutch) label for a facet value.

    >>> facet_value_label("language", "nl"), facet_value_label("category", "wodc")
    ('Nederlands', 'WODC-rapport')
    >>> facet_value_label("doc_type", "motie"), facet_value_label("doc_type", "kladblok")
    ('Motie', 'Kladblok')
    """
    labels = VALUE_LABELS.get(field, {})
    return labels.get(value, value.capitalize() if field == "doc_type" else value)


LINK_SCHEMES = ("http://", "https://")


def link_url(url: str) -> str:
    """``url`` when it is safe and useful to link (http or https), else empty: crawled data
    may hold ``javascript:`` or local ``file:`` addresses.

    >>> link_url("https://zoek.officielebekendmakingen.nl/kst-32824-193"), link_url("javascript:alert(1)")
    ('https://zoek.officielebekendmakingen.nl/kst-32824-193', '')
    """
    return url if url.strip().lower().startswith(LINK_SCHEMES) else ""


#: Identifier keys shown on a result card, most telling first.
CARD_IDENTIFIER_KEYS = ("canonical", "coe_reference", "report_number", "bwb", "handle", "tk_id")


def card_identifier(identifiers: dict[str, str]) -> str:
    """The one identifier a result card shows.

    >>> card_identifier({"dossier": "32824", "canonical": "kst-32824-193"})
    'kst-32824-193'
    """
    for key in CARD_IDENTIFIER_KEYS:
        if identifiers.get(key):
            return identifiers[key]
    return ""
