"""Runs :mod:`bench.worker` jobs in child processes and reads back their JSON report."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from bench import workdir


class JobFailed(Exception):
    """A worker job ended badly; the message carries the tail of its stderr."""


def run_job(job: dict[str, Any], timeout: float = 3600) -> dict[str, Any]:
    completed = subprocess.run([sys.executable, "-m", "bench.worker", json.dumps(job)],
                               cwd=workdir.PROJECT_DIR, capture_output=True, text=True, timeout=timeout)
    if completed.returncode != 0:
        tail = completed.stderr.strip().splitlines()[-3:]
        raise JobFailed(f"{job['kind']} {job.get('engine')}: exit {completed.returncode}: {' | '.join(tail)}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
