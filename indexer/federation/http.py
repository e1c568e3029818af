"""The one HTTP GET federation makes: bounded in time and size, no redirects.

Interactive queries get no politeness delay, but each call has the remote's timeout
(also checked between chunks, so a server trickling bytes cannot hold a thread past
its budget) and a body-size cap. Redirects are refused: only URLs from the config are
ever contacted, and a redirect would let a remote send us elsewhere.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Any

from indexer.fetch.client import USER_AGENT

CHUNK = 64 * 1024


class RemoteError(Exception):
    """The remote failed; the message is the reason shown to the user."""


class RemoteTimeout(RemoteError):
    """The remote took longer than its timeout."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        raise RemoteError(f"doorverwijzing (HTTP {code}) niet gevolgd")


_OPENER = urllib.request.build_opener(_NoRedirect())


def get(url: str, timeout: float, max_bytes: int, accept: str) -> bytes:
    """GET ``url`` and return the body; :class:`RemoteError` or :class:`RemoteTimeout` otherwise."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    deadline = time.monotonic() + timeout
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            _check_length(response.headers.get("Content-Length"), max_bytes)
            return _read_capped(response, max_bytes, deadline)
    except urllib.error.HTTPError as exc:
        raise RemoteError(f"HTTP {exc.code}") from None
    except TimeoutError:
        raise RemoteTimeout(f"geen antwoord binnen {timeout:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise RemoteTimeout(f"geen antwoord binnen {timeout:g} s") from None
        raise RemoteError(f"niet bereikbaar: {exc.reason}") from None
    except (OSError, ValueError) as exc:  # connection reset, bad status line, ...
        raise RemoteError(f"verbinding mislukt: {exc}") from None


def _check_length(value: str | None, max_bytes: int) -> None:
    if value and value.strip().isdigit() and int(value) > max_bytes:
        raise RemoteError(f"antwoord te groot ({value} bytes, grens {max_bytes})")


def _read_capped(response: Any, max_bytes: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(CHUNK):  # returns after one recv, so the deadline check runs
        size += len(chunk)
        if size > max_bytes:
            raise RemoteError(f"antwoord te groot (meer dan {max_bytes} bytes)")
        if time.monotonic() > deadline:
            raise RemoteTimeout("antwoord kwam te traag binnen")
        chunks.append(chunk)
    return b"".join(chunks)
