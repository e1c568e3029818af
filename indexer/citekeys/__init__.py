"""The parliamentary-identifier vocabulary: one home for every rule about how Dutch
parliamentary and official publications are identified, named and keyed.

Pure functions and small frozen types, standard library only; sources, extract, index, export
and federation import them and keep no copy. Modules:

- :mod:`~indexer.citekeys.koop`: KOOP ids (``kst-32824-193``, ``ah-tk-20162017-1234``, ``stb-2020-1``)
  and their series;
- :mod:`~indexer.citekeys.dossier`: dossier numbers (``36600 VI``, key ``36600-VI``);
- :mod:`~indexer.citekeys.vergaderjaar`: parliamentary years (``2016-2017``, ``2016/17``, Prinsjesdag);
- :mod:`~indexer.citekeys.chamber`: Tweede Kamer, Eerste Kamer, Verenigde Vergadering;
- :mod:`~indexer.citekeys.categories`: the categories, with label, Leidraad form and export profile;
- :mod:`~indexer.citekeys.doctypes`: the document-type table;
- :mod:`~indexer.citekeys.keys`: canonical keys and URL normalisation;
- :mod:`~indexer.citekeys.citations`: citations in running text to canonical keys.

The rules and their sources: docs/citekeys.md.
"""

from __future__ import annotations

from indexer.citekeys.categories import CATEGORY_TABLE, Category, CitationForm, ExportProfile, parse_category
from indexer.citekeys.chamber import Chamber, parse_chamber, roman_of
from indexer.citekeys.citations import find_references
from indexer.citekeys.doctypes import DOC_TYPES, doc_type_in_title, doc_type_of
from indexer.citekeys.dossier import Dossier, dossier_key, normalise_dossier, parse_dossier
from indexer.citekeys.keys import canonical_keys, kst_key, normalise_url, url_key
from indexer.citekeys.koop import category_of_koop_id, identifiers_of, last_segment
from indexer.citekeys.vergaderjaar import (
    Vergaderjaar,
    normalise_vergaderjaar,
    parse_vergaderjaar,
    prinsjesdag,
)

__all__ = [
    "CATEGORY_TABLE", "DOC_TYPES", "Category", "Chamber", "CitationForm", "Dossier", "ExportProfile", "Vergaderjaar",
    "canonical_keys", "category_of_koop_id", "doc_type_in_title", "doc_type_of", "dossier_key", "find_references",
    "identifiers_of", "kst_key", "last_segment", "normalise_dossier", "normalise_url", "normalise_vergaderjaar",
    "parse_category", "parse_chamber", "parse_dossier", "parse_vergaderjaar", "prinsjesdag", "roman_of", "url_key",
]
