"""The selection basket: document ids in the signed session cookie, changed only by
POST forms that carry the session's CSRF token. No account and no JavaScript needed.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from search_ui.urls import safe_next
from search_ui.views import backend

BASKET_KEY = "mandje"
CSRF_KEY = "csrf"
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


def basket_add() -> Any:
    check_csrf()
    ids = basket_ids()
    for doc_id in request.form.getlist("id"):
        if doc_id not in ids and len(ids) < MAX_BASKET and backend().get(doc_id) is not None:
            ids.append(doc_id)
    _save(ids)
    return redirect(safe_next(url_for("ui.basket")), code=303)


def basket_remove() -> Any:
    check_csrf()
    removed = set(request.form.getlist("id"))
    _save([i for i in basket_ids() if i not in removed])
    return redirect(safe_next(url_for("ui.basket")), code=303)


def basket_clear() -> Any:
    check_csrf()
    _save([])
    return redirect(safe_next(url_for("ui.basket")), code=303)


def basket() -> Any:
    docs = [doc.replace(pages=()) for doc in (backend().get(i) for i in basket_ids()) if doc is not None]
    return render_template("basket.html", docs=docs, missing=len(basket_ids()) - len(docs),
                           basket=set(basket_ids()))


def register(bp: Blueprint) -> None:
    """Add this module's pages to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/mandje/toevoegen", view_func=basket_add, methods=["POST"])
    bp.add_url_rule("/mandje/verwijderen", view_func=basket_remove, methods=["POST"])
    bp.add_url_rule("/mandje/legen", view_func=basket_clear, methods=["POST"])
    bp.add_url_rule("/mandje", view_func=basket)
    bp.app_context_processor(basket_helpers)
