"""The subscriptions file ``alerts.sqlite`` in the data directory: confirmed subscriptions
and, per subscription, the ids of the documents already mailed (so a digest holds only new
matches). Separate from the crawl state, which the web process opens read-only: the UI
writes here when an address is confirmed or unsubscribed, and only then.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Iterable

ALERTS_FILE = "alerts.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    params TEXT NOT NULL,          -- the search state as URL parameters (q=…&doc_type=…)
    label TEXT NOT NULL,           -- what the advisor subscribed to, as shown in mails
    frequency TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    last_sent TEXT NOT NULL DEFAULT '',
    UNIQUE (email, params)
);
CREATE TABLE IF NOT EXISTS sent (
    subscription INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    PRIMARY KEY (subscription, doc_id)
);
"""


@dataclass(frozen=True)
class Subscription:
    id: int
    email: str
    params: str
    label: str
    frequency: str
    confirmed_at: str
    last_sent: str


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class AlertStore:
    """One connection to ``alerts.sqlite`` (made on first use)."""

    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir) / ALERTS_FILE
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.executescript(SCHEMA)

    def __enter__(self) -> AlertStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def subscribe(self, email: str, params: str, label: str, frequency: str) -> int:
        """Store a confirmed subscription (confirming twice changes only the frequency)."""
        with self.db:
            self.db.execute("INSERT INTO subscriptions (email, params, label, frequency, confirmed_at) "
                            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (email, params) DO UPDATE SET "
                            "frequency = excluded.frequency", (email, params, label, frequency, now()))
        row = self.db.execute("SELECT id FROM subscriptions WHERE email = ? AND params = ?",
                              (email, params)).fetchone()
        return int(row[0])

    def unsubscribe(self, subscription_id: int) -> bool:
        """Forget the subscription and what it was sent; False when it was already gone."""
        with self.db:
            gone = self.db.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,)).rowcount
        return bool(gone)

    def get(self, subscription_id: int) -> Subscription | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM subscriptions WHERE id = ?", (subscription_id,)).fetchone()
        return Subscription(*row) if row else None

    def subscriptions(self, frequency: str | None = None) -> list[Subscription]:
        query = f"SELECT {_COLUMNS} FROM subscriptions" + (" WHERE frequency = ?" if frequency else "")
        return [Subscription(*row) for row in self.db.execute(query + " ORDER BY id", (frequency,) if frequency else ())]

    def sent_ids(self, subscription_id: int) -> set[str]:
        rows = self.db.execute("SELECT doc_id FROM sent WHERE subscription = ?", (subscription_id,))
        return {row[0] for row in rows}

    def record_sent(self, subscription_id: int, doc_ids: Iterable[str]) -> None:
        """After the digest went out: its documents, and when (in one transaction)."""
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO sent (subscription, doc_id) VALUES (?, ?)",
                                [(subscription_id, doc_id) for doc_id in doc_ids])
            self.db.execute("UPDATE subscriptions SET last_sent = ? WHERE id = ?", (now(), subscription_id))


_COLUMNS = "id, email, params, label, frequency, confirmed_at, last_sent"
