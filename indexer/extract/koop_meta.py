"""KOOP metadata names (``DC.*``, ``DCTERMS.*``, ``OVERHEIDop.*``) to Document fields.

Shared by the officiële-publicatie XML and the zoek.officielebekendmakingen.nl HTML
pages, which carry the same ``<meta name=… content=…>`` set. KOOP ids, dossier numbers,
years and document types are read with :mod:`indexer.citekeys`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from indexer.citekeys import (
    category_of_koop_id,
    doc_type_in_title,
    doc_type_of,
    identifiers_of,
    kst_key,
    normalise_dossier,
    normalise_vergaderjaar,
)
from indexer.citekeys.doctypes import ACT_TYPES
from indexer.citekeys.koop import is_journal_publication, prefix_of
from indexer.extract.result import Extracted

#: simple one-to-one meta names -> (target, key)
SIMPLE = {
    "OVERHEIDop.ondernummer": ("identifiers", "ondernummer"),
    "OVERHEIDop.aanhangselnummer": ("identifiers", "aanhangselnummer"),
    "OVERHEIDop.dossiertitel": ("extra", "dossier_title"),
    "OVERHEIDop.ministerie": ("extra", "ministry"),
    "OVERHEID.category": ("extra", "theme"),
    "OVERHEIDop.vraagnummer": ("extra", "vraagnummer"),
    "OVERHEIDop.datumOntvangst": ("extra", "answer_date"),
    "OVERHEIDop.datumIndiening": ("extra", "question_date"),
}


#: meta names used above or of no value to a reader (schema plumbing); every other KOOP
#: meta field is kept in ``extra`` under its own name
MAPPED_OR_PLUMBING = {
    "DC.identifier", "DC.title", "DC.type", "DC.creator", "DC.language", "DCTERMS.issued", "DCTERMS.available",
    "DCTERMS.language", "DCTERMS.alternative", "DCTERMS.modified", "OVERHEIDop.documenttitel", "OVERHEIDop.dossiernummer",
    "OVERHEIDop.vergaderjaar", "OVERHEIDop.indiener", "OVERHEIDop.publicationName", "OVERHEIDop.configuratie",
    "OVERHEIDop.doctype", "OVERHEIDop.versieInformatie", "OVERHEIDop.externMetadataRecord",
    "OVERHEID.organisationType", "OVERHEIDop.datumVergadering", *SIMPLE,
}


def apply_koop_meta(meta: Mapping[str, Sequence[str]], result: Extracted) -> None:
    """Fill ``result`` from a name -> values mapping of KOOP meta tags."""
    first = {name: values[0].strip() for name, values in meta.items() if values and values[0].strip()}
    koop_id = first.get("DC.identifier") or _id_from_record_url(first.get("OVERHEIDop.externMetadataRecord", ""))
    for key, value in identifiers_of(koop_id).items():
        result.set_identifier(key, value)
    if category := category_of_koop_id(koop_id):
        result.set_default("category", category.value)
    if dossier := first.get("OVERHEIDop.dossiernummer"):
        result.set_identifier("dossier", normalise_dossier(dossier))
    if jaar := first.get("OVERHEIDop.vergaderjaar"):
        result.set_identifier("vergaderjaar", normalise_vergaderjaar(jaar))
    for name, (target, key) in SIMPLE.items():
        if name in first:
            getattr(result, target).setdefault(key, first[name])
    _apply_descriptive(meta, first, result)
    for dossier in meta.get("OVERHEIDop.behandeldDossier", []):
        # a Handelingen item names the Kamerstuk it dealt with: "32824;405"
        match = re.fullmatch(r"\s*(\d+(?:-[\w]+)?)\s*;\s*(\d+)\s*", dossier)
        if match and (key := kst_key(match[1], match[2])):
            result.references.append(key)
    for name, values in meta.items():
        if name.startswith(("DC.", "DCTERMS.", "OVERHEID")) and "@" not in name and name not in MAPPED_OR_PLUMBING:
            if joined := "; ".join(v.strip() for v in values if v.strip()):
                result.extra.setdefault(name, joined)


def _apply_descriptive(meta: Mapping[str, Sequence[str]], first: Mapping[str, str], result: Extracted) -> None:
    title = first.get("OVERHEIDop.documenttitel") or _title_from_dc(first.get("DC.title", ""),
                                                                     first.get("OVERHEIDop.dossiertitel", ""))
    result.set_default("title", title)
    date = first.get("DCTERMS.issued") or first.get("OVERHEIDop.datumVergadering") or first.get("DCTERMS.available", "")
    result.set_default("date", date[:10])
    result.set_default("language", first.get("DCTERMS.language", "")[:2].lower())
    result.set_default("modified", first.get("DCTERMS.modified", "")[:10])
    result.set_default("doc_type", _doc_type(first, title))
    result.set_default("creators", [creator_label(v, _scheme_of(meta, "DC.creator", v))
                                    for v in meta.get("DC.creator", []) if v.strip()])
    result.set_default("authors", [v.strip() for v in meta.get("OVERHEIDop.indiener", []) if v.strip()])
    if first.get("DCTERMS.alternative"):
        result.extra.setdefault("alternative_title", first["DCTERMS.alternative"])


#: creator scheme -> the word that names the body ("Bergeijk" of OVERHEID.Gemeente is a municipality)
CREATOR_KINDS = {"OVERHEID.Gemeente": "Gemeente", "OVERHEID.Provincie": "Provincie",
                 "OVERHEID.Waterschap": "Waterschap"}


def creator_label(name: str, scheme: str) -> str:
    """``Bergeijk`` (scheme ``OVERHEID.Gemeente``) -> ``Gemeente Bergeijk``; others unchanged.

    >>> creator_label("Bergeijk", "OVERHEID.Gemeente"), creator_label("Ministerie van Financiën", "")
    ('Gemeente Bergeijk', 'Ministerie van Financiën')
    """
    name = " ".join(name.split())
    kind = CREATOR_KINDS.get(scheme, "")
    return f"{kind} {name}" if kind and not name.lower().startswith(kind.lower()) else name


def _scheme_of(meta: Mapping[str, Sequence[str]], name: str, value: str) -> str:
    return next((key.split("@", 1)[1] for key, values in meta.items()
                 if key.startswith(name + "@") and value in values), "")


def _title_from_dc(title: str, dossier_title: str) -> str:
    """``Langdurige zorg; Motie; Motie van het lid …`` -> ``Motie van het lid …``; other titles whole."""
    parts = [part.strip() for part in title.split("; ")]
    if len(parts) >= 3 and len(parts[1].split()) <= 4:
        return "; ".join(parts[2:])
    if len(parts) >= 2 and dossier_title and parts[0] == dossier_title.strip():
        return "; ".join(parts[1:])
    return " ".join(title.split())


#: OVERHEIDop.Parlementair values -> doc_type when no Kamerstuk type is given
PARLEMENTAIR_TYPES = {"handeling": "handelingen", "aanhangsel": "antwoord", "kamervragen": "vragen"}


def _doc_type(first: Mapping[str, str], title: str) -> str:
    for scheme in ("DC.type@OVERHEIDop.KamerstukTypen", "DC.type@OVERHEIDop.HandelingTypen",
                   "DC.type@OVERHEIDop.Rubriek"):
        if explicit := first.get(scheme):
            return doc_type_of(explicit)
    parlementair = first.get("DC.type@OVERHEIDop.Parlementair", "").lower()
    koop_id = first.get("DC.identifier", "")
    return PARLEMENTAIR_TYPES.get(parlementair) or publication_doc_type(koop_id, title) or doc_type_in_title(title)


def publication_doc_type(koop_id: str, title: str) -> str:
    """Kind of a non-parliamentary publication: an act by its title's first word in the
    Staatsblad and Tractatenblad, otherwise a notice (``bekendmaking``).

    >>> publication_doc_type("stb-2018-84", "Besluit van 9 maart 2018, houdende …")
    'besluit'
    >>> publication_doc_type("gmb-2017-100002", "Ingediende aanvraag omgevingsvergunning")
    'bekendmaking'
    """
    if not is_journal_publication(koop_id):
        return ""
    prefix = prefix_of(koop_id)
    first = (title.split() or [""])[0].lower().strip(",")
    if prefix in ("stb", "trb"):
        return ACT_TYPES.get(first, "besluit")
    return "bekendmaking"


def dated_by_metadata_only(koop_id: str) -> bool:
    """A non-parliamentary publication's date is its publication date, which only its
    metadata (or an explicit publication line) gives: dates in its text are something else
    (the date a permit was applied for, the day a notice goes on display)."""
    return is_journal_publication(koop_id)


def _id_from_record_url(url: str) -> str:
    """``https://zoek.officielebekendmakingen.nl/kst-28638-238/metadata.xml`` -> ``kst-28638-238``."""
    parts = [p for p in url.split("/") if p and p != "metadata.xml"]
    return parts[-1] if parts else ""
