"""The web UI served by the production server (waitress) on 127.0.0.1 in a thread, for
the browser and concurrency tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from waitress import create_server

from search_ui import create_app


@contextmanager
def serve_ui(data_dir: Path, threads: int = 4, **config: Any) -> Iterator[str]:
    """Serve the UI over ``data_dir``; yields the base URL (no trailing slash)."""
    app = create_app({"DATA_DIR": str(data_dir), "SECRET_KEY": "test-secret", **config})
    server = create_server(app, host="127.0.0.1", port=0, threads=threads, ident="bronzoeker")
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except (OSError, ValueError):
            # Closing the listening socket from this thread ends the loop's select()
            # with EBADF: expected while stopping, a real failure otherwise.
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stopping.set()
        server.close()
        server.task_dispatcher.shutdown()
        thread.join(timeout=10)
