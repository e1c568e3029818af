"""KOOP metadata names (``DC.*``, ``DCTERMS.*``, ``OVERHEIDop.*``) to Document fields.

Shared by the officiële-publicatie XML and the zoek.officielebekendmakingen.nl HTML
pages, which carry the same ``<meta name=… content=…>`` set. Also parses KOOP ids
(``kst-36600-VI-149``, ``ah-tk-20232024-1481``, ``h-tk-20172018-50-1``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from indexer.extract.doctypes import doc_type_of
from indexer.extract.result import Extracted

#: KOOP id -> identifiers; dossier suffixes are roman numerals, letters or 2 digits
_KST = re.compile(r"^kst-(?P<dossier>\d+(?:-(?:[IVXLC]+|[A-Z]|\d{1,2}|h\d+))?)-(?P<nr>\d+|[A-Z]{1,2})$")
_AH = re.compile(r"^ah-(?P<kamer>tk|ek)-(?P<jaar>\d{8})-(?P<nr>\d+)$")
_HAND = re.compile(r"^h-(?P<kamer>tk|ek)-(?P<jaar>\d{8})-(?P<vergadering>\d+)-(?P<item>\d+)$")
_KAMER = {"tk": "II", "ek": "I"}
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


def identifiers_from_koop_id(koop_id: str) -> dict[str, str]:
    """Identifiers a KOOP id implies: ``kst-36600-VI-149`` -> dossier ``36600 VI``, nr 149."""
    koop_id = koop_id.rstrip("/").split("/")[-1].strip()
    if match := _KST.match(koop_id):
        return {"canonical": koop_id, "dossier": normalise_dossier(match["dossier"]), "ondernummer": match["nr"]}
    if match := _AH.match(koop_id):
        return {"canonical": koop_id, "aanhangselnummer": match["nr"], "kamer": _KAMER[match["kamer"]],
                "vergaderjaar": f"{match['jaar'][:4]}-{match['jaar'][4:]}"}
    if match := _HAND.match(koop_id):
        return {"canonical": koop_id, "vergadering": match["vergadering"], "item": match["item"],
                "kamer": _KAMER[match["kamer"]], "vergaderjaar": f"{match['jaar'][:4]}-{match['jaar'][4:]}"}
    if re.match(r"^(?:blg|kv-tk|nds-tk|stb|stcrt|trb|gmb|prb|wsb|bgr)-[\w-]+$", koop_id):
        return {"canonical": koop_id}
    return {}


#: KOOP id prefix -> Document.category: parliamentary papers; the Staatsblad and
#: Tractatenblad publish legislation and treaties; the Staatscourant and the decentral
#: papers (Gemeenteblad, Provinciaal blad, Waterschapsblad, blad gemeenschappelijke
#: regeling) publish notices: permits, decisions, announcements.
KOOP_CATEGORIES = {"kst": "kamerstuk", "blg": "kamerstuk", "kv": "kamerstuk", "nds": "kamerstuk",
                   "ah": "aanhangsel", "h": "handelingen", "stb": "regelgeving", "trb": "regelgeving",
                   "stcrt": "bekendmaking", "gmb": "bekendmaking", "prb": "bekendmaking",
                   "wsb": "bekendmaking", "bgr": "bekendmaking"}
#: prefixes of official publications that are no parliamentary paper
PUBLICATION_PREFIXES = ("stb", "trb", "stcrt", "gmb", "prb", "wsb", "bgr")


def category_of_koop_id(koop_id: str) -> str:
    return KOOP_CATEGORIES.get(koop_id.split("-")[0], "")


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
    for key, value in identifiers_from_koop_id(koop_id).items():
        result.set_identifier(key, value)
    result.set_default("category", category_of_koop_id(koop_id))
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
        if match := re.fullmatch(r"\s*(\d+(?:-[\w]+)?)\s*;\s*(\d+)\s*", dossier):
            result.references.append(f"kst-{match[1]}-{match[2]}")
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
            return explicit.lower()
    parlementair = first.get("DC.type@OVERHEIDop.Parlementair", "").lower()
    koop_id = first.get("DC.identifier", "")
    return PARLEMENTAIR_TYPES.get(parlementair) or publication_doc_type(koop_id, title) or doc_type_of(title)


#: first word of a Staatsblad/Tractatenblad title -> doc_type
ACT_TYPES = {"wet": "wet", "rijkswet": "wet", "besluit": "besluit", "koninklijk": "besluit", "verdrag": "verdrag",
             "regeling": "regeling", "beschikking": "beschikking"}


def publication_doc_type(koop_id: str, title: str) -> str:
    """Kind of a non-parliamentary publication: an act by its title's first word in the
    Staatsblad and Tractatenblad, otherwise a notice (``bekendmaking``).

    >>> publication_doc_type("stb-2018-84", "Besluit van 9 maart 2018, houdende …")
    'besluit'
    >>> publication_doc_type("gmb-2017-100002", "Ingediende aanvraag omgevingsvergunning")
    'bekendmaking'
    """
    prefix = koop_id.split("-")[0]
    if prefix not in PUBLICATION_PREFIXES:
        return ""
    first = (title.split() or [""])[0].lower().strip(",")
    if prefix in ("stb", "trb"):
        return ACT_TYPES.get(first, "besluit")
    return "bekendmaking"


def dated_by_metadata_only(koop_id: str) -> bool:
    """A non-parliamentary publication's date is its publication date, which only its
    metadata (or an explicit publication line) gives: dates in its text are something else
    (the date a permit was applied for, the day a notice goes on display)."""
    return koop_id.split("-")[0] in PUBLICATION_PREFIXES


def _id_from_record_url(url: str) -> str:
    """``https://zoek.officielebekendmakingen.nl/kst-28638-238/metadata.xml`` -> ``kst-28638-238``."""
    parts = [p for p in url.split("/") if p and p != "metadata.xml"]
    return parts[-1] if parts else ""


def normalise_dossier(value: str) -> str:
    """``36600-VI`` / ``36 600 VI`` -> ``36600 VI``; ``21 501-02`` -> ``21501-02``."""
    value = re.sub(r"(?<=\d) (?=\d{3}\b)", "", value.strip())
    value = re.sub(r"-(?=[IVXLC]+$|[A-Z]$)", " ", value)
    return re.sub(r"\s+", " ", value)


def normalise_vergaderjaar(value: str) -> str:
    """``2016–2017`` / ``2016/17`` / ``20162017`` -> ``2016-2017``."""
    digits = re.findall(r"\d+", value)
    if len(digits) == 1 and len(digits[0]) == 8:
        digits = [digits[0][:4], digits[0][4:]]
    if len(digits) < 2:
        return value.strip()
    start, end = digits[0], digits[1]
    if len(end) == 2:
        end = start[:2] + end
    return f"{start}-{end}"
