"""What the index receives from the analysis stays exactly what it was: for real documents
(the 298 motions of tests/fixtures/bulk-sample and the bundled corpus's XML, HTML, Markdown
and text files), every indexed field's terms with their frequency, weight and encoded
positions, as Whoosh's writer gets them from the crawl, against a golden file written
with the analysis before it was made faster (``tests/golden/analysis/index_items.json``).

Each golden entry holds a digest of the field's input text too: a document whose text the
extractor now reads differently is compared no more (its input changed, not the analysis),
and the test insists that nearly all of them still compare. Rewrite the golden file only
when the analysis is meant to change: ``python -m tests.test_analysis_golden --write``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.citekeys import canonical_keys
from indexer.extract import ExtractionError, extract
from indexer.index.analysis import LANGUAGE_ANALYZERS
from indexer.index.schema import build_schema, document_fields, text_language
from indexer.index.term_plans import FieldItems
from indexer.model import Document, Record

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "analysis" / "index_items.json"
BULK = ROOT / "tests" / "fixtures" / "bulk-sample"
CORPUS = ROOT / "corpus"
CORPUS_SUFFIXES = (".xml", ".html", ".md", ".txt")
#: documents whose body is also analysed with every other language's recipe
OTHER_LANGUAGE_DOCS = 25
SCHEMA = build_schema()
TERMS = FieldItems()
#: the share of golden entries whose input must still be the same text
MIN_COMPARED = 0.9


def documents() -> Iterator[Document]:
    """The real documents, in a fixed order; extraction failures are not analysis."""
    paths = sorted(BULK.glob("*.xml")) + sorted(p for p in CORPUS.rglob("*") if p.suffix in CORPUS_SUFFIXES)
    for path in paths:
        record = Record(source="golden", native_id=path.stem, url=path.as_uri(), body=path.read_bytes(),
                        file_url=path.as_uri())
        try:
            yield extract(record, fetched_at="2026-01-01T00:00:00Z")
        except ExtractionError:
            continue


def analysis_inputs(doc: Document, position: int) -> dict[str, str]:
    """Field name -> text for every indexed field of the document (and the other
    languages' body fields for the first few documents)."""
    schema = build_schema()
    fields = document_fields(doc, canonical_keys(doc))
    inputs = {name: value for name, value in fields.items() if schema[name].indexed and value}
    if position < OTHER_LANGUAGE_DOCS:
        body = inputs[f"body_{text_language(doc)}"]
        inputs.update({f"body_{lang}": body for lang in LANGUAGE_ANALYZERS})
    return inputs


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, default=repr).encode("utf-8")).hexdigest()[:16]


def field_items(name: str, text: str) -> list[tuple[bytes, int, float, bytes]]:
    """The (term, frequency, weight, encoded positions) the writer adds for this field, as the
    crawl computes them (each distinct token analysed once: :mod:`indexer.index.term_plans`)."""
    return sorted(TERMS.items(SCHEMA[name], text))


def entries() -> dict[str, dict[str, list[str]]]:
    """doc id -> field -> [input digest, items digest, number of terms]."""
    out: dict[str, dict[str, list[str]]] = {}
    for position, doc in enumerate(documents()):
        out[doc.id] = {}
        for name, text in sorted(analysis_inputs(doc, position).items()):
            items = field_items(name, text)
            out[doc.id][name] = [digest(text), digest([[t.hex(), f, w, v.hex()] for t, f, w, v in items]),
                                 str(len(items))]
    return out


def test_the_index_receives_the_same_terms_weights_and_positions() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = entries()
    compared, changed = 0, []
    for doc_id, fields in golden.items():
        for name, (text_digest, items_digest, count) in fields.items():
            current = now.get(doc_id, {}).get(name)
            if current is None or current[0] != text_digest:
                continue  # the extractor reads this text differently now: not the analysis's doing
            compared += 1
            if current[1:] != [items_digest, count]:
                changed.append(f"{doc_id} {name}: {count} -> {current[2]} terms")
    total = sum(len(fields) for fields in golden.values())
    assert compared >= MIN_COMPARED * total, f"only {compared} of {total} golden inputs still extract the same"
    assert not changed, "analysis output changed:\n" + "\n".join(changed[:20])


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(entries(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
