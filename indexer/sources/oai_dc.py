"""Document fields from one ``oai_dc`` record as DSpace (6 and 7, XOAI) really serves it.

DSpace flattens its qualified Dublin Core into plain ``dc:*`` elements, so one element
name carries several meanings; this module tells them apart:

- ``dc:date``: accession and availability timestamps (``2024-05-14T04:06:06Z``), the
  copyright year (``©2023``) and the issued date (``2023-11``) arrive unlabelled. The
  issued date is the first value that is a plain date without a time.
- ``dc:type``: OpenAIRE version terms (``info:eu-repo/semantics/publishedVersion``) are not
  kinds; the first real kind is mapped to the index's Dutch vocabulary.
- ``dc:description``: cataloguing notes ("Catalogued from PDF version of thesis."),
  statements of responsibility (the authors' names again), degree names and affiliation
  notes ("Fil: …") sit beside the abstract; the summary is the abstract alone.
- ``dc:identifier``: the handle URL, an ISBN, a report number; other local numbers
  (student ids) are dropped. ``dc:relation`` ``Series;number`` is the report series.
- ``dc:language``: ISO 639-2/3 codes become ISO 639-1 (``spa`` -> ``es``).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from indexer.extract.language_codes import iso_639_1

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
HANDLE = re.compile(r"(?:hdl\.handle\.net/|/handle/)(\d+(?:\.\d+)*/\d+)")
WODC_HANDLE_PREFIX = "20.500.12832/"
PLAIN_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
ISBN = re.compile(r"^(?:ISBN(?:-1[03])?:?\s*)?(97[89][\d -]{10,14}\d|\d[\d -]{8,11}[\dXx])$")
#: ``Onderzoek en beleid;312`` (dc.relation.ispartofseries) -> series and number
SERIES_NUMBER = re.compile(r"^(?P<series>[^;]{2,80});\s*(?P<nr>[\w./-]{1,20})$")
#: OpenAIRE/COAR version terms: they say which version, not what kind of document
VERSION_TERMS = {"publishedversion", "acceptedversion", "submittedversion", "draft", "updatedversion",
                 "authorsversion", "none"}
#: dc:type values (lower-cased, last path segment) -> Document.doc_type
TYPES = {"report": "rapport", "technicalreport": "rapport", "research report": "rapport",
         "researchreport": "rapport", "book": "boek", "bookpart": "hoofdstuk", "book part": "hoofdstuk",
         "book chapter": "hoofdstuk", "article": "artikel", "journal article": "artikel",
         "thesis": "scriptie", "bachelorthesis": "scriptie", "masterthesis": "scriptie",
         "doctoralthesis": "proefschrift", "working paper": "working paper", "workingpaper": "working paper"}
#: descriptions that are cataloguing notes, not the abstract
NOTE = re.compile(r"^(?:Catalogued from|Includes bibliographical|This thesis is submitted|Fil:|Cataloged from|"
                  r"Thesis \(|Submitted by|Made available in DSpace|Bachelor of|Master of|Doctor of)", re.I)
MIN_ABSTRACT_WORDS = 12


def dc_metadata(record: etree._Element) -> dict[str, Any]:
    """Document fields from an ``oai_dc`` record (``_links`` are candidate file URLs)."""
    dc = record.find("oai:metadata/oai_dc:dc", NS)
    if dc is None:
        return {}

    def texts(name: str) -> list[str]:
        return [" ".join(el.text.split()) for el in dc.iterfind(f"dc:{name}", NS) if (el.text or "").strip()]

    identifiers, relations = texts("identifier"), texts("relation")
    links = [v for v in identifiers + relations if v.startswith(("http://", "https://"))]
    authors = texts("creator")
    values: dict[str, Any] = {
        "title": next(iter(texts("title")), ""),
        "date": issued_date(texts("date")),
        "authors": authors,
        "creators": texts("publisher"),
        "summary": abstract(texts("description"), authors),
        "language": iso_639_1(next(iter(texts("language")), "")),
        "doc_type": doc_type(texts("type")),
        "url": next((link for link in links if HANDLE.search(link)), links[0] if links else ""),
        "_links": links,
        "isbn": next((isbn(v) for v in identifiers if isbn(v)), ""),
    }
    values.update(_series(relations))
    handle = next((m.group(1) for link in links if (m := HANDLE.search(link))), "")
    if handle:
        values["handle"] = handle
        if handle.startswith(WODC_HANDLE_PREFIX):
            values["canonical"] = f"wodc:{handle.rsplit('/', 1)[-1]}"
    return {k: v for k, v in values.items() if v}


def issued_date(values: list[str]) -> str:
    """The issued date among DSpace's unlabelled ``dc:date`` values (never the accession stamp).

    >>> issued_date(["2024-05-14T04:06:06Z", "2024-05-14T04:06:06Z", "©2023", "2023-11"])
    '2023-11'
    """
    return next((value for value in values if PLAIN_DATE.match(value)), "")


def doc_type(values: list[str]) -> str:
    """The first value that names a kind, mapped: version terms are skipped.

    >>> doc_type(["info:eu-repo/semantics/publishedVersion", "info:eu-repo/semantics/bookPart"])
    'hoofdstuk'
    """
    for value in values:
        kind = value.rsplit("/", 1)[-1].strip().lower()
        if kind and kind not in VERSION_TERMS:
            return TYPES.get(kind, kind)
    return ""


def abstract(descriptions: list[str], authors: list[str]) -> str:
    """The first description that is neither a note, nor a name, nor a short label (DSpace
    writes plain descriptions and notes, then the abstract, then the statement of
    responsibility)."""
    names = {_name_key(author) for author in authors}
    candidates = [text for text in descriptions
                  if not NOTE.match(text) and _name_key(text) not in names
                  and len(text.split()) >= MIN_ABSTRACT_WORDS]
    return next(iter(candidates), "")


def isbn(value: str) -> str:
    """``978-987-558-611-6`` or ``ISBN 978 90 5454 123 4`` -> digits and hyphens as written."""
    match = ISBN.match(value.strip())
    if not match:
        return ""
    digits = re.sub(r"[^\dXx]", "", match.group(1))
    return match.group(1).replace(" ", "-") if len(digits) in (10, 13) else ""


def _series(relations: list[str]) -> dict[str, str]:
    for relation in relations:
        if not relation.startswith(("http://", "https://", "info:")) and (m := SERIES_NUMBER.match(relation)):
            return {"series": m["series"].strip(), "report_number": f"{m['series'].strip()} {m['nr']}"}
    return {}


def _name_key(text: str) -> str:
    """``Roy, Anika`` and ``Anika Roy`` give the same key."""
    if "," in text:
        last, _, first = text.partition(",")
        text = f"{first} {last}"
    return " ".join(sorted(text.lower().split()))
