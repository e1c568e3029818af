"""Downloads: the basket or every match of a query in any format of ``indexer.export``,
streamed to the client while the writer produces it (a thread writes, the response reads).

At most ``MAX_EXPORTS`` downloads stream at once (setting ``max_exports``, default 2):
eight concurrent full exports delayed a normal query by 9 s. One more is refused at
once with 429, ``Retry-After`` and a Dutch message rather than queued: a queued
download would hold a server thread while it waits, which is what starves searches.
A slot is given back when the server closes the response (finished, failed or the
client gone).
"""

from __future__ import annotations

import datetime as dt
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request

from indexer.export import FORMATS, Format, export
from indexer.model import Document
from search_ui import i18n
from search_ui.basket import basket_ids
from search_ui.views import backend, read_request

CHUNK_CHARS = 16_384
STALL_SECONDS = 300  # a writer that produces nothing for this long is given up on
QUEUE_CHUNKS = 8  # back-pressure: the writer waits when the client reads slowly
RETRY_AFTER_SECONDS = 30  # a full export of the demo corpus takes a few seconds; bulk ones longer
BUSY_MESSAGE = "Te veel downloads tegelijk. Probeer het over {seconds} seconden opnieuw."
_DONE = object()


class ClientGone(Exception):
    """The client stopped reading: the writer thread ends early."""


class QueueStream:
    """A text stream that hands bigger chunks to a queue (the response body reads them)."""

    def __init__(self, chunks: queue.Queue[object], stop: threading.Event) -> None:
        self._chunks, self._stop = chunks, stop
        self._buffer: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        if self._stop.is_set():
            raise ClientGone()
        self._buffer.append(text)
        self._size += len(text)
        if self._size >= CHUNK_CHARS:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._buffer:
            self._put("".join(self._buffer))
            self._buffer, self._size = [], 0

    def _put(self, item: object) -> None:
        while not self._stop.is_set():
            try:
                self._chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        raise ClientGone()


def stream_export(documents: Iterable[Document], fmt: Format, accessed: str,
                  on_end: Callable[[], None] = lambda: None) -> Iterator[bytes]:
    """The export of ``documents`` as UTF-8 chunks, written by a thread as they are read;
    ``on_end`` runs when the last chunk is read or the reader stops."""
    chunks: queue.Queue[object] = queue.Queue(maxsize=QUEUE_CHUNKS)
    stop = threading.Event()

    def produce() -> None:
        out = QueueStream(chunks, stop)
        try:
            export(documents, fmt.name, out, accessed=accessed)  # type: ignore[arg-type]
            out.flush()
        except ClientGone:
            return
        except Exception as exc:  # noqa: BLE001 - reported in the body: headers are already sent
            out._buffer.append(f"\n# export afgebroken: {type(exc).__name__}\n")
            out.flush()
        out._put(_DONE)

    threading.Thread(target=produce, name="export", daemon=True).start()
    try:
        while (item := _next_chunk(chunks)) is not _DONE:
            yield str(item).encode("utf-8")
    finally:
        stop.set()
        on_end()


def _next_chunk(chunks: queue.Queue[object]) -> object:
    """The next chunk; a stalled writer ends the download instead of hanging it forever."""
    try:
        return chunks.get(timeout=STALL_SECONDS)
    except queue.Empty:
        return _DONE


class ExportSlots:
    """A counting limit on downloads in progress; ``take`` never waits."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._free = threading.BoundedSemaphore(self.limit)

    def take(self) -> Callable[[], None] | None:
        """A release function for a free slot (safe to call twice), or None when all are taken."""
        if not self._free.acquire(blocking=False):
            return None
        released = threading.Event()

        def release() -> None:
            if not released.is_set():
                released.set()
                self._free.release()
        return release


def export_slots(app: Flask) -> ExportSlots:
    slots = app.extensions.get("bronzoeker.export_slots")
    if slots is None:
        slots = app.extensions["bronzoeker.export_slots"] = ExportSlots(int(app.config.get("MAX_EXPORTS", 2)))
    return slots


def busy() -> Response:
    message = i18n.translate(BUSY_MESSAGE, seconds=RETRY_AFTER_SECONDS)
    response = Response(render_template("error.html", code=429, message=message), status=429)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def download(documents: Callable[[], Iterable[Document]], format_name: str, stem: str) -> Response:
    """The streamed export of what ``documents()`` gives, if a download slot is free
    (``documents`` is only called then: a refused request costs no query)."""
    fmt = FORMATS.get(format_name) or abort(404)
    release = export_slots(current_app._get_current_object()).take()  # type: ignore[attr-defined]
    if release is None:
        return busy()
    try:
        response = _streamed(documents(), fmt, stem, release)
    except BaseException:
        release()
        raise
    response.call_on_close(release)
    return response


def _streamed(documents: Iterable[Document], fmt: Format, stem: str, on_end: Callable[[], None]) -> Response:
    today = dt.date.today().isoformat()
    filename = f"{stem}-{today}.{fmt.extension}"
    response = Response(stream_export(documents, fmt, today, on_end), mimetype=None, content_type=fmt.media_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{filename}"; filename*=UTF-8\'\'{quote(filename)}')
    response.headers["Cache-Control"] = "no-store"
    return response


def file_stem(query: str) -> str:
    """A filename-safe stem naming the query.

    >>> file_stem("uitbuiting Roma/kinderen"), file_stem("")
    ('bronzoeker-uitbuiting-roma-kinderen', 'bronzoeker-alles')
    """
    words = re.sub(r"[^0-9a-z]+", "-", query.lower()).strip("-")[:60].strip("-")
    return f"bronzoeker-{words or 'alles'}"


def format_param() -> str:
    return request.args.get("formaat", "ris")


def export_results() -> Any:
    search_request = read_request()
    FORMATS.get(format_param()) or abort(404)
    search_backend = backend()
    return download(lambda: search_backend.iter_documents(search_request), format_param(),
                    file_stem(search_request.query))


def export_basket() -> Any:
    ids, search_backend = basket_ids(), backend()  # the writer thread has no app context
    documents = (doc for doc in (search_backend.get(i) for i in ids) if doc is not None)
    return download(lambda: documents, format_param(), "bronzoeker-mandje")


def register(bp: Blueprint) -> None:
    """Add this module's pages to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/export", view_func=export_results)
    bp.add_url_rule("/mandje/export", view_func=export_basket)
