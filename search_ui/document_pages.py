"""The document page: metadata, the official citation, the text with the query's terms
marked, links to the original, cites / cited by, more like this, and Zotero meta tags."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from markupsafe import Markup

from indexer.export import leidraad, zotero_meta
from indexer.model import Document
from search_ui.basket import basket_ids
from search_ui.views import MAX_QUERY, backend, bp

MORE_LIKE_THIS = 5
#: Identifier keys in the order the metadata list shows them, with their Dutch labels.
IDENTIFIER_LABELS = {
    "canonical": "Kenmerk", "dossier": "Dossiernummer", "ondernummer": "Ondernummer",
    "vergaderjaar": "Vergaderjaar", "kamer": "Kamer", "aanhangselnummer": "Aanhangselnummer",
    "vergadering": "Vergadering", "item": "Item", "report_number": "Rapportnummer", "series": "Reeks",
    "handle": "Handle", "coe_reference": "Referentie Raad van Europa", "isbn": "ISBN",
    "bwb": "BWB-id", "tk_id": "Tweede Kamer-id",
}
EXTRA_LABELS = {
    "dossier_title": "Dossiertitel", "ministry": "Ministerie", "question_date": "Vragen gesteld",
    "answer_date": "Antwoord gegeven", "meeting": "Vergadering", "theme": "Thema",
    "publisher": "Uitgever", "pages_total": "Aantal pagina's",
}
DATE_EXTRAS = ("question_date", "answer_date")


@bp.route("/document/<path:doc_id>")
def document(doc_id: str) -> Any:
    doc = backend().get(doc_id) or abort(404)
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    pages = [Markup(page) for page in backend().marked_pages(doc, query)]  # escaped by the backend
    return render_template(
        "document.html", doc=doc, q=query, pages=pages, citation=safe_cite(doc),
        meta_tags=zotero_meta(doc), identifiers=identifier_rows(doc), extras=extra_rows(doc),
        cites=backend().cites(doc), cited_by=backend().cited_by(doc),
        similar=backend().more_like_this(doc.id, MORE_LIKE_THIS), basket=set(basket_ids()),
        DATE_EXTRAS=DATE_EXTRAS)


def safe_cite(doc: Document) -> str:
    """The official citation; a document the citation rules cannot handle gets its title."""
    try:
        return leidraad.cite(doc)
    except Exception:  # noqa: BLE001 - one odd record must not break its page
        return doc.title or doc.id


def identifier_rows(doc: Document) -> list[tuple[str, str]]:
    known = [(IDENTIFIER_LABELS[k], doc.identifiers[k]) for k in IDENTIFIER_LABELS if doc.identifiers.get(k)]
    other = [(k, v) for k, v in doc.identifiers.items() if k not in IDENTIFIER_LABELS and v]
    return known + other


def extra_rows(doc: Document) -> list[tuple[str, str, str]]:
    """(key, label, value) of the extra metadata worth showing."""
    return [(k, EXTRA_LABELS.get(k, k), v) for k, v in doc.extra.items() if v and isinstance(v, str)]
