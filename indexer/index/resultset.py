"""Result-set evaluation: is every returned document one that holds the word, and every such
document returned? Judged on the document TEXT by an independent rule, not by the index.

The judged sets of :mod:`indexer.index.eval` measure the top of a ranking; totals, facets,
date order, exports and alerts show the whole result set. For a single-word compound query
(``zorgorganisaties``) a document is right when its text (title, summary, body) holds

* the word, an inflection of it, or a longer compound holding it: a token containing one
  of the word's spellings (:func:`spellings`: ``zorgorganisatie``, ``zorgorganisaties``);
* or its parts within :data:`NEAR` tokens of each other in either order ("organisaties in
  de zorg"), a part matching a token that differs from it only in its last letters; or
  one token that begins with the first part and holds the last ("jeugdgezondheidszorg"
  for ``jeugdzorg``).

The rule uses plain regular expressions and Dutch spelling, nothing of the analysis
chain (no lemma table, no stemmer; the parts of each query are written in the query
file). :func:`measure` gives precision and recall of a set of returned ids per query and
pooled; :func:`fts5_sets` gives SQLite FTS5's sets (exact word, and ``word*``) on the same
text, and :func:`legacy_sets` those of the rule-only analysis of schema 4 (dutch_porter,
a compound query as ``(whole OR part1) AND part2``), so all are measured in one run.
"""

from __future__ import annotations

import json
import os.path
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from indexer.model import Document

NEAR = 3  # "within a few words"; the query's near clause allows the same
#: kinder ~ kinderen ~ kind, stelt ~ stellen, but not staande ~ staakt: a part and a token share
#: all but the last PART_ENDING letters of the part and TOKEN_ENDING letters of the token
PART_ENDING, TOKEN_ENDING = 2, 3
WORD = re.compile(r"[^\W\d_]+")
LONG_VOWELS = ("aa", "ee", "oo", "uu", "ie", "ui", "ij", "ei", "ou", "au", "eu")  # huis -> huizen, brief -> brieven



@dataclass(frozen=True)
class CompoundQuery:
    word: str
    parts: tuple[str, ...]


def load_queries(path: Path) -> list[CompoundQuery]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [CompoundQuery(item["word"], tuple(item["parts"])) for item in data["queries"]]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens_of(doc: Document) -> list[str]:
    # the dossier title is indexed with the text (the masthead that carried it is not text)
    return WORD.findall(fold(" ".join([doc.title, doc.summary, doc.extra.get("dossier_title", ""), doc.body])))


def spellings(word: str) -> set[str]:
    """The word's singular and plural spellings that the others contain or not (Dutch rules).

    >>> sorted(spellings("zorgorganisaties")), sorted(spellings("beleidstaak"))
    (['zorgorganisatie', 'zorgorganisaties'], ['beleidstaak', 'beleidstaken'])
    """
    out = {word}
    for ending in ("en", "s", "n", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 5:
            stem = word[: -len(ending)]
            out.add(stem)
            if ending == "en" and stem[-1] == stem[-2]:
                out.add(stem[:-1])  # gezinnen -> gezin
            if ending == "en" and stem[-2] in "aeou" and stem[-3] not in "aeiou":
                out.add(stem[:-1] + stem[-2] + stem[-1])  # taken -> taak
    if len(word) > 3 and word[-2] == word[-3] and word[-2] in "aeou":
        out.add(word[:-2] + word[-1] + "en")  # taak -> taken
    if word[-1:] in ("f", "s") and word[-3:-1] in LONG_VOWELS and not word.endswith("ies"):  # -ies: a plural
        out.add(word[:-1] + {"f": "v", "s": "z"}[word[-1]] + "en")  # kamerbrief -> kamerbrieven
    return {form for form in out if len(form) >= 5}


def part_matches(part: str, token: str) -> bool:
    common = len(os.path.commonprefix([part, token]))
    part_ending = PART_ENDING if len(part) > 5 else 1  # groep is no groot
    return common >= min(len(part), 3) and common >= len(part) - part_ending and common >= len(token) - TOKEN_ENDING


def judge(query: CompoundQuery, tokens: list[str]) -> bool:
    """True when the text (as tokens) holds the compound by the rule of this module."""
    forms = spellings(query.word)
    if any(form in token for token in tokens for form in forms):
        return True
    if len(query.parts) < 2:
        return False
    first, last = query.parts[0], query.parts[-1]
    if any(token.startswith(first) and last in token[len(first):] for token in tokens):
        return True
    where = [[i for i, token in enumerate(tokens) if part_matches(part, token)] for part in query.parts]
    return _close(where, NEAR + len(query.parts) - 2)


def measure(queries: list[CompoundQuery], returned: Mapping[str, set[str]],
            relevant: Mapping[str, set[str]]) -> dict[str, float]:
    """Pooled precision and recall (over all queries' documents), and the per-query means."""
    hits = sum(len(returned[q.word] & relevant[q.word]) for q in queries)
    got = sum(len(returned[q.word]) for q in queries)
    wanted = sum(len(relevant[q.word]) for q in queries)
    per_p = [len(returned[q.word] & relevant[q.word]) / len(returned[q.word]) for q in queries if returned[q.word]]
    per_r = [len(returned[q.word] & relevant[q.word]) / len(relevant[q.word]) for q in queries if relevant[q.word]]
    return {"queries": len(queries), "returned": got, "relevant": wanted,
            "precision": round(hits / got, 4) if got else 1.0, "recall": round(hits / wanted, 4) if wanted else 1.0,
            "mean_precision": round(sum(per_p) / len(per_p), 4) if per_p else 1.0,
            "mean_recall": round(sum(per_r) / len(per_r), 4) if per_r else 1.0}


def relevant_sets(queries: list[CompoundQuery], docs: Iterable[Document]) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = {q.word: set() for q in queries}
    for doc in docs:
        tokens = tokens_of(doc)
        for query in queries:
            if judge(query, tokens):
                relevant[query.word].add(doc.id)
    return relevant


def fts5_sets(queries: list[CompoundQuery], docs: Iterable[Document]) -> dict[str, dict[str, set[str]]]:
    """FTS5 (unicode61, diacritics removed) over the same text: ``"word"`` and ``word*``."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, text, "
               "tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO docs VALUES (?, ?)",
                   ((d.id, " ".join([d.title, d.summary, d.body])) for d in docs))
    found: dict[str, dict[str, set[str]]] = {"fts5_exact": {}, "fts5_prefix": {}}
    for query in queries:
        for name, match in (("fts5_exact", f'"{query.word}"'), ("fts5_prefix", f'"{query.word}"*')):
            found[name][query.word] = {row[0] for row in db.execute(
                "SELECT doc_id FROM docs WHERE docs MATCH ?", (match,))}
    db.close()
    return found


def index_sets(queries: list[CompoundQuery], ids_for: Callable[[str], set[str]]) -> dict[str, set[str]]:
    return {query.word: ids_for(query.word) for query in queries}


def _close(where: list[list[int]], span: int) -> bool:
    """True when one position of every list lies within ``span`` of one of the first list's."""
    first, rest = where[0], where[1:]
    if not first or not all(rest):
        return False
    sets = [set(positions) for positions in rest]
    return any(all(any(abs(p - q) <= span for q in found) if len(found) < 50 else
                   any(q in found for q in range(p - span, p + span + 1)) for found in sets)
               for p in first)

