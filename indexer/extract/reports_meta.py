"""Metadata of research and policy reports read from text and URL: WODC, CCV, CAHROM.

WODC: report number / series (``Cahier 2016-12``, ``Onderzoek en beleid 312``,
``WODC-rapport 2871``), handle, ISBN, authors from the protocol, year, summary.
CCV (Centrum voor Criminaliteitspreventie en Veiligheid): title, date, theme (from
the hetccv.nl path). CAHROM (Council of Europe ad hoc committee on Roma): reference
``CAHROM(2013)13``, meeting, language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from indexer.citekeys import Category
from indexer.extract import dates
from indexer.extract.result import Extracted

WODC_SERIES = re.compile(r"\b(?P<series>Cahier|Onderzoek en beleid|Memorandum|Fact ?sheet)[\s-]+(?P<nr>\d{4}-\d{1,3}|\d{1,4})\b")
WODC_NUMBER = re.compile(r"\bWODC[- ](?:rapport|nummer|nr\.?|onderzoeksnummer)?\s*:?\s*(?P<nr>\d{3,4})\b", re.I)
HANDLE = re.compile(r"\b(20\.500\.12832/\d+)\b")
ISBN = re.compile(r"\bISBN(?:-13)?:?\s*(?P<isbn>97[89][\d -]{10,14}\d|\d[\d -]{8,11}[\dX])\b")
# no \b before CAHROM: text layers glue the reference to the date ("16 May 2013CAHROM (2013)13")
CAHROM_REF = re.compile(r"(?<![A-Za-z])CAHROM\s*\(\s*(?P<year>\d{4})\s*\)\s*(?P<nr>\d+)(?:\s*(?P<suffix>rev\.?\s*\d*|add\.?\s*\d*))?",
                        re.I)
#: "4th meeting", "5th CAHROM Bureau meeting", "8e RÉUNION DU BUREAU": a Bureau meeting is
#: not a plenary one, so "Bureau" stays in the value
CAHROM_MEETING = re.compile(r"\b(?P<nth>\d{1,2})(?:st|nd|rd|th|e|ème|re)\s+(?:CAHROM\s+)?(?:plenary\s+)?"
                            r"(?:Bureau\s+)?(?:meeting|réunion|session)(?:\s+(?:du|of the)\s+Bureau)?"
                            r"(?:,\s*[^\n]{0,80})?", re.I)
#: the document's own title line: what kind of document it is
CAHROM_TITLE = re.compile(r"\b(?:report|rapport|terms of reference|mandat|agenda|ordre du jour|list of decisions|"
                          r"liste des décisions|opinion|avis|compilation|questionnaire|recommendations?)\b", re.I)
#: title words -> doc_type, first match wins
CAHROM_TYPES = (("meeting report", "verslag"), ("rapport de réunion", "verslag"), ("projet de rapport", "verslag"),
                ("rapport abrégé", "verslag"), ("list of decisions", "besluitenlijst"),
                ("liste des décisions", "besluitenlijst"), ("terms of reference", "mandaat"), ("mandat", "mandaat"),
                ("ordre du jour", "agenda"), ("agenda", "agenda"))
#: header lines around the title: committee name, place and date, reference, meeting
CAHROM_HEADER = re.compile(r"^(?:\(?CAHROM\)?$|AD HOC COMMITTEE|COMIT[ÉE] AD HOC|Strasbourg|Bureau de liaison)", re.I)
#: words that keep their capitals when an all-caps title is sentence-cased
KEEP_CASE = {"cahrom": "CAHROM", "roma": "Roma", "romed": "ROMED", "travellers": "Travellers", "sinti": "Sinti",
             "europe": "Europe", "european": "European", "bureau": "Bureau", "committee": "Committee",
             "council": "Council", "osce": "OSCE", "eu": "EU", "ue": "UE", "conseil": "Conseil", "l'europe": "l'Europe"}
STRASBOURG = re.compile(r"\bStrasbourg,?\s+(?:le\s+)?(\d{1,2}\s*\w+\s+\d{4})")
SUMMARY_HEAD = re.compile(r"^\s*(?:Samenvatting|Summary|Résumé)\s*$", re.M)


def _host(url: str) -> str:
    return (urlsplit(url.split(" ")[0] if url else "").hostname or "").lower()


def kind_of_url(hint: str) -> str:
    """``wodc``, ``ccv`` or ``cahrom`` when a URL in ``hint`` is on that source's host."""
    for url in hint.split():
        host = _host(url)
        if host.endswith("wodc.nl"):
            return Category.WODC
        if host.endswith("hetccv.nl"):
            return Category.CCV
        if host.endswith("coe.int") and "cahrom" in url.lower():
            return Category.CAHROM
    return ""


def kind_of_text(text: str, hint: str) -> str:
    """The report kind from the head of the text, for files without a telling URL."""
    head = text[:4000]
    if CAHROM_REF.search(head):
        return Category.CAHROM
    if "WODC" in head and (WODC_SERIES.search(head) or "Wetenschappelijk Onderzoek- en" in head):
        return Category.WODC
    if "Centrum voor Criminaliteitspreventie en Veiligheid" in head[:1500]:
        return Category.CCV
    return ""


def apply_wodc(text: str, url: str, result: Extracted) -> None:
    result.set_default("category", Category.WODC)
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
    result.set_default("category", Category.CCV)
    result.set_default("creators", ["Centrum voor Criminaliteitspreventie en Veiligheid"])
    parts = [p for p in urlsplit(url.split()[0] if url else "").path.split("/") if p]
    lines = [" ".join(line.split()) for line in text.split("\n")[:80] if line.strip()]
    for section in ("themas", "onderwerpen"):
        if section in parts and parts.index(section) + 1 < len(parts):
            theme = parts[parts.index(section) + 1]
            result.extra.setdefault("theme", _line_for_slug(lines, theme) or _slug_words(theme))
            break
    if "documenten" in parts and parts.index("documenten") + 1 < len(parts):
        # a document page of the shop: its title is the line the slug was made from, never the
        # shop's banner ("Product toegevoegd aan winkelmand") that comes first
        if title := _line_for_slug(lines, parts[parts.index("documenten") + 1]):
            result.fields["title"] = title
        result.set_default("doc_type", "rapport")
        result.set_default("summary", _ccv_description(text))
    result.set_default("summary", _summary(text))


def _slug_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _line_for_slug(lines: list[str], slug: str) -> str:
    """The line ``slug`` was made from, as written: ``multiprobleemgezinnen-met-een-roma-achtergrond``
    -> ``Multiprobleemgezinnen met een Roma achtergrond`` (hyphens and spaces do not count)."""
    key = _slug_key(slug)
    return next((line for line in lines if _slug_key(line) == key), "")


def _slug_words(slug: str) -> str:
    """A slug as words, first letter raised, nothing else changed (never ``capitalize()``)."""
    words = slug.replace("-", " ")
    return words[:1].upper() + words[1:]


def _ccv_description(text: str, limit: int = 1200) -> str:
    """The text under "Beschrijving" on a CCV document page, up to "Organisatie"/"Download"."""
    match = re.search(r"^\s*Beschrijving\s*$(?P<body>.+?)(?:^\s*(?:Organisatie|Download|Auteur)\s*$|\Z)", text,
                      re.M | re.S)
    return " ".join(match["body"].split())[:limit] if match else ""


def apply_cahrom(text: str, url: str, result: Extracted) -> None:
    result.set_default("category", Category.CAHROM)
    result.set_default("creators", ["Council of Europe"])
    if match := CAHROM_REF.search(text[:6000]):
        reference = f"CAHROM({match['year']}){match['nr']}"
        result.set_identifier("coe_reference", reference)
    if match := CAHROM_MEETING.search(text[:8000]):
        result.extra.setdefault("meeting", sentence_case(" ".join(match.group(0).split()).rstrip(",")))
    if match := STRASBOURG.search(text[:3000]):
        result.set_default("date", dates.parse_dutch_date(match.group(1)))
    if title := cahrom_title(text[:4000]):
        result.fields["title"] = title  # the document's own title beats a file's embedded one
    lowered = result.fields.get("title", "").lower()
    result.set_default("doc_type", next((kind for words, kind in CAHROM_TYPES if words in lowered), "rapport"))


def cahrom_title(head: str) -> str:
    """The title line of a CAHROM document ("MEETING REPORT[1]" -> "Meeting report"), never
    the committee's name, the "Strasbourg, date" line, the reference or the meeting line."""
    for line in head.split("\n")[:60]:
        line = re.sub(r"\[\d+\]", "", " ".join(line.split())).strip()
        if not line or len(line) > 200 or CAHROM_HEADER.match(line) or CAHROM_REF.fullmatch(line):
            continue
        if CAHROM_MEETING.match(line) and not CAHROM_TITLE.search(CAHROM_MEETING.sub("", line)):
            continue
        if CAHROM_TITLE.search(line):
            return sentence_case(line)
        if len(line.split()) > 25:  # the body has begun
            return ""
    return ""


def sentence_case(line: str) -> str:
    """``ABRIDGED MEETING REPORT (LIST OF DECISIONS) as approved`` -> ``Abridged meeting report
    (list of decisions) as approved``: only words typeset in capitals are lowered, and names keep
    their capitals (never ``str.capitalize()``, which would make "Roma" "roma")."""
    words = []
    for word in line.split(" "):
        bare = word.strip("()[],.:;«»\"'").lower()
        if word.isupper() and len(bare) > 1:
            word = word.replace(word.strip("()[],.:;«»\"'"), KEEP_CASE.get(bare, bare))
        words.append(word)
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def finish_cahrom(result: Extracted) -> None:
    """The canonical CoE key includes the language, known only after detection."""
    reference = result.identifiers.get("coe_reference")
    if reference and result.fields.get("category") == Category.CAHROM:
        result.set_identifier("canonical", f"coe:{reference}-{result.fields.get('language') or 'en'}")


def _summary(text: str, limit: int = 1200) -> str:
    match = SUMMARY_HEAD.search(text)
    if not match:
        return ""
    body = text[match.end(): match.end() + limit * 2].strip()
    paragraph = re.split(r"\n\s*\n", body)[0]
    return " ".join(paragraph.split())[:limit]


APPLY: dict[str, Callable[[str, str, Extracted], None]] = {Category.WODC: apply_wodc, Category.CCV: apply_ccv, Category.CAHROM: apply_cahrom}
