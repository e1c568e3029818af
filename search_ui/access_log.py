"""The access log: one line per request in the common log format, written when the
response is closed (so a streamed download is logged with the bytes it really sent).

``127.0.0.1 - - [01/Dec/2026:21:30:27 +0000] "GET /?q=roma HTTP/1.1" 200 10541``

waitress writes no access log of its own. The signed links of saved-search mails carry the
subscriber's address (readable, only signed): their token is logged as ``***``. Everything a client controls (the request
line) is escaped, so a line break or a quote in a URL cannot forge a log line.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from indexer.alerts.mail import CONFIRM_PATH, UNSUBSCRIBE_PATH

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def escaped(text: str) -> str:
    r"""Printable ASCII kept; quotes, backslashes and everything else as escapes.

    >>> escaped('GET /"a"\n\\ é')
    'GET /\\"a\\"\\x0a\\\\ \\xe9'
    """
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}")
    return "".join(out)


#: paths whose last segment is a token that names a person (search_ui.alerts)
REDACTED_PREFIXES = (CONFIRM_PATH, UNSUBSCRIBE_PATH)


def redacted(path: str) -> str:
    """``path`` with the token of a saved-search link left out.

    >>> redacted("/attendering/bevestigen/eyJlbWFpbCI6ImFAYi5ubCJ9.x.y"), redacted("/?q=a")
    ('/attendering/bevestigen/***', '/?q=a')
    """
    for prefix in REDACTED_PREFIXES:
        if path.startswith(prefix):
            return prefix + "***"
    return path


def request_line(environ: dict[str, Any]) -> str:
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    # PEP 3333 hands the path over as latin-1 decoded bytes; undo that to log the real UTF-8
    try:
        path = path.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    target = redacted(path) + (f"?{query}" if query else "")
    return f"{environ.get('REQUEST_METHOD', '-')} {target} {environ.get('SERVER_PROTOCOL', '-')}"


def log_line(environ: dict[str, Any], status: str, sent: int, when: float) -> str:
    stamp = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(when))
    host = environ.get("REMOTE_ADDR") or "-"
    return f'{escaped(host)} - - [{stamp}] "{escaped(request_line(environ))}" {status} {sent or "-"}\n'


class AccessLog:
    """WSGI middleware: ``AccessLog(app, stream)`` logs every request of ``app`` to ``stream``."""

    def __init__(self, app: WSGIApp, stream: IO[str]) -> None:
        self.app, self.stream = app, stream
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.time()
        seen = {"status": "-"}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = status.split(" ", 1)[0]
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, start)
        except BaseException:
            self.write(log_line(environ, "500", 0, started))
            raise
        return LoggedBody(body, lambda sent: self.write(log_line(environ, seen["status"], sent, started)))

    def write(self, line: str) -> None:
        with self._lock:
            try:
                self.stream.write(line)
                self.stream.flush()
            except (OSError, ValueError):
                pass  # a full disk or a closed log never takes the site down


class LoggedBody:
    """The response body, counted as it is sent; logs once when the server closes it."""

    def __init__(self, body: Iterable[bytes], on_close: Callable[[int], None]) -> None:
        self.body, self.on_close = body, on_close
        self.sent = 0
        self._logged = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            if not self._logged:
                self._logged = True
                self.on_close(self.sent)
