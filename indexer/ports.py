"""Is the port the server wants free? Asked before anything slow happens (``make demo``
checks before it crawls), so a taken port is one Dutch line, not a traceback after minutes.

``python -m indexer.ports --host H --port P`` exits 0 when the port is free, 2 otherwise.
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys

from indexer.errors import EXIT_COULD_NOT_RUN, CannotRun

#: errno -> what it means for the port, in Dutch
REASONS = {
    errno.EADDRINUSE: "is al in gebruik door een ander programma",
    errno.EACCES: "mag dit programma niet gebruiken (poorten onder 1024 vragen rootrechten)",
    errno.EADDRNOTAVAIL: "bestaat niet op deze machine (verkeerd adres?)",
}


def check_free(host: str, port: int) -> None:
    """Raise :class:`CannotRun` saying which port is taken and how to choose another."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CannotRun(f"het adres {host} is onbekend ({exc.strerror}): kies een ander met --host") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as waitress binds
        try:
            probe.bind(address)
        except OSError as exc:
            reason = REASONS.get(exc.errno or 0, f"is niet te gebruiken ({exc.strerror})")
            raise CannotRun(f"poort {port} op {host} {reason}: kies een andere poort, bijvoorbeeld "
                            f"`make demo PORT={port + 1}` of `indexer serve --port {port + 1}`") from exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check that a host and port are free to serve on.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        check_free(args.host, args.port)
    except CannotRun as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return EXIT_COULD_NOT_RUN
    return 0


if __name__ == "__main__":
    sys.exit(main())
