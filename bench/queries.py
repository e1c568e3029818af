"""The query set: a fixed number of queries per class, drawn from the real documents.

Classes (:data:`CLASSES`): a rare term, two common words, a two-word phrase, a document
identifier, and a common term with facet counts and newest-first sorting. Every engine
translates the same :class:`BenchQuery` into its own syntax, and every query asks for
the first result page with highlighted snippets.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import asdict, dataclass

from indexer.index.analysis import dutch_analyzer
from indexer.index.stopwords import is_marked
from indexer.model import Document

#: class -> what it is, as printed in the table
CLASSES: dict[str, str] = {
    "rare": "rare term",
    "two_common": "two common words",
    "phrase": "phrase (2 words)",
    "identifier": "identifier",
    "facets_date": "facets + date sort",
}
WORD = re.compile(r"[^\W\d_]+")
RARE_DF = (2, 5)  # document frequency in the real corpus
COMMON_DF = (0.05, 0.40)  # share of the real corpus's documents
MIN_WORD = 5


@dataclass(frozen=True)
class BenchQuery:
    cls: str
    words: tuple[str, ...]  # the words, or the identifier as one element

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> BenchQuery:
        return cls(str(data["cls"]), tuple(data["words"]))  # type: ignore[arg-type]


def build_queries(docs: list[Document], per_class: int, seed: int) -> list[BenchQuery]:
    """``per_class`` queries of every class, deterministic for the same documents and seed."""
    rng = random.Random(seed)
    freq = _document_frequency(docs)
    content = _content_words(freq)
    rare = sorted(w for w in content if RARE_DF[0] <= freq[w] <= RARE_DF[1])
    low, high = (int(share * len(docs)) for share in COMMON_DF)
    common = sorted(w for w in content if low <= freq[w] <= high)
    makers = {
        "rare": lambda: (rng.choice(rare),),
        "two_common": lambda: tuple(rng.sample(common, 2)),
        "phrase": lambda: _phrase(rng, docs, content),
        "identifier": lambda: (_identifier(rng, docs),),
        "facets_date": lambda: (rng.choice(common),),
    }
    return [BenchQuery(cls, makers[cls]()) for cls in CLASSES for _ in range(per_class)]


def _document_frequency(docs: list[Document]) -> Counter[str]:
    freq: Counter[str] = Counter()
    for doc in docs:
        freq.update({w.lower() for w in WORD.findall(doc.body)})
    return freq


def _content_words(freq: Counter[str]) -> set[str]:
    """Words of 5+ letters that the Dutch analysis keeps (no stop words)."""
    analyzer = dutch_analyzer()
    return {w for w in freq if len(w) >= MIN_WORD and any(not is_marked(t.text) for t in analyzer(w))}


def _phrase(rng: random.Random, docs: list[Document], content: set[str]) -> tuple[str, ...]:
    """Two adjacent content words, separated by one space in a real text."""
    while True:
        text = rng.choice(docs).body
        tokens = list(WORD.finditer(text))
        pairs = [(a.group().lower(), b.group().lower())
                 for a, b in zip(tokens, tokens[1:], strict=False) if text[a.end():b.start()] == " "]
        pairs = [p for p in pairs if p[0] in content and p[1] in content]
        if pairs:
            return rng.choice(pairs)


def _identifier(rng: random.Random, docs: list[Document]) -> str:
    while True:
        canonical = rng.choice(docs).identifiers.get("canonical", "")
        if canonical.startswith("kst-"):
            return canonical
