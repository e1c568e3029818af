"""The dossier page ``/dossier/<nummer>``: every document of a Kamerstukken dossier on a
timeline (newest vergaderjaar first), with the dossier's title, a filter by type, the
results-over-time picture, export of the whole dossier and its Atom feed.

Besides the dossier's own documents (the ``dossier`` filter), the timeline shows the
Handelingen that cite them: a "Stemmingen" item among those gives the motions it voted
on their outcome (:mod:`indexer.extract.votes`). Everything goes through the backend
interface.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any, Iterable

from flask import Blueprint, abort, render_template, request, url_for

from indexer.citekeys import normalise_dossier
from indexer.extract.votes import Vote, find_votes
from indexer.index import SearchRequest
from indexer.model import Document
from search_ui import histogram
from search_ui.basket import basket_ids
from search_ui.views import backend, read_request

TIMELINE_LIMIT = 2000  # documents shown; a dossier is rarely larger, the export has them all
TYPE_PARAM = "doc_type"  # the facet field name, so export and feed links read it as a filter
#: Types as the timeline's filter names them (plural, Dutch); others show their own name.
TYPE_LABELS = {
    "brief": "Brieven", "motie": "Moties", "amendement": "Amendementen", "verslag": "Verslagen",
    "antwoord": "Antwoorden", "handelingen": "Handelingen", "stemmingen": "Stemmingen",
    "nota": "Nota's", "besluitenlijst": "Besluitenlijsten", "advies": "Adviezen",
    "wetsvoorstel": "Wetsvoorstellen", "memorie van toelichting": "Memories van toelichting",
}
VOTE_TYPES = ("stemmingen",)  # Handelingen items whose text records votes


@dataclass(frozen=True)
class Entry:
    document: Document
    vote: Vote | None = None
    citing: bool = False  # a Handelingen item that cites the dossier, not part of it


@dataclass(frozen=True)
class Dossier:
    number: str
    title: str
    entries: tuple[Entry, ...]  # newest first
    type_counts: tuple[tuple[str, int], ...]  # over the whole dossier, unfiltered
    size: int  # documents of the dossier itself, unfiltered


def normalise_number(raw: str) -> str:
    """A dossier number as the index holds it: ``36600 VI``, ``21501-02``, ``32824``.

    >>> normalise_number(" 36600  vi "), normalise_number("32 824"), normalise_number("21501-02")
    ('36600 VI', '32824', '21501-02')
    """
    return normalise_dossier(raw[:40])


def dossier(number: str) -> Any:
    number = normalise_number(number)
    chosen = tuple(dict.fromkeys(v for v in request.args.getlist(TYPE_PARAM) if v))
    base = replace(read_request(), query="", filters={"dossier": (number,)}, sort="date-desc", page=1,
                   page_size=TIMELINE_LIMIT, snippets=False, partial=False)
    found = read_dossier(number, base, chosen)
    if not found.size:
        abort(404)
    shown = replace(base, filters={**base.filters, TYPE_PARAM: chosen} if chosen else base.filters)
    chart = histogram.build(backend(), shown, lambda period: dossier_url(number, chosen, van=period, tot=period))
    return render_template("dossier.html", dossier=found, req=shown, chosen=chosen, histogram=chart,
                           groups=timeline(found.entries), type_labels=TYPE_LABELS, basket=set(basket_ids()),
                           dossier_url=dossier_url, export_pairs=export_pairs(number, chosen))


def read_dossier(number: str, base: SearchRequest, chosen: tuple[str, ...]) -> Dossier:
    """The dossier's documents (of the chosen types) and the Handelingen citing them."""
    overview = backend().search(replace(base, page_size=1, date_from="", date_to=""))
    request_ = replace(base, filters={**base.filters, TYPE_PARAM: chosen}) if chosen else base
    own = list(islice(backend().iter_documents(request_), TIMELINE_LIMIT)) if overview.total else []
    keys = [doc.identifiers["canonical"] for doc in own if doc.identifiers.get("canonical")]
    citing = [doc for doc in backend().citing(keys) if doc.category == "handelingen"]
    counts = Counter(dict(overview.facets.get(TYPE_PARAM, ()))) + Counter(d.doc_type for d in citing)
    citing = [doc for doc in citing if (not chosen or doc.doc_type in chosen) and in_period(doc, base)]
    votes = read_votes(citing)
    entries = [Entry(doc, votes.get(doc.identifiers.get("canonical", ""))) for doc in own]
    entries += [Entry(doc, citing=True) for doc in citing]
    entries.sort(key=lambda entry: entry.document.date or "", reverse=True)
    title = backend().facet_labels("dossier", [number]).get(number, "") if overview.total else ""
    return Dossier(number, title, tuple(entries), tuple(counts.most_common()), overview.total)


def read_votes(citing: Iterable[Document]) -> dict[str, Vote]:
    """The votes recorded in the Stemmingen items among ``citing``, by motion key."""
    votes: dict[str, Vote] = {}
    for item in citing:
        if item.doc_type in VOTE_TYPES:
            full = backend().get(item.id)  # listed documents come without their text
            votes.update(find_votes(" ".join(full.pages)) if full else {})
    return votes


def in_period(doc: Document, search_request: SearchRequest) -> bool:
    """Whether ``doc`` falls in the request's van/tot period (the backend's rule for the rest)."""
    low, high = search_request.date_from, search_request.date_to
    if not (low or high):
        return True
    return bool(doc.date) and (low or "") <= doc.date <= ((high + "~") if high else "~")


def timeline(entries: Iterable[Entry]) -> list[tuple[str, list[Entry]]]:
    """Entries grouped by vergaderjaar (else calendar year), newest group first."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(period_of(entry.document), []).append(entry)
    return sorted(groups.items(), key=lambda item: (item[0][:4], item[0]), reverse=True)


def period_of(doc: Document) -> str:
    """ "2016-2017" (the vergaderjaar), else the year of the date, else "" (undated)."""
    return doc.identifiers.get("vergaderjaar") or (doc.date or "")[:4]


def dossier_url(number: str, types: Iterable[str] = (), **params: str) -> str:
    values: dict[str, Any] = {TYPE_PARAM: list(types), **params}
    return url_for("ui.dossier", number=number, **values)


def export_pairs(number: str, types: Iterable[str]) -> list[tuple[str, str]]:
    """The search state of the whole (filtered) dossier, for export and feed links."""
    return [("dossier", number), *((TYPE_PARAM, t) for t in types)]


def register(bp: Blueprint) -> None:
    """Add the dossier page to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/dossier/<path:number>", view_func=dossier)
