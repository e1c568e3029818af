"""Small statistics and units: median, p95, rates, peak memory of this process."""

from __future__ import annotations

import math
import resource
import statistics


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000 if seconds else math.nan


def p95_ms(seconds: list[float]) -> float:
    """95th percentile, nearest rank (with 20 samples: the 19th smallest)."""
    if not seconds:
        return math.nan
    ordered = sorted(seconds)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


def rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else math.nan


def ratio(ours: float, theirs: float) -> float:
    if not theirs or math.isnan(theirs) or math.isnan(ours):
        return math.nan
    return ours / theirs


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MiB.

    VmHWM from /proc first: Linux keeps ru_maxrss across execve, so a freshly started
    child would report its parent's peak at fork time if it is larger.
    """
    return proc_peak_rss_mb("self") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def proc_peak_rss_mb(pid: int | str) -> float:
    """VmHWM (peak resident memory) of a running process, in MiB; 0 when unknown."""
    return _status_mb(pid, "VmHWM:")


def proc_anon_mb(pid: int | str) -> float:
    """RssAnon of a running process, in MiB: its own memory, without the pages of files it
    has mapped. VmHWM counts those too, and they depend on what the page cache held before:
    the same 100 queries on the 100k index gave a server VmHWM of 310 MB with a cold cache
    and 435 MB with a warm one."""
    return _status_mb(pid, "RssAnon:")


def _status_mb(pid: int | str, key: str) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
