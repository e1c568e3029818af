"""Turns a :class:`~indexer.model.Request` into a :class:`~indexer.model.Response`.

``file://`` URLs are answered from the local file system (a directory becomes a JSON
listing, so folder sources stay free of I/O); ``http(s)://`` URLs go over the network
through the politeness layer: robots.txt, one request at a time per host with a delay,
retries with back-off, ``Retry-After``, a redirect limit, a body-size cap and
conditional GET from stored validators.

Outcomes: a :class:`Response` for 2xx, 304 (not modified), 404 and 410 (gone; also the
officielebekendmakingen ``fout404`` page that answers 200), and any 4xx for requests
flagged ``meta["protocol_errors"]`` (OAI-PMH servers such as Zenodo answer
``noRecordsMatch`` with 422); :class:`FetchError` with a
plain reason for everything else (an unreachable robots.txt too: the host failed), and
:class:`RobotsDisallowed` only when a rule of robots.txt forbids the URL.
"""

from __future__ import annotations

import json
import mimetypes
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from indexer.fetch.http import Reply, TransientError, exchange
from indexer.fetch.politeness import MAX_CRAWL_DELAY, HostScheduler, PolitenessSettings, host_of
from indexer.fetch.robots import RobotsCache
from indexer.model import ROLE_DOCUMENT, Request, Response

USER_AGENT = "bronzoeker/0.1 (+https://github.com/bronzoeker/bronzoeker; search index for Dutch policy documents)"
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
ANSWERED_STATUSES = {304, 404, 410}  # returned as responses; the pipeline decides what they mean
RETRY_STATUSES = {429, 500, 502, 503, 504}
NOT_FOUND_MARKERS = ("fout404",)  # officielebekendmakingen redirects missing ids to a 200 page
#: Request.meta flag: return 4xx answers (their bodies carry OAI-PMH/SRU error codes).
PROTOCOL_ERRORS = "protocol_errors"
mimetypes.add_type("text/markdown", ".md")

#: Returns the stored (ETag, Last-Modified) of a URL, or None when nothing is stored.
Validators = Callable[[str], "tuple[str, str] | None"]


class FetchError(Exception):
    """A request could not be answered; ``reason`` says why in plain words."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class RobotsDisallowed(FetchError):
    """robots.txt forbids this URL for our user agent (counted as "skipped by robots")."""


class Fetcher:
    """Fetches one request at a time, politely. Options: ``timeout`` (s), ``max_bytes``,
    ``settings`` (delays, retries), ``obey_robots``, ``max_redirects``, ``validators``."""

    def __init__(self, timeout: float = 30.0, max_bytes: int = DEFAULT_MAX_BYTES,
                 settings: PolitenessSettings | None = None, user_agent: str = USER_AGENT,
                 obey_robots: bool = True, max_redirects: int = DEFAULT_MAX_REDIRECTS,
                 validators: Validators | None = None) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.obey_robots = obey_robots
        self.max_redirects = max_redirects
        self.validators = validators
        self.scheduler = HostScheduler(settings or PolitenessSettings())
        self.robots = RobotsCache(self._load_robots)

    def fetch(self, request: Request) -> Response:
        scheme = urlsplit(request.url).scheme
        if scheme == "file":
            return self._fetch_file(request)
        if scheme in ("http", "https"):
            return self._fetch_http(request)
        raise FetchError(request.url, f"unsupported URL scheme {scheme!r}")

    # -- local files ---------------------------------------------------------------

    def _fetch_file(self, request: Request) -> Response:
        path = _confined(request)
        try:
            status = path.stat()
        except OSError as exc:
            raise FetchError(request.url, f"cannot read file: {exc.strerror or exc}") from exc
        if stat.S_ISDIR(status.st_mode):
            return Response(request, request.url, 200, {"content-type": "application/json"},
                            json.dumps(_listing(path)).encode())
        try:
            size = status.st_size
            if size > self.max_bytes:
                raise FetchError(request.url, f"file of {size} bytes exceeds the limit of {self.max_bytes}")
            body = path.read_bytes()
        except OSError as exc:
            raise FetchError(request.url, f"cannot read file: {exc.strerror or exc}") from exc
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Response(request, request.url, 200, {"content-type": ctype}, body)

    # -- HTTP ----------------------------------------------------------------------

    def _fetch_http(self, request: Request) -> Response:
        headers = self._headers(request)
        url, chain = request.url, [request.url]
        for _ in range(self.max_redirects + 1):
            self._check_robots(url)
            reply = self._with_retries(url, headers)
            if reply.status not in REDIRECT_STATUSES:
                return self._response(request, url, reply)
            url = self._next_hop(url, reply, chain)
        raise FetchError(request.url, f"too many redirects (more than {self.max_redirects}): "
                         + " -> ".join(chain))

    def _headers(self, request: Request) -> dict[str, str]:
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip", **request.headers}
        if request.role == ROLE_DOCUMENT and self.validators is not None:
            stored = self.validators(request.url)
            if stored:
                etag, last_modified = stored
                if etag:
                    headers.setdefault("If-None-Match", etag)
                if last_modified:
                    headers.setdefault("If-Modified-Since", last_modified)
        return headers

    def _next_hop(self, url: str, reply: Reply, chain: list[str]) -> str:
        location = reply.headers.get("location")
        if not location:
            raise FetchError(url, f"HTTP {reply.status} redirect without a Location header")
        target = urljoin(url, location)
        if target in chain:
            raise FetchError(chain[0], "redirect loop: " + " -> ".join([*chain, target]))
        chain.append(target)
        return target

    def _response(self, request: Request, url: str, reply: Reply) -> Response:
        status = reply.status
        if 200 <= status < 300 and any(marker in url for marker in NOT_FOUND_MARKERS):
            status = 404  # the "fout404" page says 200 but means "no such publication"
        if 200 <= status < 300 or status in ANSWERED_STATUSES:
            return Response(request, url, status, reply.headers, reply.body)
        if 400 <= status < 500 and request.meta.get(PROTOCOL_ERRORS):
            return Response(request, url, status, reply.headers, reply.body)
        raise FetchError(request.url, f"HTTP {status}" + (f" at {url}" if url != request.url else ""))

    def _with_retries(self, url: str, headers: dict[str, str]) -> Reply:
        """One exchange, repeated on 5xx/429/connection errors with back-off."""
        attempts = self.scheduler.settings.max_retries + 1
        for attempt in range(1, attempts + 1):
            try:
                with self.scheduler.turn(url):
                    reply = exchange(url, headers, self.timeout, self.max_bytes)
            except TransientError as exc:
                if attempt == attempts:
                    raise FetchError(url, f"{exc} (after {attempts} attempts)") from exc
                time.sleep(self.scheduler.backoff_seconds(attempt))
                continue
            except ValueError as exc:  # refused outright: oversized body, bad encoding
                raise FetchError(url, str(exc)) from exc
            if reply.status not in RETRY_STATUSES:
                return reply
            if attempt == attempts:
                raise FetchError(url, f"HTTP {reply.status} (after {attempts} attempts)")
            self._wait_before_retry(url, reply, attempt)
        raise AssertionError("unreachable")

    def _wait_before_retry(self, url: str, reply: Reply, attempt: int) -> None:
        if reply.status == 429:
            self.scheduler.slow_down(host_of(url))
        if reply.status in (429, 503):
            wait = self.scheduler.retry_after_seconds(reply.headers.get("retry-after"), attempt)
        else:
            wait = self.scheduler.backoff_seconds(attempt)
        time.sleep(wait)

    # -- robots.txt ----------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        if not self.obey_robots:
            return
        rules = self.robots.rules_for(url)
        delay = rules.crawl_delay(self.user_agent)
        if delay:
            self.scheduler.set_host_delay(host_of(url), min(delay, MAX_CRAWL_DELAY))
        if rules.unreachable:  # the host failed, not a rule: a failure, never "skipped by robots"
            raise FetchError(url, f"robots.txt unreachable ({rules.unreachable}): nothing fetched from this host")
        if not rules.allowed(self.user_agent, url):
            raise RobotsDisallowed(url, "disallowed by robots.txt")

    def _load_robots(self, robots_url: str) -> tuple[int, str]:
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip"}
        url = robots_url
        for _ in range(DEFAULT_MAX_REDIRECTS):
            try:
                reply = self._with_retries(url, headers)
            except FetchError as exc:
                raise OSError(exc.reason) from exc
            if reply.status not in REDIRECT_STATUSES:
                return reply.status, reply.body.decode("utf-8", "replace")
            url = urljoin(url, reply.headers.get("location", ""))
        return 404, ""  # a redirect chain for robots.txt counts as "no rules" (RFC 9309)


def _confined(request: Request) -> Path:
    """The file a ``file://`` URL names, resolved; with ``request.within`` it must lie inside
    that directory (a link out of a folder source is refused, not followed)."""
    path = unquote(urlsplit(request.url).path)
    if not request.within:
        return Path(path)
    # os.path on strings, not pathlib: a folder crawl asks this for every file (a third of its fetch)
    root, resolved = os.path.realpath(request.within), os.path.realpath(path)
    if os.path.commonpath((root, resolved)) != root:
        raise FetchError(request.url, f"verwijst naar {resolved}, buiten de map {root}: niet gelezen")
    return Path(resolved)  # read what was checked, not the link again


def _listing(path: Path) -> list[dict[str, object]]:
    entries = []
    for child in sorted(path.iterdir()):
        try:
            info = child.stat()
        except OSError:  # a dangling link: listed, so fetching it records why it fails
            info = child.lstat()
        entries.append({"name": child.name, "size": info.st_size, "mtime": info.st_mtime,
                        "is_dir": child.is_dir()})
    return entries
