"""The e-mails of saved searches, in Dutch: the confirmation request and the digest (plain
text and HTML, every title escaped), each with a ``List-Unsubscribe`` header where a
subscription exists, and the SMTP connection that sends them.

Links are absolute under the ``public_url`` setting: a mail is read far from the site.
"""

from __future__ import annotations

import os
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape
from urllib.parse import quote

from indexer.export.dates import dutch
from indexer.export.leidraad import cite
from indexer.model import Document
from indexer.settings import MailSettings

#: the site's paths the mails link to (the routes of :mod:`search_ui.alerts`)
CONFIRM_PATH = "/attendering/bevestigen/"
UNSUBSCRIBE_PATH = "/attendering/afmelden/"
DOCUMENT_PATH = "/document/"
PASSWORD_VARIABLE = "BRONZOEKER_SMTP_PASSWORD"  # the environment only: never in a sources file


class MailFailed(Exception):
    """The SMTP server could not be reached or refused the message (the reason in Dutch)."""


def document_link(public_url: str, doc_id: str) -> str:
    return public_url.rstrip("/") + DOCUMENT_PATH + quote(doc_id, safe="/:")


def confirmation(sender: str, to: str, label: str, frequency: str, link: str) -> EmailMessage:
    """The double opt-in request: nothing is sent after it unless ``link`` is followed."""
    message = _message(sender, to, f"Bevestig uw attendering: {label}")
    message.set_content(
        f"U (of iemand anders) vroeg bronzoeker om {frequency} "
        f"nieuwe documenten te mailen voor:\n\n    {label}\n\nBevestig dat met deze link (een week geldig):\n"
        f"{link}\n\nZonder bevestiging ontvangt u niets meer en bewaren we niets van dit verzoek.\n")
    return message


def digest(sender: str, to: str, label: str, docs: Sequence[Document], public_url: str,
           unsubscribe: str) -> EmailMessage:
    """The new documents of one subscription, as text and as HTML."""
    message = _message(sender, to, f"{len(docs)} nieuw{'e' if len(docs) != 1 else ''} "
                                   f"document{'en' if len(docs) != 1 else ''}: {label}")
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058: a mail client may unsubscribe
    links = [document_link(public_url, doc.id) for doc in docs]
    message.set_content(_digest_text(label, docs, links, unsubscribe))
    message.add_alternative(_digest_html(label, docs, links, unsubscribe), subtype="html")
    return message


def _digest_text(label: str, docs: Sequence[Document], links: Sequence[str], unsubscribe: str) -> str:
    lines = [f"Nieuw in bronzoeker voor: {label}", ""]
    for doc, link in zip(docs, links, strict=False):
        lines += [f"- {doc.title or doc.id}", f"  {dutch(doc.date or '') or 'zonder datum'}",
                  f"  {cite(doc)}", f"  {link}", ""]
    lines += ["Afmelden (één klik):", unsubscribe, ""]
    return "\n".join(lines)


def _digest_html(label: str, docs: Sequence[Document], links: Sequence[str], unsubscribe: str) -> str:
    items = "".join(
        f'<li><a href="{escape(link)}">{escape(doc.title or doc.id)}</a><br>'
        f'<time datetime="{escape(doc.date or "")}">{escape(dutch(doc.date or "") or "zonder datum")}</time><br>'
        f"<cite>{escape(cite(doc))}</cite></li>" for doc, link in zip(docs, links, strict=False))
    return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{escape(label)}</title></head>'
            f"<body><p>Nieuw in bronzoeker voor: <strong>{escape(label)}</strong></p><ul>{items}</ul>"
            f'<p><a href="{escape(unsubscribe)}">Afmelden (één klik)</a></p></body></html>')


def _message(sender: str, to: str, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    return message


def send(settings: MailSettings, message: EmailMessage, timeout: float = 30.0) -> None:
    """Hand ``message`` to the SMTP server; :class:`MailFailed` says why it did not go."""
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.username:
                smtp.login(settings.username, os.environ.get(PASSWORD_VARIABLE, ""))
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailFailed(f"de SMTP-server weigerde het adres {message['To']}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailFailed(f"versturen via {settings.host}:{settings.port} mislukt: {exc}") from exc
