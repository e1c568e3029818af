"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the saved-search tests: it keeps every
message it accepts, parsed, and refuses the recipients it is told to (550)."""

from __future__ import annotations

import email
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


class Mailbox:
    """The aiosmtpd handler: accepted messages in order; ``refused`` addresses get a 550."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted"

    def take(self) -> list[EmailMessage]:
        """The messages received since the last call."""
        taken, self.messages = self.messages, []
        return taken


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def wait_for(mailbox: Mailbox, count: int, seconds: float = 10.0) -> list[EmailMessage]:
    """The next ``count`` messages (delivery is done when the client's send returns, so this
    rarely waits; the deadline only keeps a broken run from hanging)."""
    deadline = time.monotonic() + seconds
    while len(mailbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return mailbox.take()
