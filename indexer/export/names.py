"""Personal names for citations: split "S.A. Blok" or "F.P. van Tulder" into parts.

Dutch names carry tussenvoegsels ("van", "van der", "de") that belong to the surname but
are written lower-case after initials ("F.P. van Tulder") and capitalised when the surname
stands alone ("Van Nispen"). Every export format needs the same split, so it lives here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words that start a tussenvoegsel (Dutch, plus the German/French ones met in CoE papers).
PARTICLE_WORDS = frozenset(
    "van de der den het 't te ter ten in op uit aan bij onder voor von zu le la du des d' l' da dos".split()
)


@dataclass(frozen=True)
class PersonName:
    """A person's name in parts; ``particle`` keeps the case it was written in."""

    family: str
    given: str = ""
    particle: str = ""

    @property
    def family_full(self) -> str:
        """Surname with its tussenvoegsel: ``van Tulder``."""
        return f"{self.particle} {self.family}".strip()

    @property
    def inverted(self) -> str:
        """``van Tulder, F.P.`` — the form RIS, Zotero meta tags and CSV use.

        >>> parse_name("F.P. van Tulder").inverted
        'van Tulder, F.P.'
        """
        return f"{self.family_full}, {self.given}" if self.given else self.family_full

    @property
    def display(self) -> str:
        """``F.P. van Tulder`` — the form a Dutch footnote uses."""
        return f"{self.given} {self.family_full}".strip()


def _is_particle(token: str) -> bool:
    return token.lower() in PARTICLE_WORDS


def _split_inverted(name: str) -> PersonName:
    """``Tulder, F.P. van`` / ``van Tulder, F.P.`` (the comma form)."""
    family_part, given_part = (part.strip() for part in name.split(",", 1))
    given_tokens = given_part.split()
    trailing: list[str] = []
    while given_tokens and _is_particle(given_tokens[-1]):
        trailing.insert(0, given_tokens.pop())
    head = _split_plain(family_part) if not trailing else PersonName(family=family_part)
    particle = " ".join(trailing) or head.particle
    return PersonName(family=head.family, given=" ".join(given_tokens), particle=particle)


def _split_plain(name: str) -> PersonName:
    tokens = name.split()
    if len(tokens) == 1:
        return PersonName(family=tokens[0])
    index = 0
    # Given names run until a tussenvoegsel starts or only the surname is left.
    while index < len(tokens) - 1 and not _is_particle(tokens[index]):
        index += 1
    given, rest = tokens[:index], tokens[index:]
    particle = []
    while len(rest) > 1 and _is_particle(rest[0]):
        particle.append(rest.pop(0))
    return PersonName(family=" ".join(rest), given=" ".join(given), particle=" ".join(particle))


def parse_name(name: str) -> PersonName:
    """Split a personal name as it appears in a Document's ``authors``.

    >>> parse_name("S.A. Blok")
    PersonName(family='Blok', given='S.A.', particle='')
    >>> parse_name("Van Nispen")
    PersonName(family='Nispen', given='', particle='Van')
    >>> parse_name("Huijbregts, G.L.A.M.")
    PersonName(family='Huijbregts', given='G.L.A.M.', particle='')
    >>> parse_name("J.D.M. van der Stigchel").family_full
    'van der Stigchel'
    """
    name = re.sub(r"\s+", " ", name).strip()
    if "," in name:
        return _split_inverted(name)
    return _split_plain(name)
