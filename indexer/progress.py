"""Progress of a crawl, per source: a live line on a terminal, plain lines in a log.

On a terminal (stderr is a TTY) one line is rewritten in place at most a few times a
second; in a log (cron, systemd) a plain line is written every ``log_every`` seconds,
so a long crawl shows it is alive without flooding the log. Each says what was
fetched, how many documents were handled, the rate, the queue, and an estimate of the
time left for the work known so far (a listing source knows all of it once its
listing is read; protocol sources learn their next page as they go).

    kamerstukken: 1.234 opgehaald, 1.180 documenten, 12,3/s, 456 in de wachtrij, nog ~37 s
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Log = Callable[[str], None]
LOG_EVERY_SECONDS = 30.0  # plain lines in a log
LIVE_EVERY_SECONDS = 0.2  # redraws of the terminal line
#: (seconds in the unit, Dutch abbreviation), largest first
UNITS = ((3600, "u"), (60, "min"), (1, "s"))


def dutch_number(value: float, decimals: int = 0) -> str:
    """``1.234`` and ``12,3``: Dutch thousands and decimal separators.

    >>> dutch_number(1234), dutch_number(12.345, 1)
    ('1.234', '12,3')
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def duration(seconds: float) -> str:
    """A short Dutch duration with its two largest units.

    >>> duration(37), duration(200), duration(3900), duration(0.2)
    ('37 s', '3 min 20 s', '1 u 5 min', '1 s')
    """
    left = max(1, round(seconds))
    parts: list[str] = []
    for size, unit in UNITS:
        if left >= size or (not parts and size == 1):
            parts.append(f"{left // size} {unit}")
            left %= size
        if len(parts) == 2:
            break
    return " ".join(part for part in parts if not part.startswith("0 "))


class Progress:
    """The progress of one source's crawl; ``tick`` after every request."""

    def __init__(self, name: str, log: Log, stream: TextIO | None = None, live: bool | None = None,
                 clock: Callable[[], float] = time.monotonic, log_every: float | None = None) -> None:
        self.name, self.log, self.clock = name, log, clock
        self.log_every = LOG_EVERY_SECONDS if log_every is None else log_every
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.fetched = self.documents = self.queued = 0
        self.started = self._shown = clock()
        self._drawn = False

    def start(self, cursor: str | None) -> None:
        since = f" (wijzigingen sinds {cursor})" if cursor else ""
        self.log(f"{self.name}: begonnen{since}")
        self.started = self._shown = self.clock()

    def tick(self, queued: int, documents: int | None = None) -> None:
        self.fetched += 1
        self.queued = queued
        if documents is not None:
            self.documents = documents
        now = self.clock()
        if now - self._shown < (LIVE_EVERY_SECONDS if self.live else self.log_every):
            return
        self._shown = now
        if self.live:
            self.stream.write(f"\r{self.line(now)}\x1b[K")
            self.stream.flush()
            self._drawn = True
        else:
            self.log(self.line(now))

    def rate(self, now: float) -> float:
        """Requests per second so far."""
        elapsed = now - self.started
        return self.fetched / elapsed if elapsed > 0 else 0.0

    def line(self, now: float | None = None) -> str:
        now = self.clock() if now is None else now
        rate = self.rate(now)
        parts = [f"{dutch_number(self.fetched)} opgehaald", f"{dutch_number(self.documents)} documenten",
                 f"{dutch_number(rate, 1)}/s", f"{dutch_number(self.queued)} in de wachtrij"]
        if self.queued and rate > 0:
            parts.append(f"nog ~{duration(self.queued / rate)}")
        return f"{self.name}: " + ", ".join(parts)

    def done(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")  # the summary line takes its place
            self.stream.flush()
            self._drawn = False
