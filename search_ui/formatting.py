"""Dutch presentation of values: dates (4 april 2017), labels of sources and types."""

from __future__ import annotations

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december")

CATEGORY_LABELS = {
    "kamerstuk": "Kamerstuk",
    "aanhangsel": "Aanhangsel Handelingen",
    "handelingen": "Handelingen",
    "wodc": "WODC-rapport",
    "ccv": "CCV",
    "cahrom": "Raad van Europa (CAHROM)",
    "regelgeving": "Regelgeving",
    "overig": "Overig",
}

FACET_LABELS = {
    "source": "Bron",
    "category": "Soort bron",
    "doc_type": "Documenttype",
    "year": "Jaar",
    "language": "Taal",
    "dossier": "Dossier",
}

LANGUAGE_LABELS = {"nl": "Nederlands", "en": "Engels", "fr": "Frans", "de": "Duits"}


def dutch_date(iso: str) -> str:
    """``2017-04-04`` -> ``4 april 2017``; partial dates stay partial.

    >>> dutch_date("2017-04-04"), dutch_date("2017-04"), dutch_date("2017"), dutch_date("")
    ('4 april 2017', 'april 2017', '2017', '')
    """
    parts = iso.split("-")
    try:
        if len(parts) >= 3:
            return f"{int(parts[2])} {MONTHS_NL[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS_NL[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return iso
    return iso


def facet_value_label(field: str, value: str) -> str:
    """A readable label for a facet value.

    >>> facet_value_label("language", "nl"), facet_value_label("category", "wodc")
    ('Nederlands', 'WODC-rapport')
    """
    if field == "language":
        return LANGUAGE_LABELS.get(value, value)
    if field == "category":
        return CATEGORY_LABELS.get(value, value)
    return value
