"""Officiële-publicatie XML (KOOP: Kamerstukken, Handelingen, Aanhangsels, Staatsblad,
Staatscourant, Gemeenteblad, Provinciaal blad, …) to text + metadata.

Metadata from the ``<meta>`` elements; where a file carries only
``OVERHEIDop.externMetadataRecord``, the id in that URL and the ``kamerstukkop`` /
``dossier`` / ``stuk`` elements (or ``vergadering`` for Handelingen) in the body fill
the identifiers. Text is the body without markup, one line per block element.
A publication's title is its own heading (``<intitule>`` or the ``kop/titel`` of the
``gemeenteblad``/``staatscourant``/… element), never the paper's masthead (``GEMEENTEBLAD``,
"Officiële uitgave van …"); its date is the publication date (metadata, the Staatsblad's
``<uitgifte>``, an explicit "Publicatiedatum:"), never a date from the text.
Mojibake (double-encoded UTF-8) is repaired and flagged. KOOP metadata manifestations
(``metadata.xml``, ``metadata_owms.xml``) are mapped like the meta tags (:mod:`koop_manifest`);
other XML goes through the same text walk without the KOOP mapping.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

from indexer.citekeys import Category, kst_key, normalise_dossier, normalise_vergaderjaar
from indexer.extract import dates, koop_manifest
from indexer.extract.errors import ExtractionError
from indexer.extract.koop_meta import apply_koop_meta, publication_doc_type
from indexer.extract.normalize import decode_text, repair_encoding
from indexer.extract.result import Extracted

#: elements whose content is a paragraph/line of its own
BLOCKS = frozenset(
    "al tekstregel titel dossiernr stuknr datumtekst kop tussenkop li "
    "item-titel vergadering-nummer vergaderdatum vergadertijd nr spreker p h1 h2 h3 "
    "onderschrift ondertekening naam functie noot tr alinea artikel lid".split()
)
SKIP = frozenset({"metadata", "meta"})
#: the body element of each paper that is no parliamentary paper (the masthead <kop> sits beside it)
PUBLICATION_ELEMENTS = ("staatsblad", "staatscourant", "gemeenteblad", "provinciaalblad", "waterschapsblad",
                        "blad-gemeenschappelijke-regeling", "tractatenblad")
#: the masthead names the issuing body: "Officiële uitgave van de gemeente Oldambt"
ISSUER = re.compile(r"Officiële uitgave van (?:de |het )?(?P<kind>gemeente|provincie|waterschap)\s+(?P<name>[^.]+)", re.I)
PUBLICATIEDATUM = re.compile(r"Publicatiedatum:\s*(\d{1,2}\s+\w+\s+\d{4}|\d{4}-\d{2}-\d{2})")
#: parts of <dossiernummer> after <dossiernr> that belong to the dossier id (36600 VI, 21501-02);
#: <rijkswetnr> (R2160) does not: KOOP ids leave it out
DOSSIER_SUFFIXES = {"begrotingshoofdstuk": " {}", "raadnr": "-{}"}
_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False,
                          remove_comments=True, remove_pis=True)


def parse_xml(body: bytes, result: Extracted) -> etree._Element:
    text, flags = decode_text(body)
    for flag in flags:
        result.flag(flag)
    start = text.find("<")
    text = text[start:] if start >= 0 else ""
    text, repaired = repair_encoding(text)
    if repaired:
        result.flag("mojibake-repaired")
    text = re.sub(r"^<\?xml[^>]*\?>", "", text.lstrip())
    root = etree.fromstring(text.encode("utf-8"), _PARSER) if text.strip() else None
    if root is None:
        raise ExtractionError("unparseable XML")
    return root


def extract_officiele_publicatie(body: bytes) -> Extracted:
    result = Extracted(format="officiele_publicatie")
    root = parse_xml(body, result)
    apply_koop_meta(_meta_values(root), result)
    _kamerstukkop(root, result)
    _handelingen_head(root, result)
    _publication_head(root, result)
    result.raw_pages = [block_text(root)]
    return result


def extract_xml(body: bytes) -> Extracted:
    result = Extracted(format="xml")
    root = parse_xml(body, result)
    if (manifest := koop_manifest.meta_values(root)) is not None:
        apply_koop_meta(manifest, result)
    result.raw_pages = [block_text(root)]
    return result


def _meta_values(root: etree._Element) -> dict[str, list[str]]:
    """``<meta name= content= scheme=>`` as name -> values, plus ``name@scheme`` keys."""
    values: dict[str, list[str]] = defaultdict(list)
    for meta in root.iter("meta"):
        name, content = meta.get("name", ""), meta.get("content", "")
        values[name].append(content)
        if meta.get("scheme"):
            values[f"{name}@{meta.get('scheme')}"].append(content)
    return values


def _find_text(root: etree._Element, path: str) -> str:
    found = root.find(path)
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def body_identifiers(root: etree._Element) -> dict[str, str]:
    """Identifiers read from the body alone (kamerstukkop, dossier, stuk), without <meta>."""
    found: dict[str, str] = {}
    for regel in root.iter("tekstregel"):
        if regel.get("inhoud") == "vergaderjaar":
            found["vergaderjaar"] = normalise_vergaderjaar("".join(regel.itertext()))
    dossier = _find_text(root, ".//dossier/dossiernummer/dossiernr")
    if dossier:
        for element, template in DOSSIER_SUFFIXES.items():
            if suffix := _find_text(root, f".//dossier/dossiernummer/{element}"):
                dossier += template.format(suffix)
        found["dossier"] = normalise_dossier(dossier)
    if nummer := _find_text(root, ".//stuk//ondernummer"):
        found["ondernummer"] = nummer
    if found.get("dossier") and found.get("ondernummer"):
        found["canonical"] = kst_key(found["dossier"], found["ondernummer"])
    return found


def _kamerstukkop(root: etree._Element, result: Extracted) -> None:
    """Body identifiers, date, dossier title and creator of a Kamerstuk; a body that
    contradicts the metadata id is flagged (the metadata wins)."""
    from_body = body_identifiers(root)
    if (meta_id := result.identifiers.get("canonical")) and from_body.get("canonical") not in (None, meta_id):
        result.flag("identifier-mismatch")
    for key, value in from_body.items():
        result.set_identifier(key, value)
    for regel in root.iter("tekstregel"):
        if regel.get("inhoud") == "kameraanduiding":
            result.set_default("creators", [" ".join("".join(regel.itertext()).split())])
    if from_body.get("dossier"):
        result.extra.setdefault("dossier_title", _find_text(root, ".//dossier/titel"))
    if rijkswet := _find_text(root, ".//dossier/dossiernummer/rijkswetnr"):
        result.extra.setdefault("rijkswet", rijkswet.replace(" ", ""))
    if (datum := root.find(".//stuk//datum")) is not None:
        result.set_default("date", datum.get("isodatum", "") or dates.parse_dutch_date("".join(datum.itertext())))
    result.set_default("date", dates.parse_dutch_date(_find_text(root, ".//stuk/datumtekst")))
    if stuk_titel := _find_text(root, ".//stuk/titel"):
        result.extra.setdefault("stuk_titel", stuk_titel)
    if root.find(".//kamerstuk") is not None or root.tag == "kamerstuk":
        result.set_default("category", Category.KAMERSTUK)


def _handelingen_head(root: etree._Element, result: Extracted) -> None:
    if root.find(".//handelingen") is None and root.tag != "handelingen":
        return
    result.set_default("category", Category.HANDELINGEN)
    result.set_default("doc_type", "handelingen")
    if nummer := re.search(r"\d+", _find_text(root, ".//vergadering/vergadering-nummer")):
        result.set_identifier("vergadering", nummer.group(0))
    result.set_default("date", dates.parse_dutch_date(_find_text(root, ".//vergadering/vergaderdatum")))
    result.set_default("title", _find_text(root, ".//item-titel"))


def _publication_head(root: etree._Element, result: Extracted) -> None:
    """Title, publication date and kind of a Staatsblad, Staatscourant, Gemeenteblad, …"""
    paper = next((found for name in PUBLICATION_ELEMENTS if (found := root.find(f".//{name}")) is not None), None)
    if paper is None:
        return
    title = _find_text(paper, "intitule") or _find_text(paper, "kop/titel") or _find_text(paper, ".//intitule")
    result.set_default("title", title)
    if (issued := paper.find(".//uitgifte/datum")) is not None:
        result.set_default("date", issued.get("isodatum", "") or dates.parse_dutch_date("".join(issued.itertext())))
    if match := PUBLICATIEDATUM.search(" ".join("".join(paper.itertext()).split())):
        result.set_default("date", dates.parse_dutch_date(match.group(1)))
    result.set_default("doc_type", publication_doc_type(result.identifiers.get("canonical", ""), title))
    if match := ISSUER.search(_find_text(root, "kop/subtitel")):
        result.set_default("creators", [f"{match['kind'].capitalize()} {match['name'].strip()}"])


def block_text(root: etree._Element) -> str:
    """The text of ``root`` without markup: one line per block element, inline space collapsed."""
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buffer).split())
        if line:
            lines.append(line)
        buffer.clear()

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIP:
            return
        block = tag in BLOCKS
        if block:
            flush()
        buffer.append(element.text or "")
        for child in element:
            walk(child)
            buffer.append(child.tail or "")
        if block:
            flush()

    walk(root)
    flush()
    return "\n".join(lines)
