"""The scaled corpus: the real documents plus generated ones made of real paragraphs.

A generated document takes its title and facet metadata (type, date, dossier) from one
real document and its body from real paragraphs drawn at random from all real texts,
until it has between WORDS_MIN and WORDS_MAX words. The seed is fixed, so the same
inputs always give the same corpus, and term statistics stay those of real Dutch
parliamentary text.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Iterator

from bench import workdir
from bench.profiles import SEED, WORDS_MAX, WORDS_MIN
from indexer.model import Document

GENERATED_SOURCE = "gegenereerd"
MIN_PARAGRAPH_WORDS = 8


def paragraphs(docs: list[Document]) -> list[str]:
    """Distinct content paragraphs (lines of 8+ words) of the real texts, in a stable order."""
    seen: dict[str, None] = {}
    for doc in docs:
        for line in doc.body.replace("\f", "\n").split("\n"):
            line = " ".join(line.split())
            if len(line.split()) >= MIN_PARAGRAPH_WORDS:
                seen.setdefault(line, None)
    return list(seen)


def generate(templates: list[Document], pool: list[str], count: int, seed: int = SEED) -> Iterator[Document]:
    """``count`` generated documents (deterministic for the same inputs and seed)."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        yield _document(number, rng.choice(templates), _body(rng, pool))


def _body(rng: random.Random, pool: list[str]) -> str:
    target = rng.randint(WORDS_MIN, WORDS_MAX)
    chosen: list[str] = []
    words = 0
    while words < target:
        paragraph = rng.choice(pool)
        chosen.append(paragraph)
        words += len(paragraph.split())
    return "\n".join(chosen)


def _document(number: int, template: Document, body: str) -> Document:
    dossier = template.identifiers.get("dossier", "")
    native = f"{number:06d}"
    return Document(
        id=f"{GENERATED_SOURCE}:{native}", source=GENERATED_SOURCE, url=f"https://bench.invalid/{native}",
        title=template.title, category=template.category, doc_type=template.doc_type,
        date=template.date, language="nl", authors=template.authors,
        identifiers={"canonical": f"gen-{native}", "dossier": dossier} if dossier else {"canonical": f"gen-{native}"},
        pages=(body,), content_hash=workdir.key_of(native, body),
    )


def scaled_corpus(real_docs_path: Path, extra_docs_path: Path, real_key: str,
                  total: int) -> tuple[Path, dict[str, object]]:
    """The JSON-lines file of ``total`` documents: the real ones of ``real_docs_path`` first, then
    generated ones whose paragraphs come from those and from ``extra_docs_path`` (the bundled corpus)."""
    real = list(workdir.read_documents(real_docs_path))
    digest = workdir.key_of(real_key, total, SEED, WORDS_MIN, WORDS_MAX,
                            workdir.code_hash(Path(__file__)))
    name = f"scaled-{total}-{digest}"
    done = workdir.cached(name)
    if done is not None:
        return done / "docs.jsonl", {**workdir.completion_info(done), "cached": True}
    target = workdir.fresh(name)
    pool = paragraphs([*real, *workdir.read_documents(extra_docs_path)])
    generated = generate(real, pool, max(0, total - len(real)))
    count = workdir.write_documents(target / "docs.jsonl", itertools.chain(real[:total], generated))
    info = {"documents": count, "real": min(total, len(real)), "generated": max(0, total - len(real)),
            "paragraph_pool": len(pool), "words_per_generated_doc": [WORDS_MIN, WORDS_MAX], "seed": SEED,
            "key": digest}
    workdir.mark_complete(target, info)
    return target / "docs.jsonl", {**info, "cached": False}
