"""KOOP official-publication ids (``kst-32824-193``, ``ah-tk-20162017-1234``,
``h-tk-20172018-50-1``, ``stb-2020-1``, ``kv-tk-2022Z01227``, ``blg-1093410``) and their parts.

The prefix names the series (:data:`SERIES`: its category and, for the publication journals,
the abbreviation citations use); :func:`identifiers_of` splits an id into the
``identifiers`` a citation needs. Id forms: Kamerstuk ``kst-{dossier}-{nr}`` (dossier with its
suffix, ``kst-36600-VI-149``; Eerste Kamer numbers are letters, ``kst-35913-F``), Aanhangsel
``ah-{kamer}-{vergaderjaar}-{nr}``, Handelingen ``h-{kamer}-{vergaderjaar}-{vergadering}-{item}``
(before 2010/11 ``…-{first page}-{last page}``), journals ``{journal}-{year}-{nr}``, Kamervragen
``kv-tk-{zaaknummer}``, niet-dossierstukken ``nds-tk-{documentnummer}``, bijlagen ``blg-{n}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.citekeys.categories import Category
from indexer.citekeys.chamber import Chamber
from indexer.citekeys.dossier import normalise_dossier
from indexer.citekeys.vergaderjaar import parse_vergaderjaar


@dataclass(frozen=True)
class Series:
    """A KOOP id prefix: the category of its publications and its journal abbreviation."""

    category: Category
    journal: str = ""  # ``Stb.``: cited as ``Stb. 2018, 84``; "" for parliamentary papers


#: KOOP id prefix -> series. Parliamentary papers; the Staatsblad and Tractatenblad publish
#: legislation and treaties; the Staatscourant and the decentral papers (Gemeenteblad,
#: Provinciaal blad, Waterschapsblad, blad gemeenschappelijke regeling) publish notices:
#: permits, decisions, announcements. Kamervragen (``kv``) and niet-dossierstukken (``nds``)
#: are papers of the Kamer.
SERIES: dict[str, Series] = {
    "kst": Series(Category.KAMERSTUK), "blg": Series(Category.KAMERSTUK), "kv": Series(Category.KAMERSTUK),
    "nds": Series(Category.KAMERSTUK), "ah": Series(Category.AANHANGSEL), "h": Series(Category.HANDELINGEN),
    "stb": Series(Category.REGELGEVING, "Stb."), "trb": Series(Category.REGELGEVING, "Trb."),
    "stcrt": Series(Category.BEKENDMAKING, "Stcrt."), "gmb": Series(Category.BEKENDMAKING, "Gmb."),
    "prb": Series(Category.BEKENDMAKING, "Prb."), "wsb": Series(Category.BEKENDMAKING, "Wsb."),
    "bgr": Series(Category.BEKENDMAKING, "Bgr."),
}
#: prefixes of the publication journals (no parliamentary paper)
JOURNAL_PREFIXES = tuple(prefix for prefix, series in SERIES.items() if series.journal)

_KST = re.compile(r"^kst-(?P<dossier>\d+(?:-(?:[IVXLC]+|[A-Z]|\d{1,2}|h\d+))?)-(?P<nr>\d+|[A-Z]{1,2})$")
_AH = re.compile(r"^ah-(?P<kamer>tk|ek|vv)-(?P<jaar>\d{8})-(?P<nr>\d+)$")
_HAND = re.compile(r"^h-(?P<kamer>tk|ek|vv)-(?P<jaar>\d{8})-(?P<vergadering>\d+)(?:-(?P<item>\d+))?$")
_JOURNAL = re.compile(rf"^(?P<journal>{'|'.join(JOURNAL_PREFIXES)})-(?P<year>\d{{4}})-(?P<nr>\d+)$")
_OTHER = re.compile(r"^(?:blg-\d+|kv-(?:tk|ek)-[\w-]+|nds-(?:tk|ek)-[\w-]+|(?:stb|stcrt|trb|gmb|prb|wsb|bgr)-[\w-]+)$")


def last_segment(identifier: str) -> str:
    """``https://identifier.overheid.nl/tpmeta/kst-36450-3`` or ``/sgd/kst-36450-3`` -> ``kst-36450-3``.

    >>> last_segment("https://zoek.officielebekendmakingen.nl/kst-28638-238/"), last_segment(" ah-tk-20192020-4046 ")
    ('kst-28638-238', 'ah-tk-20192020-4046')
    """
    return identifier.strip().rstrip("/").rsplit("/", 1)[-1].strip()


def prefix_of(koop_id: str) -> str:
    """The series prefix of an id.

    >>> prefix_of("ah-tk-20192020-4046"), prefix_of("https://zoek.officielebekendmakingen.nl/stb-2018-84")
    ('ah', 'stb')
    """
    return last_segment(koop_id).split("-", 1)[0]


def series_of(koop_id: str) -> Series | None:
    """The series of an id (``None`` for an unknown prefix).

    >>> series_of("stb-2018-84"), series_of("bwb:BWBR0001854")
    (Series(category=<Category.REGELGEVING: 'regelgeving'>, journal='Stb.'), None)
    """
    return SERIES.get(prefix_of(koop_id))


def category_of_koop_id(koop_id: str) -> Category | None:
    """The category an id's series implies, ``None`` for no KOOP id.

    >>> category_of_koop_id("stb-2020-1"), category_of_koop_id("kv-tk-2022Z01227"), category_of_koop_id("x-1")
    (<Category.REGELGEVING: 'regelgeving'>, <Category.KAMERSTUK: 'kamerstuk'>, None)
    """
    series = series_of(koop_id)
    return series.category if series else None


def is_journal_publication(koop_id: str) -> bool:
    """A publication in the Staatsblad, Staatscourant or another journal, no parliamentary paper.

    >>> is_journal_publication("gmb-2017-100002"), is_journal_publication("kst-32824-193")
    (True, False)
    """
    return prefix_of(koop_id) in JOURNAL_PREFIXES


def identifiers_of(koop_id: str) -> dict[str, str]:
    """The identifier keys a KOOP id implies (``canonical`` and its parts); ``{}`` for no KOOP id.

    >>> identifiers_of("kst-37020-IX-40")
    {'canonical': 'kst-37020-IX-40', 'dossier': '37020 IX', 'ondernummer': '40'}
    >>> identifiers_of("ah-tk-20192020-4046")
    {'canonical': 'ah-tk-20192020-4046', 'kamer': 'II', 'vergaderjaar': '2019-2020', 'aanhangselnummer': '4046'}
    >>> identifiers_of("h-ek-20172018-5-2")["vergadering"], identifiers_of("stb-2020-1"), identifiers_of("x")
    ('5', {'canonical': 'stb-2020-1'}, {})
    """
    koop_id = last_segment(koop_id)
    if match := _KST.match(koop_id):
        return {"canonical": koop_id, "dossier": normalise_dossier(match["dossier"]), "ondernummer": match["nr"]}
    if match := _AH.match(koop_id) or _HAND.match(koop_id):
        values = {"canonical": koop_id, "kamer": Chamber(match["kamer"]).roman,
                  "vergaderjaar": _dashed(match["jaar"])}
        parts = match.groupdict()
        names = {"nr": "aanhangselnummer", "vergadering": "vergadering", "item": "item"}
        values.update({name: parts[group] for group, name in names.items() if parts.get(group)})
        return values
    return {"canonical": koop_id} if _OTHER.match(koop_id) else {}


def _dashed(compact: str) -> str:
    year = parse_vergaderjaar(compact)
    return year.dashed if year else f"{compact[:4]}-{compact[4:]}"


@dataclass(frozen=True)
class JournalNumber:
    """``stb-2018-84``: the journal's abbreviation, the year and the number."""

    journal: str
    year: str
    number: str

    @property
    def citation(self) -> str:
        return f"{self.journal} {self.year}, {self.number}"


def journal_number(koop_id: str) -> JournalNumber | None:
    """The journal number of a publication in a journal, ``None`` for any other id.

    >>> journal_number("stcrt-2015-47076").citation, journal_number("kst-32824-193")
    ('Stcrt. 2015, 47076', None)
    """
    match = _JOURNAL.match(last_segment(koop_id))
    return JournalNumber(SERIES[match["journal"]].journal, match["year"], match["nr"]) if match else None


def record_identifiers(koop_id: str) -> dict[str, str]:
    """What a connector records for an id a source gives as a KOOP id: its identifiers and
    its category; an id of no known form is still the canonical id, category ``overig``.

    >>> record_identifiers("stb-2020-1"), record_identifiers("ag-tk-2020-1")
    ({'canonical': 'stb-2020-1', 'category': 'regelgeving'}, {'canonical': 'ag-tk-2020-1', 'category': 'overig'})
    """
    koop_id = last_segment(koop_id)
    category = category_of_koop_id(koop_id) or Category.OVERIG
    return {"canonical": koop_id, **identifiers_of(koop_id), "category": category.value}
