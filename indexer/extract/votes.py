"""Vote outcomes read from the text of a Handelingen "Stemmingen" item.

The Tweede Kamer records every vote in the Handelingen in fixed phrases::

    In stemming komt de motie-Piri c.s. (36333, nr. 39).
    De voorzitter:
    Ik constateer dat de leden van de fracties van de SP, ... en BBB voor deze motie
    hebben gestemd en de leden van de fracties van de VVD, ... en FVD ertegen, zodat zij
    is aangenomen.

or, for a roll-call vote, "... met 65 stemmen voor en 82 stemmen tegen is verworpen".
:func:`find_votes` turns these into one :class:`Vote` per voted Kamerstuk, keyed by the
Kamerstuk's canonical key (``kst-36333-39``), so a motion can show its outcome. What
the text does not say (a postponed motion, a withdrawn one) gives no vote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.citekeys import kst_key

#: one voted item: what comes up for a vote and the text up to the next one
ITEM = re.compile(r"In stemming komt (?P<what>[^()]*?)\((?P<dossier>\d{2}\s?\d{3}(?:[ -](?:[IVXLC]+|[A-Z]|\d{2}))?)"
                  r",\s*nr\.\s*(?P<nr>\d+)[^)]*\)\.?(?P<body>.*?)(?=In stemming komt|$)")
OUTCOME = re.compile(r"\b(?:is|zijn)\s+(?P<outcome>aangenomen|verworpen)\b")
PARTIES = re.compile(r"leden van de fracties? van (?P<voor>.+?) voor (?:deze|dit|het|de|dat)\b.*?hebben gestemd"
                     r"(?: en de leden van de fracties? van (?P<tegen>.+?) ertegen)?[,.]")
COUNTS = re.compile(r"met (?P<voor>\d+) stemmen voor en (?P<tegen>\d+) stemmen tegen")
UNANIMOUS = re.compile(r"met algemene stemmen")
ARTICLE = re.compile(r"^(?:de|het)\s+", re.I)


@dataclass(frozen=True)
class Vote:
    key: str  # the voted Kamerstuk, kst-36333-39
    outcome: str  # "aangenomen" | "verworpen"
    parties_for: tuple[str, ...] = ()
    parties_against: tuple[str, ...] = ()
    votes_for: int | None = None  # a roll-call vote (hoofdelijke stemming) counts members
    votes_against: int | None = None
    unanimous: bool = False


def find_votes(text: str) -> dict[str, Vote]:
    """Every vote with an outcome in a Handelingen text, by the voted Kamerstuk's key.

    >>> votes = find_votes("In stemming komt de motie-X (32824, nr. 405). De voorzitter: Ik constateer "
    ...     "dat de leden van de fracties van de SP en het CDA voor deze motie hebben gestemd en de leden "
    ...     "van de fracties van de VVD ertegen, zodat zij is aangenomen.")
    >>> votes["kst-32824-405"].outcome, votes["kst-32824-405"].parties_for, votes["kst-32824-405"].parties_against
    ('aangenomen', ('SP', 'CDA'), ('VVD',))
    """
    flat = re.sub(r"\s+", " ", text)
    votes = {}
    for item in ITEM.finditer(flat):
        vote = _vote(kst_key(item["dossier"], item["nr"]), item["body"])
        if vote is not None:
            votes[vote.key] = vote
    return votes


def _vote(key: str, body: str) -> Vote | None:
    outcome = OUTCOME.search(body)
    if outcome is None:
        return None
    parties = PARTIES.search(body)
    counts = COUNTS.search(body)
    return Vote(key, outcome["outcome"],
                parties_for=split_parties(parties["voor"]) if parties else (),
                parties_against=split_parties(parties["tegen"] or "") if parties else (),
                votes_for=int(counts["voor"]) if counts else None,
                votes_against=int(counts["tegen"]) if counts else None,
                unanimous=bool(UNANIMOUS.search(body)))


def split_parties(listing: str) -> tuple[str, ...]:
    """"de SP, GroenLinks, Lid Omtzigt en het CDA" -> the party names without articles.

    >>> split_parties("de SP, GroenLinks, Lid Omtzigt en het CDA")
    ('SP', 'GroenLinks', 'Lid Omtzigt', 'CDA')
    """
    names = re.split(r",\s*|\s+en\s+", listing.strip())
    return tuple(ARTICLE.sub("", name).strip() for name in names if name.strip())
