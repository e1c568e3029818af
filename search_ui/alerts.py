"""Saved searches with e-mail, the web side: the subscribe form (``/attendering``, reached
from the search page and the dossier page), the confirmation link and the one-click
unsubscribe link. Offered only when the SMTP settings and ``public_url`` are set.

Double opt-in without storing anything first: the form sends a confirmation mail whose
signed link carries the request (:mod:`indexer.alerts.tokens`); only following it writes the
subscription to ``alerts.sqlite``. The form is a POST with the session's CSRF token, as the
basket's; the links in mails work without a session.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, abort, current_app, render_template, request

from indexer.alerts import FREQUENCIES, mail_configured
from indexer.alerts.mail import CONFIRM_PATH, UNSUBSCRIBE_PATH, MailFailed, confirmation, send
from indexer.alerts.store import AlertStore
from indexer.alerts.tokens import Request, confirm_token, read_confirm_token, read_unsubscribe_token
from indexer.index.request import PAGE, SEARCH_PARAMS, SORT
from indexer.settings import MailSettings
from search_ui.basket import check_csrf
from search_ui.i18n import translate
from search_ui.urls import public_base

MAIL_KEY = "ALERT_MAIL"  # app.config: the mail section of the settings (search_ui.settings)
#: the search state a subscription keeps: no page, no sort (a digest is newest first)
KEPT_PARAMS = tuple(name for name in SEARCH_PARAMS if name not in (PAGE, SORT))
MAX_LABEL = 200  # characters of a subscription's description (a mail's subject)
MAX_EMAIL = 254  # RFC 5321's limit on a path
EMAIL = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
DEFAULT_FREQUENCY = "wekelijks"
#: the texts this module translates (the frequencies are shown by their names)
MESSAGES = {
    "empty": "Vul uw e-mailadres in.",
    "invalid": "Dit is geen bruikbaar e-mailadres; bijvoorbeeld naam@ministerie.nl.",
    "everything": "alle documenten",
    **{name: name for name in FREQUENCIES},
}


def mail_settings() -> MailSettings | None:
    """The SMTP settings when subscriptions can be offered, else None."""
    mail = current_app.config.get(MAIL_KEY)
    return mail if isinstance(mail, MailSettings) and mail_configured(mail, public_base()) else None


def alert_helpers() -> dict[str, Any]:
    return {"alerts_offered": mail_settings() is not None, "alert_url": alert_url}


def alert_url(pairs: list[tuple[str, str]]) -> str:
    """The subscribe form for a search state (the search page's or a dossier's)."""
    kept = [(k, v) for k, v in pairs if k in KEPT_PARAMS and v]
    return "/attendering" + (f"?{urlencode(kept)}" if kept else "")


def kept_params(pairs: list[tuple[str, str]]) -> str:
    return urlencode([(k, v.strip()) for k, v in pairs if k in KEPT_PARAMS and v.strip()])


def describe(params: str) -> str:
    """What a subscription follows, in words: ``"roma" · dossier: 32824 · type: brief``."""
    words = []
    for name, value in parse_qsl(params):
        value = " ".join(value.split())  # one line: it becomes a mail's Subject header
        words.append(f"“{value}”" if name == "q" else f"{name}: {value}")
    label = " · ".join(words) or translate(MESSAGES["everything"])
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def check_email(value: str) -> str | None:
    """The reason ``value`` is no usable address, or None."""
    if not value:
        return translate(MESSAGES["empty"])
    if len(value) > MAX_EMAIL or not EMAIL.fullmatch(value):
        return translate(MESSAGES["invalid"])
    return None


def secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def subscribe_form() -> Any:
    if mail_settings() is None:
        abort(404)
    params = kept_params(list(request.args.items(multi=True)))
    return render_template("alerts.html", params=params, label=describe(params), email="",
                           frequency=DEFAULT_FREQUENCY, frequencies=FREQUENCIES, problem=None)


def subscribe() -> Any:
    mail = mail_settings()
    if mail is None:
        abort(404)
    check_csrf()
    params = kept_params(parse_qsl(request.form.get("params", "")))
    email = request.form.get("email", "").strip()
    frequency = request.form.get("frequency", DEFAULT_FREQUENCY)
    frequency = frequency if frequency in FREQUENCIES else DEFAULT_FREQUENCY
    problem = check_email(email)
    if problem:  # the form again, with the message by the field (200, as the advanced form)
        return render_template("alerts.html", params=params, label=describe(params), email=email,
                               frequency=frequency, frequencies=FREQUENCIES, problem=problem)
    asked = Request(email, params, describe(params), frequency)
    link = public_base() + CONFIRM_PATH + confirm_token(secret(), asked)
    try:
        send(mail, confirmation(mail.sender, email, asked.label, frequency, link))
    except MailFailed as exc:
        # the reason may name the address: it is not logged (nothing kept before consent)
        current_app.logger.error("bevestigingsmail niet verstuurd: %s", type(exc.__cause__).__name__)
        return render_template("alert_done.html", outcome="mail-failed"), 503
    return render_template("alert_done.html", outcome="asked", email=email)


def confirm(token: str) -> Any:
    asked = read_confirm_token(secret(), token)
    if asked is None:
        return render_template("alert_done.html", outcome="bad-link"), 400
    with AlertStore(current_app.config["DATA_DIR"]) as store:
        store.subscribe(asked.email, asked.params, asked.label, asked.frequency)
    return render_template("alert_done.html", outcome="confirmed", label=asked.label, frequency=asked.frequency)


def unsubscribe(token: str) -> Any:
    """One click from the mail (GET), or the mail client's RFC 8058 POST: no login, no CSRF
    (the signed token is the proof)."""
    subscription_id = read_unsubscribe_token(secret(), token)
    if subscription_id is None:
        return render_template("alert_done.html", outcome="bad-link"), 400
    with AlertStore(current_app.config["DATA_DIR"]) as store:
        store.unsubscribe(subscription_id)
    return render_template("alert_done.html", outcome="unsubscribed")


def register(bp: Blueprint) -> None:
    """Add the subscription pages to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/attendering", view_func=subscribe_form)
    bp.add_url_rule("/attendering", view_func=subscribe, methods=["POST"], endpoint="subscribe")
    bp.add_url_rule(CONFIRM_PATH + "<token>", view_func=confirm)
    bp.add_url_rule(UNSUBSCRIBE_PATH + "<token>", view_func=unsubscribe, methods=["GET", "POST"])
    bp.app_context_processor(alert_helpers)
