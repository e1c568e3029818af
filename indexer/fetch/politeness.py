"""Politeness around the downloader: one request at a time per host, a delay between
requests to the same host (the larger of ours and the site's ``Crawl-delay``), slowing
down after a 429, ``Retry-After`` parsing and exponential back-off.

The waits are real ``time.sleep`` calls on a monotonic clock; tests configure short
delays and check the spacing of request arrivals on their server. Across runs the
spacing holds too when the scheduler is given :class:`HostTimes` (the crawl state):
the end of the last exchange with each host is kept as Unix time with the delay then
in force, and a new run's first request to that host waits out the rest of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urlsplit

from indexer.settings import PolitenessSettings  # declared with the other settings

MAX_CRAWL_DELAY = 60.0  # a site asking more than this gets this (a daily crawl must finish)


class HostTimes(Protocol):
    """Where the last request time per host outlives the process (the crawl state)."""

    def host_time(self, host: str) -> tuple[float, float] | None: ...

    def set_host_time(self, host: str, at: float, delay: float) -> None: ...


class HostScheduler:
    """Serialises requests per host and keeps the configured spacing between them."""

    def __init__(self, settings: PolitenessSettings, times: HostTimes | None = None) -> None:
        self.settings = settings
        self.times = times  # None: spacing only within this process
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._delay: dict[str, float] = {}
        self._guard = threading.Lock()

    def set_host_delay(self, host: str, seconds: float) -> None:
        """A per-host delay (from configuration or robots.txt ``Crawl-delay``)."""
        with self._guard:
            self._delay[host.lower()] = max(seconds, self._delay.get(host.lower(), 0.0))

    def delay_for(self, host: str) -> float:
        return max(self.settings.delay, self._delay.get(host.lower(), 0.0))

    def slow_down(self, host: str) -> None:
        """After a 429: double this host's delay for the rest of the run (capped)."""
        doubled = min(self.settings.slowdown_cap, max(self.delay_for(host) * 2, 0.001))
        with self._guard:
            self._delay[host.lower()] = doubled

    @contextmanager
    def turn(self, url: str) -> Iterator[None]:
        """Hold the host's lock, wait out its delay, and stamp the time on leaving."""
        host = host_of(url)
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            remaining = self._remaining(host)
            if remaining > 0:
                time.sleep(remaining)
            try:
                yield
            finally:
                # spacing counts from the end of the previous exchange, like Scrapy's
                # DOWNLOAD_DELAY: a slow server is never hit back-to-back
                self._last[host] = time.monotonic()
                self._remember(host)

    def _remaining(self, host: str) -> float:
        """Seconds still to wait before the next request to ``host``."""
        delay = self.delay_for(host)
        last = self._last.get(host)
        if last is not None:
            return last + delay - time.monotonic()
        stored = self.times.host_time(host) if self.times is not None else None
        if stored is None:
            return 0.0
        at, then = stored
        delay = max(delay, then)  # a Crawl-delay learnt last run holds before robots.txt is read again
        # never more than one delay: a wall clock set back must not stall the crawl
        return min(at + delay - time.time(), delay)

    def _remember(self, host: str) -> None:
        if self.times is not None:
            self.times.set_host_time(host, time.time(), self.delay_for(host))

    def backoff_seconds(self, attempt: int) -> float:
        """Exponential back-off for attempt 1, 2, 3...: backoff, 2*backoff, 4*backoff."""
        return self.settings.backoff * (2 ** max(0, attempt - 1))

    def retry_after_seconds(self, header: str | None, attempt: int) -> float:
        """The server's Retry-After (seconds or HTTP date), capped; else the back-off."""
        seconds = parse_retry_after(header)
        if seconds is None:
            return self.backoff_seconds(attempt)
        return min(seconds, self.settings.max_retry_after)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value, or None when absent or unreadable.

    >>> parse_retry_after("1")
    1.0
    >>> parse_retry_after("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()
