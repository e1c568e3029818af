"""Metadata of parliamentary papers read from their text (PDF or plain text).

Kamerstukken: dossier (with suffix: ``36 600 VI``, ``21 501-02``), ondernummer,
vergaderjaar, date, document type, dossier title, signatories/indieners, ministry.
Aanhangsel Handelingen: number, question and answer dates, members asking, minister
answering. Sources: the page-1 head (``Vergaderjaar 2024–2025`` / ``28 286 Dierenwelzijn``
/ ``Nr. 1366 MOTIE VAN …``), the running footer and the ``kst-…`` colophon line.
"""

from __future__ import annotations

import re

from indexer.citekeys import (
    Category,
    doc_type_in_title,
    identifiers_of,
    normalise_dossier,
    normalise_vergaderjaar,
)
from indexer.citekeys.keys import ah_key, kst_key
from indexer.extract import dates
from indexer.extract.result import Extracted

_DOSSIER = r"\d{2} ?\d{3}(?:-\d{2}| [IVXLC]+\b| [A-Z]\b)?"
FOOTER = re.compile(rf"(?P<kamer>Tweede|Eerste) Kamer, vergaderjaar (?P<jaar>\d{{4}}\s*[–-]\s*\d{{4}}),\s*"
                    rf"(?:(?P<dossier>{_DOSSIER}), nr\. (?P<nr>\d+)|(?P<ah>Aanhangsel))")
HEAD_JAAR = re.compile(r"^\s*Vergaderjaar (\d{4}\s*[–-]\s*\d{4})", re.M)
HEAD_DOSSIER = re.compile(rf"^\s*(?P<dossier>{_DOSSIER})\s+(?P<title>[A-Z(«].*)$", re.M)
HEAD_NR = re.compile(r"^\s*Nr\.\s*(?P<nr>\d+|[A-Z]{1,2})\s+(?P<kind>.+)$(?:\n(?P<more>[A-Z][A-Z ,.'’-]+\d*)[ \t]*$)?", re.M)
#: a stuk title in capitals on its own line (OCR'd or untagged documents)
CAPS_STUK = re.compile(r"^\s*((?:NADER )?(?:GEWIJZIGDE? )?(?:MOTIE|AMENDEMENT) VAN [A-Z .,'’-]+?)\s*$", re.M)
KAMER_LINE = re.compile(r"^\s*((?:Tweede|Eerste) Kamer der Staten-Generaal)(?:\s+\d)?\s*$", re.M)
OCR_HEAD = re.compile(r"^[ \t]*(?P<dossier>\d{5})-(?P<nr>\d+)[ \t]+(?P<date>\d{1,2} \w+ \d{4})", re.M)
COLOPHON_ID = re.compile(r"^\s*((?:kst|ah-tk|ah-ek|blg)-[\w-]+)\s*$", re.M)
DATE_CUES = re.compile(r"(?:Voorgesteld|Vastgesteld|Den Haag,|['’]s-Gravenhage,|Datum:?)\s+"
                       r"(?:\w+dag\s+)?(\d{1,2}\s+\w+\s+\d{4})")
#: the date a motion was moved: its own date, which beats KOOP's date of putting it online
PROPOSED = re.compile(r"^\s*Voorgesteld\s+(?:\w+dag\s+)?(\d{1,2}\s+\w+\s+\d{4})\s*$", re.M)


def proposed_date(raw: str) -> str:
    """The ISO date of ``Voorgesteld 23 februari 2006`` on its own line, or ``""``."""
    match = PROPOSED.search(raw)
    return dates.parse_dutch_date(match.group(1)) if match else ""
MOTION_END = re.compile(r"en gaat over tot de orde van de dag[.,]?\s*\n(?P<names>(?:.*\n?){1,12})", re.I)
#: a committee report is signed by its chair and clerk
COMMITTEE_SIGNATURE = re.compile(r"^\s*(?:De voorzitter|(?:De )?[\w-]*[Gg]riffier) van de commissie,\s*\n\s*"
                                 r"(?P<name>[A-Z][^\n,]{1,40}?)\s*$", re.M)
SIGNATURE = re.compile(r"^(?:De |)(?:[Mm]inister|[Ss]taatssecretaris)(?:-president)? (?:van|voor) (?P<dept>[^,\n]+),"
                       r"\s*\n\s*(?P<name>[A-Z][^\n]{1,40}?)\s*$", re.M)
NAME_LINE = re.compile(r"^(?:[A-Z]\.)*\s?(?:[A-Z][a-z'’]*\s)?(?:(?:van|de|der|den|ter|ten|in ['’]t|'t)\s)*"
                       r"[A-Z][\w'’\-]+(?:\s[A-Z][\w'’\-]+)?$")


def apply_kamerstuk_text(raw: str, result: Extracted) -> None:
    """Fill identifiers and fields of a Kamerstuk from its raw text (headers included)."""
    if match := COLOPHON_ID.search(raw):
        for key, value in identifiers_of(match.group(1)).items():
            result.set_identifier(key, value)
    if match := FOOTER.search(raw):
        result.set_identifier("vergaderjaar", normalise_vergaderjaar(match["jaar"]))
        result.set_identifier("kamer", "II" if match["kamer"] == "Tweede" else "I")
        if match["dossier"]:
            result.set_identifier("dossier", normalise_dossier(match["dossier"]))
            result.set_identifier("ondernummer", match["nr"])
    _signatories(raw, result)
    _head(raw[:3000], result)
    result.set_default("category", Category.KAMERSTUK)
    ids = result.identifiers
    if ids.get("dossier") and ids.get("ondernummer"):
        result.set_identifier("canonical", kst_key(ids["dossier"], ids["ondernummer"]))


def _head(head: str, result: Extracted) -> None:
    if match := HEAD_JAAR.search(head):
        result.set_identifier("vergaderjaar", normalise_vergaderjaar(match.group(1)))
    _dossiers(head, result)
    if match := HEAD_NR.search(head):
        result.set_identifier("ondernummer", match["nr"])
        kind = " ".join(filter(None, (match["kind"].strip(), (match["more"] or "").strip())))
        result.set_default("doc_type", doc_type_in_title(kind))
        result.extra.setdefault("stuk_titel", re.sub(r"(?<=[A-Za-z])\d+$", "", kind).strip())
    elif match := OCR_HEAD.search(head):
        result.set_identifier("dossier", match["dossier"])
        result.set_identifier("ondernummer", match["nr"])
        result.set_default("date", dates.parse_dutch_date(match["date"]))
    if match := CAPS_STUK.search(head):
        result.extra.setdefault("stuk_titel", match.group(1))
    if match := KAMER_LINE.search(head):
        result.set_default("creators", [match.group(1)])
    if match := DATE_CUES.search(head):
        result.set_default("date", dates.parse_dutch_date(match.group(1)))
    if not result.fields.get("doc_type"):
        result.set_default("doc_type", doc_type_in_title(head[:600]))


def _dossiers(head: str, result: Extracted) -> None:
    """``32 824 Integratiebeleid`` / ``28 638 Mensenhandel`` above ``Nr. 193``: the first is
    the dossier, later ones (a letter filed in two dossiers) go to ``extra["other_dossiers"]``."""
    nr = HEAD_NR.search(head)
    found = list(HEAD_DOSSIER.finditer(head, 0, nr.start() if nr else len(head)))
    entries = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else (nr.start() if nr else match.end())
        entries.append((normalise_dossier(match["dossier"]), " ".join(head[match.start("title"): end].split())))
    if entries:
        result.set_identifier("dossier", entries[0][0])
        result.extra.setdefault("dossier_title", entries[0][1])
    if len(entries) > 1:
        result.extra.setdefault("other_dossiers", "; ".join(f"{number} {title}" for number, title in entries[1:]))


def _signatories(raw: str, result: Extracted) -> None:
    """Indieners of a motion (names after the closing formula) or ministers signing a letter."""
    names: list[str] = []
    if match := MOTION_END.search(raw):
        for line in match["names"].split("\n"):
            line = line.strip()
            if not line or FOOTER.search(line) or COLOPHON_ID.match(line):
                break
            if NAME_LINE.match(line):
                names.append(line)
    names.extend(m["name"].strip() for m in COMMITTEE_SIGNATURE.finditer(raw[:5000]))
    ministries = []
    for match in SIGNATURE.finditer(raw):
        names.append(match["name"].strip())
        ministries.append(match["dept"].strip())
    result.set_default("authors", names)
    if ministries:
        result.extra.setdefault("ministry", "; ".join(ministries))
        result.set_default("creators", [f"Ministerie van {m}" if not m.startswith("Ministerie") else m
                                        for m in ministries])


AH_NUMBER = re.compile(r"gegeven antwoorden\s*\n\s*(\d{1,5})\s*\n")
AH_ASKERS = re.compile(r"Vragen van (?:het lid|de leden) (?P<who>.+?) aan (?:de|het) ", re.S)
AH_SUBJECT = re.compile(r" over (?P<subject>.+?)\s*\(ingezonden", re.S)
AH_ASKED = re.compile(r"\(ingezonden\s+(\d{1,2}\s+\w+\s+\d{4})\)")
AH_ANSWERED = re.compile(r"\(ontvangen\s+(\d{1,2}\s+\w+\s+\d{4})\)")
AH_MINISTER = re.compile(r"(?P<kind>Antwoord|Mededeling) van (?:de )?(?P<role>[Mm]inister(?:-president)?|[Ss]taatssecretaris)\s+"
                         r"(?P<name>[A-Z][\w'’\- ]+?)\s*\((?P<dept>[^)]*)\)")


def apply_aanhangsel_text(raw: str, result: Extracted) -> None:
    """Aanhangsel Handelingen: number, dates, askers, answering minister."""
    head = " ".join(raw[:4000].replace("-\n", "-").split())
    result.set_default("category", Category.AANHANGSEL)
    result.set_default("doc_type", "antwoord")
    if match := KAMER_LINE.search(raw[:600]):
        result.set_default("creators", [match.group(1)])
    if match := FOOTER.search(raw):
        result.set_identifier("vergaderjaar", normalise_vergaderjaar(match["jaar"]))
        result.set_identifier("kamer", "II" if match["kamer"] == "Tweede" else "I")
    if match := HEAD_JAAR.search(raw[:2000]):
        result.set_identifier("vergaderjaar", normalise_vergaderjaar(match.group(1)))
    if match := AH_NUMBER.search(raw[:3000]):
        result.set_identifier("aanhangselnummer", match.group(1))
    _aanhangsel_people(head, result)
    _aanhangsel_dates(head, result)
    ids = result.identifiers
    if ids.get("aanhangselnummer") and ids.get("vergaderjaar"):
        result.set_identifier("canonical", ah_key(ids.get("kamer", ""), ids["vergaderjaar"], ids["aanhangselnummer"]))


def _aanhangsel_people(head: str, result: Extracted) -> None:
    askers: list[str] = []
    if match := AH_ASKERS.search(head):
        who = re.sub(r"\s*\([^)]*\)", "", match["who"])
        who = re.sub(r"\b(van|de|der|den|ter|ten)(?=[A-Z])", r"\1 ", who)  # "Inge vanDijk" in the PDF
        askers = [n.strip(" ´`") for n in re.split(r",\s*|\s+en\s+", who) if n.strip(" ´`")]
        result.set_default("authors", askers)
        result.extra.setdefault("askers", "; ".join(askers))
        if subject := AH_SUBJECT.search(head, match.end()):
            lid = "het lid" if len(askers) == 1 else "de leden"
            names = " en ".join(askers)
            result.set_default("title", f"Vragen van {lid} {names} over {subject['subject'].strip()}")
    if match := AH_MINISTER.search(head):
        result.extra.setdefault("minister", f"{match['role'].capitalize()} {match['name'].strip()}")
        if match["kind"] == "Mededeling":  # a notice that the answer is delayed, not the answer
            result.fields["doc_type"] = "mededeling"
        result.extra.setdefault("ministry", match["dept"].strip())


def _aanhangsel_dates(head: str, result: Extracted) -> None:
    if match := AH_ASKED.search(head):
        result.extra.setdefault("question_date", dates.parse_dutch_date(match.group(1)))
    if match := AH_ANSWERED.search(head):
        answered = dates.parse_dutch_date(match.group(1))
        result.extra.setdefault("answer_date", answered)
        result.set_default("date", answered)
