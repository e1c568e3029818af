"""``indexer serve``: the app behind waitress with the options that keep it answering
under hostile clients, and the access log.

waitress's own defaults (100 connections, 120 s idle timeout) let 100 idle TCP
connections stop the server answering anything for 120 s. Idle connections cost
waitress no thread, only a socket, so the limit here is high and idle ones are closed
sooner; the threads are what serve requests at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from waitress import create_server

from search_ui.access_log import AccessLog

STDERR = "-"


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    threads: int = 8  # requests handled at once
    connection_limit: int = 1000  # open connections, idle ones included; past it new ones wait
    channel_timeout: float = 30.0  # seconds an idle connection is kept
    access_log: str = STDERR  # a file to append to, "-" for stderr, "" for none


def waitress_options(options: ServerOptions) -> dict[str, Any]:
    # waitress looks for idle connections every cleanup_interval seconds (default 30)
    return {"host": options.host, "port": options.port, "threads": options.threads,
            "connection_limit": options.connection_limit, "channel_timeout": options.channel_timeout,
            "cleanup_interval": max(1.0, min(30.0, options.channel_timeout / 2)), "ident": "bronzoeker"}


def serve(app: Any, options: ServerOptions, announce: Callable[[str], None]) -> None:
    """Serve ``app`` until interrupted; ``announce`` gets the address actually bound."""
    with ExitStack() as stack:
        stream = _log_stream(options.access_log, stack)
        wrapped = AccessLog(app, stream) if stream is not None else app
        server = create_server(wrapped, **waitress_options(options))
        announce(f"http://{options.host}:{server.effective_port}/")  # type: ignore[union-attr]
        try:
            server.run()
        finally:
            server.close()


def _log_stream(target: str, stack: ExitStack) -> IO[str] | None:
    if not target:
        return None
    if target == STDERR:
        return sys.stderr
    return stack.enter_context(Path(target).open("a", encoding="utf-8"))
