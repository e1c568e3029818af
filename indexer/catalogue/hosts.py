"""Politeness for the fleet: one request at a time per host, and the delay between requests,
across every worker sharing the catalogue.

A turn looks at the host's row in ``hosts`` under a row lock (``SELECT … FOR UPDATE``): once
the delay since the fleet's last exchange with the host has passed, it stamps the row with
"busy until now + the fetch timeout" and commits, so no other worker starts meanwhile;
when the exchange ends, the real end time is written and the next worker waits out the
delay from there. A worker killed mid-exchange leaves its reservation, so even then the
host is never asked twice at once or too soon. Times come from the database's clock, so
workers on machines with skewed clocks agree. ``file://`` reads have no host and no turn.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from indexer.catalogue import connect
from indexer.fetch.politeness import HostScheduler, PolitenessSettings, host_of

NOW = "extract(epoch from clock_timestamp())::float8"
RECHECK_SECONDS = 0.25  # a waiting worker looks again this often (an exchange may end early)


class FleetScheduler(HostScheduler):
    """:class:`HostScheduler` whose turns and spacing are held in the catalogue."""

    def __init__(self, settings: PolitenessSettings, url: str, reserve: float = 30.0) -> None:
        super().__init__(settings)
        self.reserve = reserve  # the longest an exchange may take (the fetch timeout)
        self._db = connect(url)

    @contextmanager
    def turn(self, url: str) -> Iterator[None]:
        host = host_of(url)
        if not host:
            yield
            return
        self._take_turn(host)
        try:
            yield
        finally:
            self._db.execute(f"UPDATE hosts SET last_request = {NOW}, delay = %s WHERE host = %s",
                             (self.delay_for(host), host))

    def _take_turn(self, host: str) -> None:
        """Wait until the host's delay has passed since the fleet's last exchange with it, then
        reserve the host for the longest this exchange may take."""
        while True:
            with self._db.transaction():
                remaining = self._remaining_locked(host)
                if remaining <= 0:
                    self._db.execute(f"UPDATE hosts SET last_request = {NOW} + %s WHERE host = %s",
                                     (self.reserve, host))
                    return
            time.sleep(min(remaining, RECHECK_SECONDS))

    def _remaining_locked(self, host: str) -> float:
        self._db.execute("INSERT INTO hosts (host, last_request, delay) VALUES (%s, 0, 0)"
                         " ON CONFLICT DO NOTHING", (host,))
        row = self._db.execute(f"SELECT last_request, delay, {NOW} FROM hosts WHERE host = %s FOR UPDATE",
                               (host,)).fetchone()
        assert row is not None, "the row was inserted above"
        last, stored_delay, now = (float(value) for value in row)
        delay = max(self.delay_for(host), stored_delay)
        # never more than a reservation and a delay: a clock set back must not stall the fleet
        return min(last + delay - now, self.reserve + delay)

    def close(self) -> None:
        self._db.close()
