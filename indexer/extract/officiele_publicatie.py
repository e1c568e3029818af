"""Officiële-publicatie XML (KOOP: Kamerstukken, Handelingen, Aanhangsels) to text + metadata.

Metadata from the ``<meta>`` elements; where a file carries only
``OVERHEIDop.externMetadataRecord``, the id in that URL and the ``kamerstukkop`` /
``dossier`` / ``stuk`` elements (or ``vergadering`` for Handelingen) in the body fill
the identifiers. Text is the body without markup, one line per block element.
Mojibake (double-encoded UTF-8) is repaired and flagged. Other XML goes through the
same text walk without the KOOP mapping.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

from indexer.extract import dates
from indexer.extract.errors import ExtractionError
from indexer.extract.koop_meta import apply_koop_meta, normalise_dossier, normalise_vergaderjaar
from indexer.extract.normalize import decode_text, repair_encoding
from indexer.extract.result import Extracted

#: elements whose content is a paragraph/line of its own
BLOCKS = frozenset(
    "al tekstregel titel dossiernr stuknr datumtekst kop tussenkop li "
    "item-titel vergadering-nummer vergaderdatum vergadertijd nr spreker p h1 h2 h3 "
    "onderschrift ondertekening naam functie noot tr alinea artikel lid".split()
)
SKIP = frozenset({"metadata", "meta"})
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
    result.raw_pages = [block_text(root)]
    return result


def extract_xml(body: bytes) -> Extracted:
    result = Extracted(format="xml")
    root = parse_xml(body, result)
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


def _kamerstukkop(root: etree._Element, result: Extracted) -> None:
    """Identifiers from the body of a Kamerstuk: vergaderjaar, dossier, ondernummer, date."""
    for regel in root.iter("tekstregel"):
        if regel.get("inhoud") == "vergaderjaar":
            result.set_identifier("vergaderjaar", normalise_vergaderjaar("".join(regel.itertext())))
        elif regel.get("inhoud") == "kameraanduiding":
            result.set_default("creators", [" ".join("".join(regel.itertext()).split())])
    if dossier := _find_text(root, ".//dossier/dossiernummer/dossiernr"):
        result.set_identifier("dossier", normalise_dossier(dossier))
        result.extra.setdefault("dossier_title", _find_text(root, ".//dossier/titel"))
    if nummer := _find_text(root, ".//stuk//ondernummer"):
        result.set_identifier("ondernummer", nummer)
    if (datum := root.find(".//stuk//datum")) is not None:
        result.set_default("date", datum.get("isodatum", "") or dates.parse_dutch_date("".join(datum.itertext())))
    result.set_default("date", dates.parse_dutch_date(_find_text(root, ".//stuk/datumtekst")))
    if stuk_titel := _find_text(root, ".//stuk/titel"):
        result.extra.setdefault("stuk_titel", stuk_titel)
    if root.find(".//kamerstuk") is not None or root.tag == "kamerstuk":
        result.set_default("category", "kamerstuk")
    if (d := result.identifiers.get("dossier")) and (n := result.identifiers.get("ondernummer")):
        result.set_identifier("canonical", f"kst-{d.replace(' ', '-')}-{n}")


def _handelingen_head(root: etree._Element, result: Extracted) -> None:
    if root.find(".//handelingen") is None and root.tag != "handelingen":
        return
    result.set_default("category", "handelingen")
    result.set_default("doc_type", "handelingen")
    if nummer := re.search(r"\d+", _find_text(root, ".//vergadering/vergadering-nummer")):
        result.set_identifier("vergadering", nummer.group(0))
    result.set_default("date", dates.parse_dutch_date(_find_text(root, ".//vergadering/vergaderdatum")))
    result.set_default("title", _find_text(root, ".//item-titel"))


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
