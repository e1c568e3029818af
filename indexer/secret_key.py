"""The key that signs what the web app hands out and later trusts: the basket cookie and the
alert e-mails' confirm and unsubscribe links. The web app and ``indexer alerts send`` (run
from cron) must sign with the same key, so both take it from here."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = "ui-secret.key"


def secret_key(data_dir: Path) -> str:
    """The key that signs the basket cookie when the settings give none (``secret_key``,
    ``BRONZOEKER_SECRET_KEY``): kept in the data directory (so baskets survive a restart),
    else a fresh one for this process."""
    path = data_dir / SECRET_FILE
    try:
        if not path.is_file():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(48))
        return path.read_text().strip()
    except OSError:
        return secrets.token_urlsafe(48)
