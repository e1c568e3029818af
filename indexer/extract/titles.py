"""The title of a document no kind recognised: embedded metadata when plausible, the subject
line of a letter or nota, the largest type on page 1, else the first heading-like line, and
never a letterhead, an address block, a label column or a stamp ("TER BESLUITVORMING").

Government letters and Woo notas open with furniture (the ministry's name broken over two
lines, the directorate, a postal address, "Aan"/"Datum"/"Kenmerk" labels); the title comes
after it, sometimes broken over lines or with a side-column label glued to its end.
"""

from __future__ import annotations

import re

#: Dutch ministries (present and recent): a line that is part of "Ministerie van <name>"
#: is letterhead, e.g. "Welzijn en Sport" or "Groene Groei".
MINISTRIES = (
    "Algemene Zaken", "Binnenlandse Zaken en Koninkrijksrelaties", "Buitenlandse Zaken", "Defensie",
    "Economische Zaken en Klimaat", "Economische Zaken, Landbouw en Innovatie", "Financiën",
    "Infrastructuur en Waterstaat", "Infrastructuur en Milieu", "Justitie en Veiligheid", "Veiligheid en Justitie",
    "Landbouw, Natuur en Voedselkwaliteit", "Landbouw, Visserij, Voedselzekerheid en Natuur",
    "Onderwijs, Cultuur en Wetenschap", "Sociale Zaken en Werkgelegenheid", "Volksgezondheid, Welzijn en Sport",
    "Klimaat en Groene Groei", "Volkshuisvesting en Ruimtelijke Ordening", "Asiel en Migratie",
)
_MINISTRY_TEXT = [" ".join(re.findall(r"\w+", f"ministerie van {name}".lower())) for name in MINISTRIES]
FURNITURE = re.compile(
    r"^(?:ministerie|minister|staatssecretaris|de minister) van\b"  # letterhead, addressee
    r"|^(?:directoraat[- ]generaal|directie|programmadirectie|gemeente|provincie|dienst|afdeling)\b"
    r"|\bpostbus\b|\b\d{4}\s?[A-Z]{2}\b|@|www\.|https?:"  # postal and web addresses
    r"|^\S+(?:plein|straat|laan|weg|kade|gracht|singel)\s+\d"  # street and number
    r"|^(?:aan|via|van|datum|referentie|kenmerk|ons kenmerk|uw kenmerk|bijlagen?|bijlage\(n\)|kopie aan|auteur"
    r"|contactpersoon|deadline|ontworpen door|behandeld door|inlichtingen|telefoon|retouradres|openbare versie"
    r"|ter (?:besluitvorming|beslissing|informatie|advisering|kennisname|ondertekening|aftekening))\b",
    re.I,
)
#: what a side column glues to the end of a title line, and stamps before it
SIDE_LABEL = re.compile(r"\s+(?:Bijlage\(n\)|Bijlagen?|Datum|Kenmerk|Referentie|Kopie aan)\s*$")
STAMP = re.compile(r"^\((?:ter [a-z]+)\)\s*", re.I)
#: the kind word a Woo nota prints before its subject ("nota", OCR'd as "Nn ota")
KIND_WORD = re.compile(r"^(?:nota|n\w?\s+ota)\s+(?=[A-Z])", re.I)
#: words a broken title line ends on when the title continues on the next line
CONNECTORS = {"en", "van", "de", "het", "een", "op", "om", "voor", "met", "in", "ter", "tot", "over", "bij",
              "aan", "naar", "of", "inzake", "door", "te", "der", "des"}
MAX_TITLE = 200


def is_furniture(line: str) -> bool:
    """A letterhead, address, label or stamp line.

    >>> [is_furniture(t) for t in ("Ministerie van Klimaat en", "Welzijn en Sport", "Aan: MPVO",
    ...     "Raadhuisplein 1 Postbus 30001 aps", "TER BESLUITVORMING", "Wetsvoorstel terugdringen verzuim")]
    [True, True, True, True, True, False]
    """
    text = line.strip()
    if FURNITURE.search(text):
        return True
    words = " ".join(re.findall(r"\w+", text.lower()))
    return bool(words) and any(f" {words} " in f" {ministry} " for ministry in _MINISTRY_TEXT)


def _heading_like(line: str) -> bool:
    """Two or more words, mostly letters, no sentence end, not starting in lower case."""
    if not 8 <= len(line) <= 160 or line.endswith((".", ",", ";", ":")) or not line[0].isupper() and line[0] != "(":
        return False
    words = re.findall(r"[^\W\d_]{3,}", line)
    return len(words) >= 2 and sum(ch.isalpha() for ch in line) > len(line) / 2


def _clean(line: str) -> str:
    line = KIND_WORD.sub("", STAMP.sub("", line.strip(" #*\t‘’'\"“”")))
    return SIDE_LABEL.sub("", line).strip()


def _continues(title: str, following: str) -> bool:
    """Whether ``following`` carries on a title broken after ``title``."""
    if not following or is_furniture(following) or len(title) + len(following) > MAX_TITLE:
        return False
    last = (title.split() or [""])[-1].lower()
    return following[0].islower() or last in CONNECTORS or title.endswith("-")


def first_heading(text: str) -> str:
    """The first heading-like line after the furniture, joined with its continuation lines.

    >>> first_heading("Programma van Eisen voor een digitale\\noplossing ter aanvulling op bron- en\\n"
    ...               "contactonderzoek\\nVersie 0.5, 19 mei 2020")
    'Programma van Eisen voor een digitale oplossing ter aanvulling op bron- en contactonderzoek'
    >>> first_heading("Ministerie van Volksgezondheid,\\nWelzijn en Sport\\nOntworpen door\\n"
    ...               "(ter beslissing) Project vermindering mijding van mondzorg om Bijlage(n)\\nfinanciële redenen 5")
    'Project vermindering mijding van mondzorg om financiële redenen'
    """
    lines = [line.strip() for line in text.split("\n")[:80] if line.strip()]
    for index, line in enumerate(lines):
        if is_furniture(line) or not _heading_like(_clean(line)):
            continue
        title = _clean(line)
        for following in lines[index + 1:index + 4]:
            following = _clean(following)
            if not _continues(title, following):
                break
            title = f"{title} {following}"
        return _trim_end(title)
    return ""


def _trim_end(title: str) -> str:
    """Drop a trailing number (a kenmerk from the side column) and a dangling function word.

    >>> _trim_end("Eerste bevindingen gebiedsverbinder kernenergie een, 96817177"), _trim_end("Donderdag 8 februari 2018")
    ('Eerste bevindingen gebiedsverbinder kernenergie', 'Donderdag 8 februari 2018')
    """
    title = re.sub(r"(?:[\s,;]+\d{5,}[\d\-]*|\s+\d{1,2})$", "", title).strip(" ,;")  # a year stays
    while len(title.split()) > 2 and title.split()[-1].lower() in CONNECTORS:
        title = title.rsplit(" ", 1)[0].strip(" ,;")
    return title


def subject_line(text: str) -> str:
    """The subject of a letter: ``Onderwerp``/``Betreft`` on its own line or before a colon.

    >>> subject_line("datum\\n10 december 2024\\nonderwerp\\n‘Toezeggingen Commissie BME 04-12-2024\\nGeachte")
    'Toezeggingen Commissie BME 04-12-2024'
    """
    match = re.search(r"^\s*(?:Onderwerp|Betreft)\s*:?\s*(?:\n\s*)?(\S[^\n]{4,200})$", text[:4000], re.M | re.I)
    return _clean(" ".join(match.group(1).split())) if match else ""


def plausible_pdf_title(title: str, first_page: str) -> bool:
    """An embedded title is trusted when it is more than a word, no letterhead, and printed
    on page 1 (an editor's leftover such as "TLDR; management" or "Logo … Den Haag, 2 november
    2007" is not the title on the page).

    >>> plausible_pdf_title("Acceptatie criteria", "Acceptatie\\ncriteria\\nLearning")
    True
    >>> plausible_pdf_title("TLDR; management", "RAG en implicaties (Learning Lion)")
    False
    """
    if len(title.split()) < 2 or is_furniture(title):
        return False
    page = " ".join(first_page.split()).casefold()
    return " ".join(title.split()).casefold() in page


def choose_title(pdf_title: str, stuk_title: str, first_page: str, heading: str, pdf_subject: str) -> str:
    """The first usable candidate, most trustworthy first."""
    candidates = (
        pdf_title if plausible_pdf_title(pdf_title, first_page) else "",
        stuk_title, subject_line(first_page),
        heading if heading and not is_furniture(heading) else "",
        pdf_subject if pdf_subject and not is_furniture(pdf_subject) else "",
        first_heading(first_page),
    )
    return next((candidate for candidate in candidates if candidate), "")
