"""Metadata of research and policy reports read from text and URL: WODC, CCV, CAHROM.

WODC: report number / series (``Cahier 2016-12``, ``Onderzoek en beleid 312``,
``WODC-rapport 2871``), handle, ISBN, authors from the protocol, year, summary.
CCV (Centrum voor Criminaliteitspreventie en Veiligheid): title, date, theme (from
the hetccv.nl path). CAHROM (Council of Europe ad hoc committee on Roma): reference
``CAHROM(2013)13``, meeting, language.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from indexer.extract import dates
from indexer.extract.result import Extracted

WODC_SERIES = re.compile(r"\b(?P<series>Cahier|Onderzoek en beleid|Memorandum|Fact ?sheet)[\s-]+(?P<nr>\d{4}-\d{1,3}|\d{1,4})\b")
WODC_NUMBER = re.compile(r"\bWODC[- ](?:rapport|nummer|nr\.?|onderzoeksnummer)?\s*:?\s*(?P<nr>\d{3,4})\b", re.I)
HANDLE = re.compile(r"\b(20\.500\.12832/\d+)\b")
ISBN = re.compile(r"\bISBN(?:-13)?:?\s*(?P<isbn>97[89][\d -]{10,14}\d|\d[\d -]{8,11}[\dX])\b")
CAHROM_REF = re.compile(r"\bCAHROM\s*\(\s*(?P<year>\d{4})\s*\)\s*(?P<nr>\d+)(?:\s*(?P<suffix>rev\.?\s*\d*|add\.?\s*\d*))?",
                        re.I)
CAHROM_MEETING = re.compile(r"\b(?P<nth>\d{1,2})(?:st|nd|rd|th|e|ème|re)\s+(?:CAHROM\s+)?"
                            r"(?:plenary\s+)?(?:meeting|réunion|session)", re.I)
STRASBOURG = re.compile(r"\bStrasbourg,?\s+(?:le\s+)?(\d{1,2}\s*\w+\s+\d{4})")
SUMMARY_HEAD = re.compile(r"^\s*(?:Samenvatting|Summary|Résumé)\s*$", re.M)


def _host(url: str) -> str:
    return (urlsplit(url.split(" ")[0] if url else "").hostname or "").lower()


def kind_of_url(hint: str) -> str:
    """``wodc``, ``ccv`` or ``cahrom`` when a URL in ``hint`` is on that source's host."""
    for url in hint.split():
        host = _host(url)
        if host.endswith("wodc.nl"):
            return "wodc"
        if host.endswith("hetccv.nl"):
            return "ccv"
        if host.endswith("coe.int") and "cahrom" in url.lower():
            return "cahrom"
    return ""


def kind_of_text(text: str, hint: str) -> str:
    """The report kind from the head of the text, for files without a telling URL."""
    head = text[:4000]
    if CAHROM_REF.search(head):
        return "cahrom"
    if "WODC" in head and (WODC_SERIES.search(head) or "Wetenschappelijk Onderzoek- en" in head):
        return "wodc"
    if "Centrum voor Criminaliteitspreventie en Veiligheid" in head[:1500]:
        return "ccv"
    return ""


def apply_wodc(text: str, url: str, result: Extracted) -> None:
    result.set_default("category", "wodc")
    result.set_default("doc_type", "rapport")
    result.set_default("creators", ["WODC"])
    head = text[:6000]
    # the series is often only in the file name: …/Cahier-2025-21-volledige-tekst.pdf
    if match := WODC_SERIES.search(head) or WODC_SERIES.search(url):
        result.set_identifier("series", match["series"])
        result.set_identifier("report_number", f"{match['series']} {match['nr']}")
    elif match := WODC_NUMBER.search(head):
        result.set_identifier("report_number", match["nr"])
    if match := HANDLE.search(url) or HANDLE.search(head):
        result.set_identifier("handle", match.group(1))
        result.set_identifier("canonical", "wodc:" + match.group(1).split("/")[-1])
    if match := ISBN.search(head):
        result.set_identifier("isbn", re.sub(r"[ ]", "", match["isbn"]))
    result.set_default("summary", _summary(text))


def apply_ccv(text: str, url: str, result: Extracted) -> None:
    result.set_default("category", "ccv")
    result.set_default("creators", ["Centrum voor Criminaliteitspreventie en Veiligheid"])
    parts = [p for p in urlsplit(url.split()[0] if url else "").path.split("/") if p]
    for section in ("themas", "onderwerpen"):
        if section in parts and parts.index(section) + 1 < len(parts):
            theme = parts[parts.index(section) + 1]
            result.extra.setdefault("theme", theme.replace("-", " ").capitalize())
            break
    result.set_default("summary", _summary(text))


def apply_cahrom(text: str, url: str, result: Extracted) -> None:
    result.set_default("category", "cahrom")
    result.set_default("creators", ["Council of Europe"])
    if match := CAHROM_REF.search(text[:6000]):
        reference = f"CAHROM({match['year']}){match['nr']}"
        result.set_identifier("coe_reference", reference)
    if match := CAHROM_MEETING.search(text[:8000]):
        result.extra.setdefault("meeting", match.group(0))
    if match := STRASBOURG.search(text[:3000]):
        result.set_default("date", dates.parse_dutch_date(match.group(1)))
    result.set_default("doc_type", "rapport")


def finish_cahrom(result: Extracted) -> None:
    """The canonical CoE key includes the language, known only after detection."""
    reference = result.identifiers.get("coe_reference")
    if reference and result.fields.get("category") == "cahrom":
        result.set_identifier("canonical", f"coe:{reference}-{result.fields.get('language') or 'en'}")


def _summary(text: str, limit: int = 1200) -> str:
    match = SUMMARY_HEAD.search(text)
    if not match:
        return ""
    body = text[match.end(): match.end() + limit * 2].strip()
    paragraph = re.split(r"\n\s*\n", body)[0]
    return " ".join(paragraph.split())[:limit]


APPLY = {"wodc": apply_wodc, "ccv": apply_ccv, "cahrom": apply_cahrom}
