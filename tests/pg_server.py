"""A real PostgreSQL 15 server for the catalogue tests, started on a temporary directory.

``initdb`` and ``pg_ctl`` from Debian's ``postgresql-15`` (``make system-deps`` installs it);
the server listens on a free port of 127.0.0.1 only, with trust authentication, and is
stopped (``pg_ctl stop -m immediate``) when the tests are done. PostgreSQL refuses to run
as root, so as root the cluster belongs to the ``postgres`` user and every command runs
through ``runuser``. Without the binaries the tests that need a server are skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(os.environ.get("BRONZOEKER_PG_BIN", "/usr/lib/postgresql/15/bin"))
MISSING = (f"PostgreSQL 15 is not installed ({BIN}/initdb missing): `make system-deps` installs "
           "postgresql-15")


def available() -> bool:
    return (BIN / "initdb").is_file() and (BIN / "pg_ctl").is_file()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PgServer:
    """One running cluster; :meth:`create_database` gives each test its own database."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.data = root / "cluster"
        self.user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
        self._count = 0

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run([str(BIN / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8",
                   "--no-sync", "--locale=C"])
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        self._run([str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                   "-o", options, "start"])

    def stop(self) -> None:
        self._run([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        import psycopg

        self._count += 1
        name = f"bronzoeker_{os.getpid()}_{self._count}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(_as_owner(command), capture_output=True, text=True, cwd=self.root)
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr or done.stdout}")


@contextmanager
def running_server() -> Iterator[PgServer]:
    root = Path(tempfile.mkdtemp(prefix="bronzoeker-pg-"))
    os.chmod(root, 0o755)
    server = PgServer(root, _free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
