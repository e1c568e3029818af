"""The casing of titles typeset in capitals.

:func:`sentence_case_title` turns ``MOTIE VAN DE LEDEN VAN NISPEN EN BOOMSMA`` into ``Motie van de leden Van Nispen
en Boomsma`` (names after ``lid``/``leden`` keep capitals, tussenvoegsels inside a
name stay lowercase).
"""

from __future__ import annotations

TUSSENVOEGSELS = {"van", "de", "der", "den", "ter", "ten", "te", "in", "'t", "’t", "het", "op", "la", "le", "du"}
#: words that end the list of names in a motion title
_NAME_STOP = {"c.s.", "ter", "over", "inzake", "gedrukt", "onder"}


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
