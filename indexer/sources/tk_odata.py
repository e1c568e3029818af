"""``tk_odata`` sources: the Tweede Kamer Gegevensmagazijn OData v4 ``Document`` set.

Options: ``endpoint`` (``https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0``),
``filter`` (an OData ``$filter``, e.g. ``Kamerstukdossier/any(d: d/Nummer eq 32824)``),
``expand`` (default ``HuidigeDocumentVersie,Kamerstukdossier,DocumentActor``),
``since`` (first-run lower bound on ``ApiGewijzigdOp``, ISO), ``page_size`` (``$top``),
``deletions`` (default true: incremental runs also list ``Verwijderd eq true``).

Deleted entities (``Verwijderd: true``) become deleted records. A tombstone keeps no
relations, so a dossier filter never returns it: incremental runs add a second
listing of all deletions since the cursor;
paging follows ``@odata.nextLink``; the cursor is the newest ``ApiGewijzigdOp`` seen and
the next run asks ``ApiGewijzigdOp ge <cursor>`` ordered by it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from indexer.citekeys import Category, doc_type_of, normalise_dossier, roman_of
from indexer.citekeys.koop import record_identifiers
from indexer.model import ROLE_DOCUMENT, ROLE_LISTING, Cursor, Failure, Record, Request, Response
from indexer.sources.base import Item, Source

DEFAULT_EXPAND = "HuidigeDocumentVersie,Kamerstukdossier,DocumentActor"
SIGNER_RELATIONS = ("eerste ondertekenaar", "mede ondertekenaar", "indiener", "medeindiener")
#: Every Document carries ``Organisatie: "Tweede Kamer"`` (the organisation that registered
#: it), also letters the government sent; these kinds come from the government, so the
#: Kamer is never their creator: the signer's office is, when the record names it.
GOVERNMENT_KINDS = {"brief regering", "antwoord schriftelijke vragen", "antwoord schriftelijke vragen (nader)",
                    "mededeling (uitstel antwoord)", "memorie van toelichting", "voorstel van wet",
                    "nota naar aanleiding van het verslag", "nota van wijziging", "lijst van vragen en antwoorden"}
GOVERNMENT_OFFICE = re.compile(r"^(?:minister|staatssecretaris|minister-president)\b", re.I)


class TkODataSource(Source):
    kind = "tk_odata"

    def start(self, cursor: str | None = None) -> Iterable[Request]:
        since = cursor or self.options.get("since")
        yield self._listing(self.options.get("filter", ""), since, cursor)
        if cursor and self.options.get("deletions", True):
            # a tombstone has no relations left, so the dossier filter never matches it:
            # ask for all deletions since the cursor (unknown ids are ignored downstream)
            yield self._listing("Verwijderd eq true", cursor, cursor)

    def _listing(self, condition: str, since: str | None, cursor: str | None) -> Request:
        clauses = [f"({condition})"] if condition else []
        if since:
            clauses.append(f"ApiGewijzigdOp ge {_odata_datetime(since)}")
        params = {"$orderby": "ApiGewijzigdOp", "$expand": self.options.get("expand", DEFAULT_EXPAND)}
        if clauses:
            params["$filter"] = " and ".join(clauses)
        if self.options.get("page_size"):
            params["$top"] = str(self.options["page_size"])
        url = self._base() + "/Document?" + urlencode(params, quote_via=quote, safe="(),/:'$")
        return Request(url=url, source=self.name, role=ROLE_LISTING, meta={"newest": cursor or ""})

    def _base(self) -> str:
        return str(self.require("endpoint")).rstrip("/")

    def parse(self, response: Response) -> Iterable[Item]:
        if response.request.role == ROLE_DOCUMENT:
            yield self._record(response)
            return
        try:
            page = json.loads(response.body)
            entities = page["value"]
        except (ValueError, KeyError, TypeError) as exc:
            yield Failure(response.url, f"unreadable OData page: {exc!r}")
            return
        newest = response.request.meta.get("newest", "")
        for entity in entities:
            newest = max(newest, entity.get("ApiGewijzigdOp") or "")
            yield self._item(entity)
        next_link = page.get("@odata.nextLink")
        if next_link:
            yield Request(url=next_link, source=self.name, role=ROLE_LISTING, meta={"newest": newest})
        elif newest:
            yield Cursor(newest)

    def _item(self, entity: Mapping[str, Any]) -> Request | Record:
        native_id = entity["Id"]
        if entity.get("Verwijderd"):
            return Record(source=self.name, native_id=native_id, url=self._entity_url(native_id),
                          deleted=True)
        metadata = self.with_defaults(document_metadata(entity))
        file_url = f"{self._entity_url(native_id)}/resource"
        metadata["file_url"] = file_url
        metadata.setdefault("url", self._entity_url(native_id))
        return Request(url=file_url, source=self.name, role=ROLE_DOCUMENT, meta=metadata,
                       native_id=native_id)

    def _entity_url(self, entity_id: str) -> str:
        return f"{self._base()}/Document({entity_id})"

    def _record(self, response: Response) -> Record:
        request = response.request
        meta = dict(request.meta)
        return Record(source=self.name, native_id=request.native_id, url=meta.get("url", request.url),
                      body=response.body, content_type=response.content_type,
                      file_url=request.url, metadata=meta)


def document_metadata(entity: Mapping[str, Any]) -> dict[str, Any]:
    """Document fields and identifiers from one OData ``Document`` entity.

    The native id stays the entity GUID (a deleted entity carries nothing else);
    ``canonical`` is the official-publication id from the current version when known.
    """
    version = entity.get("HuidigeDocumentVersie") or {}
    external = version.get("ExterneIdentifier") or ""
    values: dict[str, Any] = record_identifiers(external) if external else {"category": Category.KAMERSTUK.value}
    values.update({
        "title": _title(entity),
        "date": (entity.get("Datum") or "")[:10],
        "doc_type": doc_type_of(entity.get("Soort") or ""),
        "creators": _creators(entity),
        "authors": _signers(entity.get("DocumentActor") or []),
        "tk_id": entity.get("DocumentNummer") or "",
        "vergaderjaar": entity.get("Vergaderjaar") or "",
        "kamer": roman_of(str(entity.get("Kamer") or "")),
    })
    _add_dossier(values, entity)
    if external.startswith("kst-") or external.startswith("ah-"):
        values["url"] = f"https://zoek.officielebekendmakingen.nl/{external}.html"
    return {k: v for k, v in values.items() if v}


def _title(entity: Mapping[str, Any]) -> str:
    """``Onderwerp`` says what the document is about; ``Titel`` is usually the dossier title."""
    subject = " ".join((entity.get("Onderwerp") or "").split())
    title = " ".join((entity.get("Titel") or "").split())
    return subject or title


def _creators(entity: Mapping[str, Any]) -> list[str]:
    """The office of a government signer (``minister voor Medische Zorg``), else the
    ``Organisatie`` for the Kamer's own papers, and nothing for a government paper whose
    signer the record does not name (the text may still say)."""
    offices = [" ".join(str(actor.get("Functie") or "").split()) for actor in entity.get("DocumentActor") or []
               if (actor.get("Relatie") or "").lower() in SIGNER_RELATIONS]
    government = [office[:1].upper() + office[1:] for office in offices if GOVERNMENT_OFFICE.match(office)]
    if government:
        return list(dict.fromkeys(government))
    if (entity.get("Soort") or "").strip().lower() in GOVERNMENT_KINDS:
        return []
    return [entity["Organisatie"]] if entity.get("Organisatie") else []


def _signers(actors: Iterable[Mapping[str, Any]]) -> list[str]:
    return [a["ActorNaam"] for a in actors
            if a.get("ActorNaam") and (a.get("Relatie") or "").lower() in SIGNER_RELATIONS]


def _add_dossier(values: dict[str, Any], entity: Mapping[str, Any]) -> None:
    dossiers = entity.get("Kamerstukdossier") or []
    if dossiers:
        first = dossiers[0]
        values["dossier"] = normalise_dossier(str(first.get("Nummer", "")), first.get("Toevoeging") or "")
        if first.get("Titel"):
            values["dossier_title"] = " ".join(first["Titel"].split())
        if (entity.get("Titel") or "").strip():
            values["dossier_title"] = values.get("dossier_title") or entity["Titel"].strip()
    volgnummer = entity.get("Volgnummer")
    if values.get("dossier") and isinstance(volgnummer, int) and volgnummer > 0:
        values["ondernummer"] = str(volgnummer)


def _odata_datetime(value: str) -> str:
    """OData wants a full date-time literal: ``2024-01-01`` -> ``2024-01-01T00:00:00Z``."""
    return value if "T" in value else f"{value}T00:00:00Z"
