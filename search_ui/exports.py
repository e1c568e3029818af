"""Downloads: the basket or every match of a query in any format of ``indexer.export``,
streamed to the client while the writer produces it (a thread writes, the response reads).
"""

from __future__ import annotations

import datetime as dt
import queue
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

from flask import Response, abort, request

from indexer.export import FORMATS, Format, export
from indexer.model import Document
from search_ui.basket import basket_ids
from search_ui.views import backend, bp, read_request

CHUNK_CHARS = 16_384
STALL_SECONDS = 300  # a writer that produces nothing for this long is given up on
QUEUE_CHUNKS = 8  # back-pressure: the writer waits when the client reads slowly
_DONE = object()


class ClientGone(Exception):
    """The client stopped reading: the writer thread ends early."""


class QueueStream:
    """A text stream that hands bigger chunks to a queue (the response body reads them)."""

    def __init__(self, chunks: queue.Queue[object], stop: threading.Event) -> None:
        self._chunks, self._stop, self._buffer = chunks, stop, []
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


def stream_export(documents: Iterable[Document], fmt: Format, accessed: str) -> Iterator[bytes]:
    """The export of ``documents`` as UTF-8 chunks, written by a thread as they are read."""
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


def _next_chunk(chunks: queue.Queue[object]) -> object:
    """The next chunk; a stalled writer ends the download instead of hanging it forever."""
    try:
        return chunks.get(timeout=STALL_SECONDS)
    except queue.Empty:
        return _DONE


def download(documents: Iterable[Document], format_name: str, stem: str) -> Response:
    fmt = FORMATS.get(format_name) or abort(404)
    today = dt.date.today().isoformat()
    filename = f"{stem}-{today}.{fmt.extension}"
    response = Response(stream_export(documents, fmt, today), mimetype=None, content_type=fmt.media_type)
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


@bp.route("/export")
def export_results() -> Any:
    search_request = read_request()
    FORMATS.get(format_param()) or abort(404)
    documents = backend().iter_documents(search_request)
    return download(documents, format_param(), file_stem(search_request.query))


@bp.route("/mandje/export")
def export_basket() -> Any:
    ids, search_backend = basket_ids(), backend()  # the writer thread has no app context
    documents = (doc for doc in (search_backend.get(i) for i in ids) if doc is not None)
    return download(documents, format_param(), "bronzoeker-mandje")
