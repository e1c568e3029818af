"""Writes a run's figures: bench/out/bench-<timestamp>.json and bench/out/latest.json."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

from bench import workdir


def _clean(value: Any) -> Any:
    """NaN is not JSON: write null instead."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def write_results(results: dict[str, Any], out_dir: Path | None = None) -> Path:
    out_dir = out_dir or workdir.OUT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_clean(results), ensure_ascii=False, indent=2)
    path = out_dir / f"bench-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}.json"
    path.write_text(text, encoding="utf-8")
    (out_dir / "latest.json").write_text(text, encoding="utf-8")
    return path
