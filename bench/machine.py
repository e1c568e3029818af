"""Machine information and versions, recorded with every run so runs can be compared."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from bench import workdir

PACKAGES = ("bronzoeker", "Whoosh-Reloaded", "PyStemmer", "lxml", "pypdf", "pypdfium2", "py3langid",
            "flask", "waitress", "tantivy")


def _mem_total_gib() -> float | None:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=workdir.PROJECT_DIR,
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def machine_info() -> dict[str, Any]:
    import sqlite3

    return {"cpus": os.cpu_count(), "cpu_model": _cpu_model(), "memory_gib": _mem_total_gib(),
            "load_average_at_start": list(os.getloadavg()), "platform": platform.platform(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "git_commit": _git_commit(), "packages": _versions()}
