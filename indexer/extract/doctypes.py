"""Document-type vocabulary and the casing of titles typeset in capitals.

``doc_type_of("GEWIJZIGDE MOTIE VAN …")`` -> ``motie``; :func:`sentence_case_title`
turns ``MOTIE VAN DE LEDEN VAN NISPEN EN BOOMSMA`` into ``Motie van de leden Van Nispen
en Boomsma`` (names after ``lid``/``leden`` keep capitals, tussenvoegsels inside a
name stay lowercase).
"""

from __future__ import annotations

#: phrase in a heading/title -> doc_type; first match wins, so longer phrases come first
DOC_TYPES: list[tuple[str, str]] = [
    ("gewijzigde motie", "motie"), ("motie", "motie"), ("gewijzigd amendement", "amendement"),
    ("amendement", "amendement"), ("nota van wijziging", "nota van wijziging"),
    ("memorie van toelichting", "memorie van toelichting"), ("memorie van antwoord", "memorie van antwoord"),
    ("voorstel van wet", "wetsvoorstel"), ("advies", "advies"), ("nota naar aanleiding", "nota"),
    ("verslag", "verslag"), ("lijst van vragen", "lijst van vragen"), ("antwoord", "antwoord"),
    ("brief", "brief"), ("besluitenlijst", "besluitenlijst"), ("nota", "nota"),
]
TUSSENVOEGSELS = {"van", "de", "der", "den", "ter", "ten", "te", "in", "'t", "’t", "het", "op", "la", "le", "du"}
#: words that end the list of names in a motion title
_NAME_STOP = {"c.s.", "ter", "over", "inzake", "gedrukt", "onder"}


def doc_type_of(label: str) -> str:
    lowered = label.lower()
    return next((kind for phrase, kind in DOC_TYPES if phrase in lowered), "")


def sentence_case_title(title: str) -> str:
    """A title in capitals to sentence case with member names capitalised."""
    if not title.isupper():
        return title
    words = title.lower().split()
    out: list[str] = []
    in_names = False
    name_start = True
    for word in words:
        if word in _NAME_STOP:
            in_names = False
        if in_names and word != "en":
            out.append(word if word in TUSSENVOEGSELS and not name_start else _cap(word))
            name_start = False
        else:
            out.append(word)
            name_start = True
        if word in ("lid", "leden"):
            in_names, name_start = True, True
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def _cap(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
