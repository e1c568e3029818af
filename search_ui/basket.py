"""The selection basket: document ids in the signed session cookie, changed only by
POST forms that carry the session's CSRF token. No account and no JavaScript needed:
the forms redirect back. ``static/app.js`` sends the same forms with ``Accept:
application/json`` and gets the new state as JSON instead, so the page keeps its place.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request, session, url_for

from indexer.export.styles import DEFAULT_STYLE, STYLES, cite_all
from search_ui.i18n import current_language, translate
from search_ui.urls import safe_next
from search_ui.views import backend

BASKET_KEY = "mandje"
#: what the status line says after a change made by the script (translated; filled in)
MESSAGES = {
    "added": "{added} toegevoegd aan het mandje ({count} in totaal).",
    "full": "Het mandje is vol ({count} documenten).",
    "removed": "Verwijderd uit het mandje ({count} in totaal).",
    "cleared": "Het mandje is leeg.",
}
CSRF_KEY = "csrf"
STYLE_PARAM = "stijl"  # the citation style of the basket's reference list
#: A cookie holds about 4 kB; this many ids fit comfortably (the session is compressed).
MAX_BASKET = 100


def basket_ids() -> list[str]:
    ids = session.get(BASKET_KEY, [])
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


def csrf_token() -> str:
    """The session's token for POST forms (made on first use)."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str) or len(token) < 20:
        token = secrets.token_urlsafe(24)
        session[CSRF_KEY] = token
    return token


def basket_helpers() -> dict[str, Any]:
    return {"csrf_token": csrf_token, "basket_count": len(basket_ids()), "MAX_BASKET": MAX_BASKET}


def check_csrf() -> None:
    sent = request.form.get(CSRF_KEY, "")
    expected = session.get(CSRF_KEY, "")
    if not (isinstance(expected, str) and expected and hmac.compare_digest(sent, expected)):
        abort(400, description="csrf")


def _save(ids: list[str]) -> None:
    session[BASKET_KEY] = ids[:MAX_BASKET]
    session.permanent = True  # kept across browser restarts (PERMANENT_SESSION_LIFETIME)


def wants_json() -> bool:
    """The script asks for JSON; a plain form submit (no JavaScript) gets the redirect."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def answer(kind: str, **values: int) -> Any:
    """After a change: JSON with the new state for the script, else back to the page."""
    if wants_json():
        ids = basket_ids()
        return jsonify({"count": len(ids), "ids": ids, "full": len(ids) >= MAX_BASKET,
                        "message": translate(MESSAGES[kind], count=len(ids), **values)})
    return redirect(safe_next(url_for("ui.basket")), code=303)


def basket_add() -> Any:
    check_csrf()
    ids = basket_ids()
    before, full = len(ids), False
    for doc_id in request.form.getlist("id"):
        if doc_id in ids:
            continue
        if len(ids) >= MAX_BASKET:
            full = True
            break
        if backend().get(doc_id) is not None:
            ids.append(doc_id)
    _save(ids)
    return answer("full" if full else "added", added=len(ids) - before)


def basket_remove() -> Any:
    check_csrf()
    removed = set(request.form.getlist("id"))
    _save([i for i in basket_ids() if i not in removed])
    return answer("removed")


def basket_clear() -> Any:
    check_csrf()
    _save([])
    return answer("cleared")


def basket() -> Any:
    docs = [doc.replace(pages=()) for doc in (backend().get(i) for i in basket_ids()) if doc is not None]
    style = request.args.get(STYLE_PARAM, DEFAULT_STYLE)
    style = style if style in STYLES else DEFAULT_STYLE
    return render_template("basket.html", docs=docs, missing=len(basket_ids()) - len(docs),
                           basket=set(basket_ids()), styles=STYLES, style=style,
                           citations=cite_all(docs, style, current_language()))


def register(bp: Blueprint) -> None:
    """Add this module's pages to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/mandje/toevoegen", view_func=basket_add, methods=["POST"])
    bp.add_url_rule("/mandje/verwijderen", view_func=basket_remove, methods=["POST"])
    bp.add_url_rule("/mandje/legen", view_func=basket_clear, methods=["POST"])
    bp.add_url_rule("/mandje", view_func=basket)
    bp.app_context_processor(basket_helpers)
