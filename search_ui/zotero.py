"""Zotero on result lists: COinS spans on every result and basket entry (the template
helper ``coins``) and an unAPI server at ``/unapi`` (announced by ``<link
rel="unapi-server">``; every entry carries ``<abbr class="unapi-id">``).

unAPI (https://unapi.info, version 1): ``/unapi`` lists the formats; ``?id=X`` lists them
for one document (300 Multiple Choices); ``?id=X&format=ris`` gives the record in that
export format. The formats are those of :data:`indexer.export.FORMATS`; Zotero takes RIS.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from indexer.export import FORMATS
from indexer.export.coins import coins
from search_ui.views import backend

#: export formats offered over unAPI (the Leidraad text is no record format)
UNAPI_FORMATS = ("ris", "bibtex", "csl-json")


def zotero_helpers() -> dict[str, Any]:
    return {"coins": coins}


def unapi() -> Any:
    doc_id, name = request.args.get("id", ""), request.args.get("format", "")
    if not doc_id:
        return _formats(None, 200)
    doc = backend().get(doc_id) or abort(404)
    if not name:
        return _formats(doc.id, 300)
    if name not in UNAPI_FORMATS:
        abort(406)
    fmt = FORMATS[name]
    out = io.StringIO()
    fmt.write([doc], out)
    return Response(out.getvalue(), mimetype=fmt.media_type.split(";")[0])


def _formats(doc_id: str | None, status: int) -> Response:
    body = render_template("unapi.xml", doc_id=doc_id, formats=[FORMATS[n] for n in UNAPI_FORMATS])
    return Response(body, status=status, mimetype="application/xml")


def register(bp: Blueprint) -> None:
    """Add ``/unapi`` and the COinS helper (called by ``create_app``)."""
    bp.add_url_rule("/unapi", view_func=unapi)
    bp.app_context_processor(zotero_helpers)
