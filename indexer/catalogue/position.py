"""Where a search node stands against the catalogue: ``DATA_DIR/follow.json``.

Written by the follower after each commit (whole, then renamed) and every time it looks
at the catalogue; read by ``/status`` and ``/api/v1/status`` to show the node's lag without
a database connection of their own. No PostgreSQL driver is needed to read it.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

POSITION_FILE = "follow.json"


@dataclass(frozen=True)
class Position:
    applied: int  # the last change sequence in this node's index
    catalogue: int  # the catalogue's last sequence when last looked at
    checked: float  # Unix time of that look
    applied_at: float = 0.0  # Unix time of the last commit that applied changes

    @property
    def lag(self) -> int:
        """Changes the catalogue held that this node had not applied yet."""
        return max(0, self.catalogue - self.applied)

    def to_dict(self) -> dict[str, float | int]:
        return {"applied": self.applied, "catalogue": self.catalogue, "checked": self.checked,
                "applied_at": self.applied_at, "lag": self.lag}


def read_position(data_dir: Path) -> Position | None:
    """The node's position, or None when this data directory does not follow a catalogue."""
    try:
        data = json.loads((Path(data_dir) / POSITION_FILE).read_text(encoding="utf-8"))
        return Position(int(data["applied"]), int(data["catalogue"]), float(data["checked"]),
                        float(data.get("applied_at", 0.0)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_position(data_dir: Path, position: Position) -> None:
    path = Path(data_dir) / POSITION_FILE
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(position.to_dict()), encoding="utf-8")
    os.replace(temporary, path)


def replica_status(data_dir: Path) -> dict[str, Any] | None:
    """The node's lag for the status page and API, or None when it follows no catalogue."""
    position = read_position(data_dir)
    if position is None:
        return None
    checked = datetime.fromtimestamp(position.checked, UTC).replace(microsecond=0)
    return {**position.to_dict(), "checked": checked.isoformat().replace("+00:00", "Z"),
            "seconds_since_check": round(max(0.0, time.time() - position.checked), 1)}
