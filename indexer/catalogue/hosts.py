"""Politeness for the fleet: one request at a time per host, and the delay between requests,
across every worker sharing the catalogue.

A turn holds the host's row in ``hosts`` locked (``SELECT … FOR UPDATE``) from before the
wait until the exchange has ended and its end time is written: a second worker wanting
the same host waits on the row lock, then waits out the delay from the first one's end.
Times come from the database's clock, so workers on machines with skewed clocks agree.
A killed worker's lock goes with its connection. ``file://`` reads have no host and no turn.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from indexer.catalogue import connect
from indexer.fetch.politeness import HostScheduler, PolitenessSettings, host_of

NOW = "extract(epoch from clock_timestamp())::float8"


class FleetScheduler(HostScheduler):
    """:class:`HostScheduler` whose turns and spacing are held in the catalogue."""

    def __init__(self, settings: PolitenessSettings, url: str) -> None:
        super().__init__(settings)
        self._db = connect(url)

    @contextmanager
    def turn(self, url: str) -> Iterator[None]:
        host = host_of(url)
        if not host:
            yield
            return
        self._db.execute("BEGIN")  # by hand: a failed exchange must still stamp its end and commit
        try:
            self._wait_for_turn(host)
            yield
        finally:
            self._db.execute(f"UPDATE hosts SET last_request = {NOW}, delay = %s WHERE host = %s",
                             (self.delay_for(host), host))
            self._db.execute("COMMIT")

    def _wait_for_turn(self, host: str) -> None:
        """Lock the host's row (waiting for any other worker's turn), then wait out the delay."""
        self._db.execute("INSERT INTO hosts (host, last_request, delay) VALUES (%s, 0, 0)"
                         " ON CONFLICT DO NOTHING", (host,))
        row = self._db.execute(f"SELECT last_request, delay, {NOW} FROM hosts WHERE host = %s FOR UPDATE",
                               (host,)).fetchone()
        assert row is not None, "the row was inserted above"
        last, stored_delay, now = (float(value) for value in row)
        delay = max(self.delay_for(host), stored_delay)
        # never more than one delay: a clock set back must not stall the fleet
        remaining = min(last + delay - now, delay)
        if remaining > 0:
            time.sleep(remaining)

    def close(self) -> None:
        self._db.close()
