"""One raw HTTP exchange: no redirects followed, no retries, the body read up to a cap.

Redirects, retries and politeness are decided by :mod:`indexer.fetch.client`; this
module only talks to the socket (through ``urllib``) and reports what came back.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]  # lower-cased names
    body: bytes


class TransientError(Exception):
    """A connection problem worth retrying (refused, reset, timed out)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # surface 3xx as HTTPError so the client can count hops and check robots


_OPENER = urllib.request.build_opener(_NoRedirect)


def exchange(url: str, headers: Mapping[str, str], timeout: float, max_bytes: int) -> Reply:
    """GET ``url``; raises TransientError (retry) or ValueError (refuse: too large)."""
    request = urllib.request.Request(url, headers=dict(headers))
    try:
        with _OPENER.open(request, timeout=timeout) as reply:
            return _read(reply, reply.status, max_bytes)
    except urllib.error.HTTPError as exc:
        with exc:
            return _read(exc, exc.code, max_bytes)
    except TimeoutError as exc:
        raise TransientError(f"timed out after {timeout:g} s") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise TransientError(f"timed out after {timeout:g} s") from exc
        raise TransientError(f"network error: {exc.reason}") from exc
    except (ConnectionError, OSError, http.client.HTTPException) as exc:
        raise TransientError(f"network error: {exc!r}") from exc


def _read(reply, status: int, max_bytes: int) -> Reply:  # type: ignore[no-untyped-def]
    headers = {k.lower(): v for k, v in reply.headers.items()}
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ValueError(f"body of {declared} bytes (Content-Length) exceeds the limit of {max_bytes}")
    body = _read_capped(reply, max_bytes)
    if headers.get("content-encoding", "").lower() == "gzip":
        body = _gunzip_capped(body, max_bytes)
        headers.pop("content-encoding")
        headers["content-length"] = str(len(body))
    return Reply(status, headers, body)


def _read_capped(stream, max_bytes: int) -> bytes:  # type: ignore[no-untyped-def]
    parts: list[bytes] = []
    total = 0
    try:
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise ValueError(f"body exceeds the limit of {max_bytes} bytes")
            parts.append(chunk)
    except TimeoutError as exc:
        raise TransientError("timed out while reading the body") from exc
    except (ConnectionError, http.client.HTTPException) as exc:
        raise TransientError(f"connection broke while reading the body: {exc!r}") from exc
    return b"".join(parts)


def _gunzip_capped(data: bytes, max_bytes: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise ValueError(f"corrupt gzip body: {exc}") from exc
    if len(body) > max_bytes:
        raise ValueError(f"decompressed body exceeds the limit of {max_bytes} bytes")
    return body
