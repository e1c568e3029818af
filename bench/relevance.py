"""Relevance of the baseline: the judged queries of indexer eval, run through SQLite FTS5
over the same stored documents, scored with the same measures (nDCG@10, recall@100, MRR).

The query a user types is given to FTS5 as its words and quoted phrases, all required
(FTS5's implicit AND), which is what a plain FTS5 search box would do with it.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any, Iterable

from bench.engines.fts5 import Fts5Engine
from indexer.index.page_texts import indexed_documents

CHUNK = re.compile(r'"[^"]*"|[^\s"]+')


def fts5_match(text: str) -> str:
    """User query -> FTS5 MATCH: every word or "quoted phrase" as an FTS5 string.

    >>> fts5_match('"Raad van State" advies')
    '"Raad van State" "advies"'
    >>> fts5_match('Kamerstuk 32 824, nr. 193')
    '"Kamerstuk" "32" "824," "nr." "193"'
    """
    chunks = (chunk.strip('"').strip() for chunk in CHUNK.findall(text))
    return " ".join('"' + chunk.replace('"', '""') + '"' for chunk in chunks if chunk)


def fts5_relevance(data_dir: Path, judged: Iterable[Any]) -> dict[str, float] | None:
    """The eval summary of FTS5 on the judged queries, over the documents of ``data_dir``."""
    from indexer.index.eval import RECALL_AT, Report, score_query

    docs = list(indexed_documents(data_dir))  # with their texts, from the document store
    engine = Fts5Engine()
    with tempfile.TemporaryDirectory(prefix="bench-fts5-relevance-") as tmp:
        engine.build(docs, Path(tmp), 1, 0)
        searcher = engine.open(Path(tmp))
        report = Report()
        for query in judged:
            ranked = tuple(searcher.ranked_ids(fts5_match(query.query), RECALL_AT))
            report.scores.append(score_query(query, ranked))
        searcher.close()
    return report.summary()
