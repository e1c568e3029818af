"""The document page: metadata, the official citation, the text with the query's terms
marked, links to the original, cites / cited by, more like this, and Zotero meta tags."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup

from indexer.citekeys import Category
from indexer.export import leidraad, zotero_meta
from indexer.export.public_url import is_web_url, public_document
from indexer.model import Document
from search_ui.basket import basket_ids
from search_ui.reference_links import reference_links
from search_ui.views import MAX_QUERY, backend

MORE_LIKE_THIS = 5
#: Identifier keys in the order the metadata list shows them, with their Dutch labels.
IDENTIFIER_LABELS = {
    "canonical": "Kenmerk", "dossier": "Dossiernummer", "ondernummer": "Ondernummer",
    "vergaderjaar": "Vergaderjaar", "kamer": "Kamer", "aanhangselnummer": "Aanhangselnummer",
    "vergadering": "Vergadering", "item": "Item", "report_number": "Rapportnummer", "series": "Reeks",
    "handle": "Handle", "coe_reference": "Referentie Raad van Europa", "isbn": "ISBN",
    "bwb": "BWB-id", "tk_id": "Tweede Kamer-id",
}
#: Labels of ``Document.extra`` keys, KOOP's own metadata names included (shown as they are
#: stored for publications the extractor keeps them for). A key missing here gets a label
#: made from its name by :func:`plain_label`, never the raw name.
EXTRA_LABELS = {
    "dossier_title": "Dossiertitel", "ministry": "Ministerie", "question_date": "Vragen gesteld",
    "answer_date": "Antwoord gegeven", "meeting": "Vergadering", "theme": "Thema",
    "publisher": "Uitgever", "pages_total": "Aantal pagina's", "stuk_titel": "Titel van het stuk",
    "askers": "Vragensteller(s)", "minister": "Bewindspersoon", "kenmerk": "Kenmerk",
    "other_dossiers": "Ook in dossier(s)", "alternative_title": "Andere titel", "rijkswet": "Rijkswetnummer",
    "vraagnummer": "Vraagnummer", "unverified_date": "Datum (niet betrouwbaar)",
    "pdf_title": "Titel in de PDF-gegevens", "pdf_subject": "Onderwerp in de PDF-gegevens",
    "pdf_author": "Auteur in de PDF-gegevens", "pdf_heading": "Kop op pagina 1", "pdf_url": "PDF-bestand",
    "OVERHEIDop.behandeldDossier": "Behandeld dossier", "OVERHEIDop.documentStatus": "Publicatiestatus",
    "OVERHEIDop.publicationIssue": "Nummer van de uitgave", "OVERHEIDop.startpagina": "Eerste pagina",
    "OVERHEIDop.eindpagina": "Laatste pagina", "OVERHEIDop.paginareeks": "Pagina's",
    "OVERHEIDop.handelingenItemNummer": "Itemnummer", "OVERHEIDop.vergaderjaar": "Vergaderjaar",
    "OVERHEIDop.datumVergadering": "Datum van de vergadering", "OVERHEIDop.publicationName": "Publicatieblad",
    "OVERHEIDop.indiener": "Indiener(s)", "OVERHEIDop.doctype": "Documentsoort",
    "OVERHEIDop.versieInformatie": "Versie", "OVERHEIDop.configuratie": "Opmaak",
    "OVERHEIDop.externMetadataRecord": "Metadatarecord", "OVERHEIDop.documenttitel": "Documenttitel",
    "OVERHEIDop.dossiernummer": "Dossiernummer", "OVERHEID.organisationType": "Soort organisatie",
    "DCTERMS.language": "Taal", "DCTERMS.alternative": "Andere titel", "DCTERMS.modified": "Gewijzigd",
}
DATE_EXTRAS = ("question_date", "answer_date", "unverified_date")


def document(doc_id: str) -> Any:
    doc = backend().get(doc_id) or abort(404)
    shown = public_document(doc)  # the local path stays an operator's detail (indexer show)
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    pages = [Markup(page) for page in backend().marked_pages(doc, query)]  # escaped by the backend
    return render_template(
        "document.html", doc=shown, q=query, pages=pages, citation=safe_cite(doc),
        meta_tags=zotero_meta(doc), identifiers=identifier_rows(doc), extras=extra_rows(doc),
        cites=backend().cites(doc), cited_by=backend().cited_by(doc),
        similar=backend().more_like_this(doc.id, MORE_LIKE_THIS), basket=set(basket_ids()),
        references=reference_links(doc, backend(), safe_cite),
        DATE_EXTRAS=DATE_EXTRAS)


def safe_cite(doc: Document) -> str:
    """The official citation; a document the citation rules cannot handle gets its title."""
    try:
        return leidraad.cite(doc)
    except Exception:  # noqa: BLE001 - one odd record must not break its page
        return doc.title or doc.id


def plain_label(key: str) -> str:
    """A readable label from a metadata name nobody gave a label yet.

    >>> plain_label("OVERHEIDop.datumOndertekening"), plain_label("report_series"), plain_label("DC.x")
    ('Datum ondertekening', 'Report series', 'X')
    """
    name = key.rsplit(".", 1)[-1].replace("_", " ")
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower().split()
    return " ".join(words).capitalize() if words else key


#: identifiers an old, page-numbered Handelingen does not have: its KOOP id holds pages there
NOT_IN_OLD_HANDELINGEN = ("vergadering", "item")


def identifier_rows(doc: Document) -> list[tuple[str, str]]:
    hidden = NOT_IN_OLD_HANDELINGEN if doc.category == Category.HANDELINGEN and leidraad.page_numbered(doc) else ()
    known = [(IDENTIFIER_LABELS[k], doc.identifiers[k]) for k in IDENTIFIER_LABELS
             if doc.identifiers.get(k) and k not in hidden]
    other = [(plain_label(k), v) for k, v in doc.identifiers.items() if k not in IDENTIFIER_LABELS and v]
    return known + other


def extra_rows(doc: Document) -> list[tuple[str, str, str]]:
    """(key, label, value) of the extra metadata worth showing; a local path is not."""
    return [(k, EXTRA_LABELS.get(k) or plain_label(k), v) for k, v in doc.extra.items()
            if v and isinstance(v, str) and (is_web_url(v) or "file:" not in v.lower())]


def register(bp: Blueprint) -> None:
    """Add this module's pages to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/document/<path:doc_id>", view_func=document)
