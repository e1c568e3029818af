"""Saved searches with e-mail: an advisor subscribes a query (with its filters) or a
dossier, confirms by a signed link (double opt-in), and ``indexer alerts send`` mails a
digest of the documents not sent before.

==============  ==========================================================================
module          owns
==============  ==========================================================================
``store``       the subscriptions and what each was sent (``alerts.sqlite`` in the data dir)
``tokens``      the signed confirmation and unsubscribe links
``mail``        the SMTP connection and the messages (confirmation, digest), Dutch
``digest``      one run of ``indexer alerts send``: due subscriptions, new matches, counts
==============  ==========================================================================

Nothing is stored before the address is confirmed: the confirmation link itself carries
the address, the search and the frequency (signed), so an unconfirmed request leaves no
trace. A confirmed subscription stores only the address, the search state (URL
parameters), its frequency, when it was confirmed and last sent, and the ids of the
documents sent; unsubscribing deletes all of it.
"""

from __future__ import annotations

from indexer.settings import MailSettings

#: frequency name (as the form and ``--frequency`` give it) -> days between two digests
FREQUENCIES: dict[str, int] = {"dagelijks": 1, "wekelijks": 7}


def mail_configured(mail: MailSettings, public_url: str) -> bool:
    """Whether subscriptions can be offered: a server, a sender and absolute links."""
    return bool(mail.host and mail.sender and public_url)


__all__ = ["FREQUENCIES", "mail_configured"]
