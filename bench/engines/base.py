"""What an engine offers the bench: build an index, open it, answer a query."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol

from bench.queries import BenchQuery
from indexer.model import Document

PAGE_SIZE = 10  # one result page: every hit on it gets a highlighted snippet


@dataclass(frozen=True)
class QueryOutcome:
    total: int  # number of matching documents
    first_canonical: str  # canonical id of the first hit ("" when none)
    snippets: int  # hits on the page that came with a highlighted snippet


class Searcher(Protocol):
    def run(self, query: BenchQuery) -> QueryOutcome: ...

    def close(self) -> None: ...


class Engine(Protocol):
    name: str
    label: str

    def missing(self) -> str | None:
        """Why the engine cannot run here (e.g. "not installed"), or None."""
        ...

    def version(self) -> str: ...

    def max_procs(self) -> int:
        """How many processes/threads its writer can use (1 if it cannot go parallel)."""
        ...

    def build(self, docs: Iterable[Document], path: Path, procs: int, batch_size: int) -> dict[str, object]:
        """Index ``docs`` into a new index at ``path``; returns notes on how."""
        ...

    def open(self, path: Path) -> Searcher: ...


def identifier_words(identifier: str) -> str:
    """kst-36600-VI-149 -> "kst 36600 VI 149" (the tokens every engine splits it into)."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in identifier).split())
