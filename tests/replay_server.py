"""A real threaded HTTP server on 127.0.0.1 that replays recorded protocol responses.

Routes come from ``tests/fixtures/replay/<dir>/routes.json`` (path glob, optional query
match, file, status, content type); ``{{BASE}}`` in text bodies becomes the server's
own base URL, so recorded links point back at it. Switches let a test add the error
cases around the recordings: robots.txt, ``Crawl-delay``, conditional GET (ETag and
Last-Modified with 304), 404/410, 429/503 with ``Retry-After``, redirects and redirect
loops, oversized bodies (with or without Content-Length) and slow responses.
Every request is logged (monotonic arrival time, path, query, headers) for assertions.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "replay"
TEXT_TYPES = ("xml", "json", "html", "text")
CONTENT_TYPES = {".xml": "text/xml; charset=UTF-8", ".json": "application/json; odata.metadata=minimal",
                 ".html": "text/html; charset=UTF-8", ".pdf": "application/pdf", ".txt": "text/plain"}


@dataclass
class Reply:
    """One canned answer. ``delay`` sleeps before answering; ``hold`` waits until the test sets
    the event (at most ``HOLD_LIMIT`` seconds), so a client is kept busy for exactly as long as a
    test needs, however slow the machine; ``send_length=False`` streams the body without
    Content-Length (ended by closing the connection)."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hold: threading.Event | None = None
    send_length: bool = True


HOLD_LIMIT = 120.0  # a held reply is sent after this even if the test never releases it


@dataclass
class Hit:
    at: float
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int = 0


@dataclass
class Route:
    path: str
    reply: Reply
    query: dict[str, str] | None = None
    modified: float = field(default_factory=time.time)

    def matches(self, path: str, query: dict[str, str]) -> bool:
        if not fnmatch.fnmatchcase(path, self.path):
            return False
        if self.query is None:
            return True
        if set(self.query) != set(query):
            return False
        return all(_value_matches(want, query[key]) for key, want in self.query.items())


def _value_matches(want: str, got: str) -> bool:
    """``*`` any value, ``~text`` contains, else equality."""
    if want == "*":
        return True
    if want.startswith("~"):
        return want[1:] in got
    return want == got


class ReplayServer:
    """``with ReplayServer("oai", "sru") as server: server.base_url ...``"""

    def __init__(self, *fixture_dirs: str, conditional: bool = True) -> None:
        self.routes: list[Route] = []
        self.hits: list[Hit] = []
        self.conditional = conditional
        self.robots_txt: str | None = None
        self._once: dict[str, deque[Reply]] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        for name in fixture_dirs:
            self.load_routes(name)

    # -- setup -----------------------------------------------------------------------

    def load_routes(self, fixture_dir: str) -> None:
        folder = FIXTURES / fixture_dir
        for entry in json.loads((folder / "routes.json").read_text()):
            body = (folder / entry["file"]).read_bytes() if entry.get("file") else b""
            ctype = entry.get("content_type") or CONTENT_TYPES.get(Path(entry.get("file", "")).suffix, "text/plain")
            reply = Reply(status=entry.get("status", 200), body=body, content_type=ctype,
                          headers=entry.get("headers", {}))
            self.routes.append(Route(entry["path"], reply, entry.get("query")))

    def route(self, path: str, reply: Reply, query: dict[str, str] | None = None) -> None:
        """Add (in front) or replace the route for ``path``/``query``."""
        with self._lock:
            self.routes = [r for r in self.routes if not (r.path == path and r.query == query)]
            self.routes.insert(0, Route(path, reply, query))

    def set_body(self, path: str, body: bytes, content_type: str | None = None) -> None:
        """Change a document: new bytes, so a new ETag and Last-Modified."""
        old = self._find(path, {})
        ctype = content_type or (old.reply.content_type if old else "application/octet-stream")
        self.route(path, Reply(body=body, content_type=ctype))
        self._find(path, {}).modified = time.time() + 1  # type: ignore[union-attr]

    def gone(self, path: str, status: int = 410) -> None:
        self.route(path, Reply(status=status, body=b"Gone" if status == 410 else b"Not Found"))

    def once(self, path: str, *replies: Reply) -> None:
        """Answer the next requests for ``path`` with these replies, then the route."""
        with self._lock:
            self._once.setdefault(path, deque()).extend(replies)

    # -- inspection ------------------------------------------------------------------

    def hits_for(self, prefix: str) -> list[Hit]:
        return [h for h in list(self.hits) if h.path.startswith(prefix)]

    def url(self, path: str) -> str:
        return self.base_url + path

    # -- life cycle ------------------------------------------------------------------

    def __enter__(self) -> ReplayServer:
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- answering -------------------------------------------------------------------

    def _find(self, path: str, query: dict[str, str]) -> Route | None:
        with self._lock:
            return next((r for r in self.routes if r.matches(path, query)), None)

    def _answer(self, path: str, query: dict[str, str], headers: dict[str, str]) -> tuple[Reply, Route | None]:
        with self._lock:
            queued = self._once.get(path)
            if queued:
                return queued.popleft(), None
        if path == "/robots.txt" and self.robots_txt is not None:
            return Reply(body=self.robots_txt.encode(), content_type="text/plain"), None
        route = self._find(path, query)
        if route is None:
            return Reply(status=404, body=b"<html><body>Not Found</body></html>", content_type="text/html"), None
        return route.reply, route

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                headers = {k.lower(): v for k, v in self.headers.items()}
                hit = Hit(time.monotonic(), parts.path, query, headers)
                server.hits.append(hit)
                reply, route = server._answer(parts.path, query, headers)
                server._send(self, reply, route, hit)

        return Handler

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply, route: Route | None, hit: Hit) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        if reply.hold is not None:
            reply.hold.wait(HOLD_LIMIT)
        body = self._render(reply)
        validators = self._validators(body, route) if route and reply.status == 200 else {}
        status = reply.status
        if validators and self._not_modified(validators, hit.headers):
            status, body = 304, b""
        hit.status = status  # before answering: the client may look at the log right after
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", reply.content_type)
            for name, value in {**validators, **reply.headers}.items():
                handler.send_header(name, value.replace("{{BASE}}", self.base_url))
            if reply.send_length:
                handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (size cap, timeout): that is what some tests want

    def _render(self, reply: Reply) -> bytes:
        if any(kind in reply.content_type for kind in TEXT_TYPES):
            return reply.body.replace(b"{{BASE}}", self.base_url.encode())
        return reply.body

    def _validators(self, body: bytes, route: Route) -> dict[str, str]:
        if not self.conditional:
            return {}
        return {"ETag": '"' + hashlib.sha1(body).hexdigest()[:16] + '"',
                "Last-Modified": formatdate(int(route.modified), usegmt=True)}

    @staticmethod
    def _not_modified(validators: dict[str, str], request_headers: dict[str, str]) -> bool:
        if "if-none-match" in request_headers:
            return request_headers["if-none-match"] == validators["ETag"]
        return request_headers.get("if-modified-since") == validators["Last-Modified"]
