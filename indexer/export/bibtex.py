"""BibTeX export (JabRef, LaTeX, Zotero), written with bibtexparser v2 entry by entry.

Reports become ``@techreport`` (institution, number, type), everything else ``@misc``.
Text stays UTF-8 (biber and modern bibtex read it); only LaTeX's special characters are
escaped. Citation keys are stable: ``kst32824-193`` for parliamentary papers,
``Blok2017afronding`` otherwise, with ``a``, ``b``, … appended on a collision.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TextIO

import bibtexparser
from bibtexparser.model import Entry, Field

from indexer.export.fields import CitationFields, citation_fields
from indexer.model import Document

LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
LATEX_PATTERN = re.compile("|".join(re.escape(char) for char in LATEX_SPECIALS))
#: Words skipped when a title word is taken for a key (articles, prepositions).
#: Short key names for bodies that sources name in full without an abbreviation.
KEY_ABBREVIATIONS = {
    "Centrum voor Criminaliteitspreventie en Veiligheid": "CCV",
    "Wetenschappelijk Onderzoek- en Documentatiecentrum": "WODC",
    "Council of Europe": "CoE",
    "Conseil de l'Europe": "CoE",
    "Raad van Europa": "CoE",
    "Tweede Kamer der Staten-Generaal": "TK",
    "Eerste Kamer der Staten-Generaal": "EK",
}
TITLE_STOPWORDS = frozenset(
    "de het een en van over voor in op aan met the a an of on and for le la les l des du et un une".split()
)


def escape(text: str) -> str:
    r"""Escape LaTeX's special characters; newlines become spaces.

    >>> escape("Onderzoek & beleid: 100% _ok_")
    'Onderzoek \\& beleid: 100\\% \\_ok\\_'
    """
    text = re.sub(r"\s*[\r\n]+\s*", " ", text)
    return LATEX_PATTERN.sub(lambda match: LATEX_SPECIALS[match.group(0)], text)


def ascii_fold(text: str) -> str:
    """``geëvalueerde`` → ``geevalueerde``: keys must be plain ASCII."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def base_key(fields: CitationFields) -> str:
    """``kst32824-193``, ``kst36600VI-149``, ``kst35913-F``, ``ahtk20232024-1481`` for KOOP ids;
    else ``Blok2017afronding``.

    >>> from indexer.export.fields import citation_fields
    >>> base_key(citation_fields(Document(id="x", source="s", category="kamerstuk",
    ...     identifiers={"canonical": "kst-36600-VI-149"})))
    'kst36600VI-149'
    """
    koop = re.match(r"^([a-z]+(?:-[a-z]{2})?)-(\d.*)$", fields.key)
    if fields.profile.parliamentary and koop:
        prefix, rest = koop.group(1).replace("-", ""), koop.group(2)
        return prefix + re.sub(r"[^A-Za-z0-9-]", "", re.sub(r"-(?=[A-Za-z]+-)", "", rest))
    if not (fields.persons or fields.institutions or fields.publisher):  # a regulation: its BWB id
        return re.sub(r"[^A-Za-z0-9-]", "", ascii_fold(fields.key.split(":")[-1])) or "doc"
    words = [w for w in re.findall(r"\w+", ascii_fold(fields.title).lower()) if w not in TITLE_STOPWORDS]
    return f"{_key_name(fields)}{fields.year}{words[0] if words else ''}"


def _key_name(fields: CitationFields) -> str:
    """First author's surname, else an institution's abbreviation (``CCV``), else its name."""
    if fields.persons:
        return re.sub(r"\W", "", ascii_fold(fields.persons[0].family))
    name = (fields.institutions or (fields.publisher,))[0]
    abbreviation = re.search(r"\(([A-Za-z]+)\)\s*$", name)
    if abbreviation:
        return abbreviation.group(1)
    if name in KEY_ABBREVIATIONS:
        return KEY_ABBREVIATIONS[name]
    return re.sub(r"\W", "", ascii_fold(name).title())[:30]


class KeyRegistry:
    """Hands out unique keys in export order: the same input always yields the same keys."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._next_suffix: dict[str, int] = {}  # per base key, so many collisions stay cheap

    def unique(self, key: str) -> str:
        candidate, index = key, self._next_suffix.get(key, 0)
        while candidate in self._seen:
            candidate = key + _suffix(index)
            index += 1
        self._next_suffix[key] = index
        self._seen.add(candidate)
        return candidate


def _suffix(index: int) -> str:
    """a … z, then aa, ab, …"""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < 26 else _suffix(index // 26 - 1) + letters[index % 26]


def _authors(fields: CitationFields) -> str:
    """``Blok, S.A. and van Tulder, F.P.``; institutions braced so they stay one name."""
    # A bare surname ("Van Nispen") is braced, or BibTeX would read "Van" as a first name.
    people = [escape(person.inverted) if person.given else f"{{{escape(person.inverted)}}}" for person in fields.persons]
    return " and ".join(people or [f"{{{escape(name)}}}" for name in fields.institutions])


def bibtex_entry(fields: CitationFields, key: str) -> Entry:
    """One bibtexparser entry; values are raw, the writer adds the enclosing braces."""
    report = fields.profile.bibtex_type == "techreport"
    values = [
        ("title", f"{{{escape(fields.title)}}}"),  # inner braces keep the capitals
        ("author", _authors(fields)),
        ("institution" if report else "publisher", escape(fields.publisher)),
        ("address", escape(fields.place)),
        ("type", escape(fields.genre)),
        ("number", escape(fields.number)),
        ("series", escape(fields.series)),
        ("year", fields.year),
        ("date", fields.date[:10]),
        ("url", fields.url or fields.file_url),
        ("urldate", fields.accessed),
        ("language", fields.language),
        ("abstract", escape(fields.abstract)),
        ("note", escape(fields.citation)),
    ]
    return Entry(fields.profile.bibtex_type, key, [Field(name, value) for name, value in values if value])


def write(documents: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
    """Write one ``@techreport``/``@misc`` entry per document."""
    keys = KeyRegistry()
    count = 0
    for doc in documents:
        fields = citation_fields(doc, accessed)
        library = bibtexparser.Library([bibtex_entry(fields, keys.unique(base_key(fields)))])
        out.write(("\n" if count else "") + bibtexparser.write_string(library))
        count += 1
    return count
