"""Known-item queries built from the indexed documents: MRR per kind, beside SQLite FTS5.

From the documents themselves (deterministic: documents in id order, every STEP-th):

* ``words``: the target's three most distinctive words (fewest documents, at least two);
* ``inflection``: its three most distinctive words that occur in the corpus in another
  inflection, written in that inflection, which the target does not hold (plural for singular
  and back, adjective -e; the spelling rules of :func:`resultset.spellings`, not the lemma table);
* ``compound-apart``: the target's most distinctive compound written as its two parts, plus
  its most distinctive other word.

Every query word occurs in the corpus, so a query with no result is a dead end: the
zero-result rate is reported per kind. FTS5 runs AND and OR, on the text as written and on
the text stemmed with the rule-only ``dutch_porter`` of schema 4.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from indexer.index.backend import SearchBackend, SearchRequest
from indexer.index.compounds import compound_parts
from indexer.index.resultset import spellings, tokens_of
from indexer.model import Document

RANKED = 100
MIN_LETTERS = 6
STEP = 7  # every 7th document is a target: ~40 per kind over the 298-motion sample


@dataclass(frozen=True)
class KnownItem:
    kind: str
    query: str
    target: str


def build_known_items(docs: list[Document], limit: int = 60) -> list[KnownItem]:
    tokens = {doc.id: tokens_of(doc) for doc in docs}
    df = Counter(word for words in tokens.values() for word in set(words))
    items: list[KnownItem] = []
    for doc_id in sorted(tokens)[::STEP]:
        words = sorted({w for w in tokens[doc_id] if len(w) >= MIN_LETTERS and df[w] >= 2}, key=lambda w: (df[w], w))
        items += _items_for(doc_id, words, set(tokens[doc_id]), df)
    by_kind: dict[str, list[KnownItem]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    return [item for kind_items in by_kind.values() for item in kind_items[:limit]]


def _items_for(doc_id: str, words: list[str], own: set[str], df: Counter[str]) -> list[KnownItem]:
    items = []
    if len(words) >= 3:
        items.append(KnownItem("words", " ".join(words[:3]), doc_id))
    inflected = [form for w in words if (form := _other_form(w, own, df))][:3]
    if len(inflected) == 3:
        items.append(KnownItem("inflection", " ".join(inflected), doc_id))
    compounds = [w for w in words if len(compound_parts(w)) == 2 and all(len(p) >= 4 for p in compound_parts(w))]
    if compounds:
        rest = next((w for w in words if w != compounds[0]), "")
        items.append(KnownItem("compound-apart", " ".join([*compound_parts(compounds[0]), rest]).strip(), doc_id))
    return items


def _other_form(word: str, own: set[str], df: Counter[str]) -> str | None:
    forms = spellings(word) | {word + "en", word + "s", word + "e"}
    seen = sorted((f for f in forms if f != word and f not in own and df[f] > 0), key=lambda f: (-df[f], f))
    return seen[0] if seen else None


def evaluate_known_items(items: list[KnownItem], rankers: dict[str, Callable[[str], list[str]]]) -> dict[str, Any]:
    """engine -> kind -> {queries, mrr, zero_results}."""
    report: dict[str, Any] = {}
    for name, rank in rankers.items():
        kinds: dict[str, list[tuple[float, bool]]] = {}
        for item in items:
            ranked = rank(item.query)
            rr = 1.0 / (ranked.index(item.target) + 1) if item.target in ranked else 0.0
            kinds.setdefault(item.kind, []).append((rr, not ranked))
        report[name] = {kind: {"queries": len(v), "mrr": round(statistics.fmean(r for r, _ in v), 4),
                               "zero_results": round(sum(z for _, z in v) / len(v), 4)}
                        for kind, v in sorted(kinds.items())}
    return report


def backend_ranker(backend: SearchBackend) -> Callable[[str], list[str]]:
    def rank(query: str) -> list[str]:
        result = backend.search(SearchRequest(query=query, page_size=RANKED, facets=False, snippets=False))
        return [hit.document.id for hit in result.hits]
    return rank


class Fts5Rankers:
    """FTS5 over the documents' text as written and stemmed: AND and OR rankers."""

    def __init__(self, docs: Iterable[Document], stem: Callable[[str], str]) -> None:
        self.stem = stem
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE plain USING fts5(doc_id UNINDEXED, text, "
                        "tokenize='unicode61 remove_diacritics 2')")
        self.db.execute("CREATE VIRTUAL TABLE stemmed USING fts5(doc_id UNINDEXED, text)")
        for doc in docs:
            words = tokens_of(doc)
            self.db.execute("INSERT INTO plain VALUES (?, ?)", (doc.id, " ".join(words)))
            self.db.execute("INSERT INTO stemmed VALUES (?, ?)", (doc.id, " ".join(stem(w) for w in words)))

    def rankers(self) -> dict[str, Callable[[str], list[str]]]:
        return {f"fts5_{table}_{op.lower()}": self._ranker(table, op)
                for table in ("plain", "stemmed") for op in ("AND", "OR")}

    def _ranker(self, table: str, op: str) -> Callable[[str], list[str]]:
        def rank(query: str) -> list[str]:
            words = [self.stem(w) if table == "stemmed" else w for w in query.split()]
            match = f" {op} ".join(f'"{w}"' for w in words)
            rows = self.db.execute(f"SELECT doc_id FROM {table} WHERE {table} MATCH ? ORDER BY bm25({table}) "
                                   f"LIMIT {RANKED}", (match,))
            return [row[0] for row in rows]
        return rank

    def close(self) -> None:
        self.db.close()
