"""Per-kind metadata from text: which kind a document is, and the fallbacks every kind gets.

Kinds (a registry, tried in order): aanhangsel, kamerstuk, besluitenlijst,
regelgeving (BWB), and the report kinds in ``reports_meta`` (WODC, CCV, CAHROM).
The detectors look at the raw text (running headers included: they carry the ids)
and the record's URL/native id. Fallbacks: a title from the PDF Info dictionary or
the first heading-like line, a date from the first page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from indexer.citekeys import Category
from indexer.extract import dates, kamerstuk_meta, koop_meta, reports_meta, titles
from indexer.extract.result import Extracted
from indexer.extract.title_case import sentence_case_title

BWB_ID = re.compile(r"\b(BWB[RV]\d{7})\b")
SIGNED_AT = re.compile(r"(?:DONE at|GEDAAN te|Fait à) [^,]{2,40}, (?:this |op |le )?[^.]{0,40}?\d{4}")
#: first word of a regulation's title -> doc_type
REGELING_TYPES = {"wet": "wet", "besluit": "besluit", "verdrag": "verdrag", "aanwijzing": "beleidsregel",
                  "regeling": "regeling", "beleidsregel": "beleidsregel", "instellingsbesluit": "besluit"}


def _is_aanhangsel(raw: str, hint: str) -> bool:
    return "Aanhangsel van de Handelingen" in raw[:1500] or bool(re.search(r"\bah-(?:tk|ek)-\d{8}-\d+", hint))


def _is_kamerstuk(raw: str, hint: str) -> bool:
    return bool(kamerstuk_meta.FOOTER.search(raw) or kamerstuk_meta.COLOPHON_ID.search(raw)
                or kamerstuk_meta.HEAD_NR.search(raw[:2000]) or kamerstuk_meta.OCR_HEAD.search(raw[:600]))


def _is_besluitenlijst(raw: str, hint: str) -> bool:
    return bool(re.search(r"\bBesluitenlijst\b", raw[:3000], re.I))


def _is_regelgeving(raw: str, hint: str) -> bool:
    return bool(BWB_ID.search(hint))


def _apply_aanhangsel(raw: str, hint: str, result: Extracted) -> None:
    kamerstuk_meta.apply_aanhangsel_text(raw, result)
    if subject := result.extra.get("pdf_subject"):
        result.fields["title"] = subject  # the official title ("Antwoord op vragen van …")


#: "Document: Besluitenlijst van … 2 april 2009"; a title that breaks before its year goes on
#: on the next line, one that ends with it does not (the next line is then a section heading)
BESLUITENLIJST_TITLE = re.compile(r"Document:\s*(Besluitenlijst[^\n]*\d{4}(?=[ \t]*\n)|Besluitenlijst[^\n]+"
                                  r"(?:\n(?!\w+:)[^\n]+)?)")


def _apply_besluitenlijst(raw: str, hint: str, result: Extracted) -> None:
    result.set_default("doc_type", "besluitenlijst")
    parliamentary = "Voortouwcommissie" in raw[:3000] or "commissie" in raw[:600].lower()
    result.set_default("category", Category.KAMERSTUK if parliamentary else Category.OVERIG)
    if match := re.search(r"(?:Den Haag|['’]s-Gravenhage),\s+(\d{1,2}\s+\w+\s+\d{4})", raw[:2000]):
        result.set_default("date", dates.parse_dutch_date(match.group(1)))
    if match := BESLUITENLIJST_TITLE.search(raw[:3000]):
        result.set_default("title", " ".join(match.group(1).split()))
    if match := re.search(r"^\s*(Besluitenlijst van [^\n]+)$", raw[:3000], re.M):
        result.set_default("title", " ".join(match.group(1).split()))
    if re.search(r"^\s*MINISTERRAAD\s*$", raw[:500], re.M):
        result.set_default("creators", ["Ministerraad"])
    if match := re.search(r"Voortouwcommissie:\s*([^\n]+)", raw[:3000]):
        result.set_default("creators", [match.group(1).strip()])


def _apply_regelgeving(raw: str, hint: str, result: Extracted) -> None:
    bwb = BWB_ID.search(hint).group(1)  # type: ignore[union-attr]
    result.set_identifier("bwb", bwb)
    result.set_identifier("canonical", f"bwb:{bwb}")
    result.set_default("category", Category.REGELGEVING)
    title = result.fields.get("title", "")
    first = (title.split() or [""])[0].lower()
    result.set_default("doc_type", REGELING_TYPES.get(first, "verdrag" if bwb.startswith("BWBV") else "regeling"))
    if match := SIGNED_AT.search(raw):  # a treaty's date is the day it was signed
        result.set_default("date", dates.parse_dutch_date(match.group(0)))


#: kind -> (detector, applier), tried in order; the first detector that fires wins
KINDS: dict[str, tuple[Callable[[str, str], bool], Callable[[str, str, Extracted], None]]] = {
    "aanhangsel": (_is_aanhangsel, _apply_aanhangsel),
    "kamerstuk": (_is_kamerstuk, lambda raw, hint, result: kamerstuk_meta.apply_kamerstuk_text(raw, result)),
    "besluitenlijst": (_is_besluitenlijst, _apply_besluitenlijst),
    "regelgeving": (_is_regelgeving, _apply_regelgeving),
}


def apply_kind_metadata(result: Extracted, hint: str) -> str:
    """Detect the kind and fill its metadata; returns the kind (or ``""``). ``hint`` is the
    record's URL and native id (file names often carry the id)."""
    raw = "\n".join(result.raw_pages)
    category = result.fields.get("category", "")
    report_kind = category if category in reports_meta.APPLY else reports_meta.kind_of_url(hint)
    if report_kind:
        reports_meta.APPLY[report_kind](raw, hint, result)
        return report_kind
    for kind, (detect, apply) in KINDS.items():
        if detect(raw, hint):
            apply(raw, hint, result)
            return kind
    if report_kind := reports_meta.kind_of_text(raw, hint):
        reports_meta.APPLY[report_kind](raw, hint, result)
    return report_kind


#: kinds whose first-page dates are not the document date (debates quote other dates)
NO_DATE_GUESS = {Category.HANDELINGEN}


def apply_fallbacks(result: Extracted) -> None:
    """Title and date for documents no kind recognised (or that lacked them)."""
    first_page = result.pages[0] if result.pages else ""
    result.set_default("title", titles.choose_title(
        result.extra.get("pdf_title", ""), _title_from_stuk(result), first_page,
        result.extra.get("pdf_heading", ""), result.extra.get("pdf_subject", "")))
    if result.fields.get("category") == Category.KAMERSTUK and (proposed := kamerstuk_meta.proposed_date(
            "\n".join(result.raw_pages))):
        result.fields["date"] = proposed
    raw_first = result.raw_pages[0] if result.raw_pages else first_page  # letterhead dates are furniture
    if result.fields.get("category") not in NO_DATE_GUESS and \
            not koop_meta.dated_by_metadata_only(result.identifiers.get("canonical", "")):
        result.set_default("date", dates.parse_dutch_date(NOT_ITS_DATE.sub(" ", raw_first[:1500])))
        result.set_default("date", _labelled_date(result.raw_pages[:3]))
    if not result.fields.get("doc_type") and result.fields.get("category", Category.OVERIG) == Category.OVERIG:
        result.set_default("doc_type", guess_doc_type(result.fields.get("title", ""), first_page))


#: dates on a page that are not the document's: a deadline for the reader
NOT_ITS_DATE = re.compile(r"(?:Deadline|Uiterste reactiedatum|Reactie vóór)\s*:?\s*\S+(?:\s+\w+\s+\d{4})?", re.I)
#: a date labelled as the document's own on a title page or in its document control table
LABELLED_DATE = re.compile(r"^\s*(?:Versie|Datum)\s*:?\s+(?:\d+(?:\.\d+)*,?\s+)?(\d{1,2}\s+\w+\s+\d{4})\s*$", re.M)


def _labelled_date(pages: list[str]) -> str:
    """``Versie: 24 augustus 2020`` on one of the first pages."""
    match = next((m for page in pages if (m := LABELLED_DATE.search(page))), None)
    return dates.parse_dutch_date(match.group(1)) if match else ""


#: (where, pattern, doc_type) for documents outside the parliamentary series, tried in order;
#: ``where`` is the title, the top of page 1, or both. The first that matches wins.
DOC_TYPE_CUES: list[tuple[str, re.Pattern[str], str]] = [
    ("page", re.compile(r"^\s*Stemmingsuitslag|Stemmingsoort:", re.M), "stemmingen"),
    ("title", re.compile(r"^\s*Advies\b"), "advies"),
    ("page", re.compile(r"^\s*Notitie\s*$", re.M), "notitie"),
    ("title", re.compile(r"nota\b", re.I), "nota"),
    ("page", re.compile(r"^\W*(?:nota|n\w?\s?ota)\b", re.I | re.M), "nota"),  # a Woo nota's kind line, OCR'd too
    ("title", re.compile(r"rapport|onderzoek|analyse|effectbeoordeling|programma van eisen", re.I), "rapport"),
    ("page", re.compile(r"^\s*Geachte\b", re.M), "brief"),
]


def guess_doc_type(title: str, first_page: str) -> str:
    """The kind of a government document from its title or the top of page 1.

    >>> guess_doc_type("Contourennota intrekking Spreidingswet", ""), guess_doc_type("Toezeggingen", "Geachte leden,")
    ('nota', 'brief')
    """
    texts = {"title": title, "page": first_page[:2500]}
    return next((kind for where, cue, kind in DOC_TYPE_CUES if cue.search(texts[where])), "")


def _title_from_stuk(result: Extracted) -> str:
    """``MOTIE VAN DE LEDEN HOLMAN EN VAN CAMPEN`` -> ``Motie van de leden Holman en Van Campen``."""
    return sentence_case_title(result.extra.get("stuk_titel", ""))
