"""One run of ``indexer alerts send``: for every confirmed subscription that is due, its
search through the backend interface (complete matches only, as the Atom feed), the
documents not mailed before, one digest, and the record of what went out. A subscription
whose mail fails is counted and reported; the others go on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from urllib.parse import parse_qs

from indexer.alerts import FREQUENCIES
from indexer.alerts.mail import UNSUBSCRIBE_PATH, MailFailed, digest, send
from indexer.alerts.store import AlertStore, Subscription
from indexer.alerts.tokens import unsubscribe_token
from indexer.index import SearchBackend, SearchRequest
from indexer.index.request import parse_request
from indexer.model import Document
from indexer.settings import MailSettings

DIGEST_LIMIT = 50  # documents per digest; the rest follow in the next one
#: a digest is due a little before its full period, so a cron run a minute early still sends
DUE_SLACK = timedelta(hours=1)


@dataclass(frozen=True)
class SendContext:
    mail: MailSettings
    public_url: str
    secret: str


@dataclass
class SendReport:
    sent: int = 0  # digests that went out
    documents: int = 0  # documents in them
    nothing_new: int = 0
    not_due: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0


def subscription_request(sub: Subscription) -> SearchRequest:
    """The subscription's search, newest first, complete matches only."""
    params = parse_qs(sub.params, keep_blank_values=False)
    return replace(parse_request(params, DIGEST_LIMIT), sort="date-desc", page=1, partial=False,
                   facets=False, snippets=False)


def new_documents(backend: SearchBackend, sub: Subscription, already: set[str]) -> list[Document]:
    fresh = (doc for doc in backend.iter_documents(subscription_request(sub)) if doc.id not in already)
    return list(islice(fresh, DIGEST_LIMIT))


def is_due(sub: Subscription, moment: datetime) -> bool:
    if not sub.last_sent:
        return True
    last = datetime.strptime(sub.last_sent, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return moment - last >= timedelta(days=FREQUENCIES.get(sub.frequency, 1)) - DUE_SLACK


def send_digests(data_dir: Path, backend: SearchBackend, context: SendContext,
                 frequency: str | None = None) -> SendReport:
    """With ``frequency`` (a cron line per frequency) every subscription of it is due;
    without, each one whose period has passed since its last digest."""
    report, moment = SendReport(), datetime.now(UTC)
    with AlertStore(data_dir) as store:
        for sub in store.subscriptions(frequency):
            if frequency is None and not is_due(sub, moment):
                report.not_due += 1
                continue
            _send_one(store, backend, context, sub, report)
    return report


def _send_one(store: AlertStore, backend: SearchBackend, context: SendContext, sub: Subscription,
              report: SendReport) -> None:
    docs = new_documents(backend, sub, store.sent_ids(sub.id))
    if not docs:
        report.nothing_new += 1
        return
    unsubscribe = context.public_url.rstrip("/") + UNSUBSCRIBE_PATH + unsubscribe_token(context.secret, sub.id)
    message = digest(context.mail.sender, sub.email, sub.label, docs, context.public_url, unsubscribe)
    try:
        send(context.mail, message)
    except MailFailed as exc:  # this subscription waits for the next run; the others go on
        report.failures.append((sub.email, str(exc)))
        return
    store.record_sent(sub.id, [doc.id for doc in docs])
    report.sent += 1
    report.documents += len(docs)
