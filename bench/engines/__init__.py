"""The engines compared, by name: bronzoeker's own (Whoosh behind indexer.index), SQLite FTS5
(the baseline a user could pick instead) and tantivy (optional, when installed).

Each engine builds an index from Documents and answers :class:`bench.queries.BenchQuery`
objects; all get the same extracted documents, so their ratios isolate the engine.
"""

from __future__ import annotations

from bench.engines.base import Engine, QueryOutcome
from bench.engines.fts5 import Fts5Engine
from bench.engines.ours import OurEngine
from bench.engines.tantivy_engine import TantivyEngine

#: name -> engine; the first is ours, the second the baseline that targets compare against
ENGINES: dict[str, Engine] = {
    "bronzoeker": OurEngine(),
    "fts5": Fts5Engine(),
    "tantivy": TantivyEngine(),
}
OURS, BASELINE = "bronzoeker", "fts5"

__all__ = ["BASELINE", "ENGINES", "OURS", "Engine", "QueryOutcome"]
