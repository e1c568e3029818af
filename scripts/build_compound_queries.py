"""Choose the single-word compound queries of the result-set check (tests/judgments/compound-queries.json).

From the text of the bulk motions (the 8,041 of the shared bulk set, or any folder of
officiële-publicatie XML): words the compound splitter divides into two or more parts, that
occur in at least MIN_DOCS documents of the whole set and in at least one of the bulk sample
(tests/fixtures/bulk-sample, so the suite measures them too), and whose parts are common
words; verbs and adjectives (NOT_NOUNS) are left out (the kind whose scattered occurrences made false hits). Spread evenly over document
frequency; the issue's examples first. Deterministic.

Usage: .venv/bin/python scripts/build_compound_queries.py BULK_XML_DIR [--count 70]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from indexer.index.compounds import compound_parts, dictionary
from indexer.index.resultset import fold

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "bulk-sample"
TARGET = ROOT / "tests" / "judgments" / "compound-queries.json"
MIN_DOCS, MAX_DOCS = 5, 600
MIN_PART_ZIPF = 4.0
EXAMPLES = ("zorgorganisaties", "energieprojecten", "cultuurbeleid", "rijkswaterstaat", "mensenhandel",
            "jeugdzorg", "kinderbescherming")
#: verbs and adjectives the splitter divides too: not compound nouns, left out
NOT_NOUNS = frozenset({"vaststelt", "vasthoudt", "vastlopen", "vrijgekomen", "thuiszitten", "witwassen",
                       "alleenstaande", "langjarige", "persoonsgebonden"})
WORD = re.compile(r"[^\W\d_]{8,}")


def document_words(folder: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in sorted(folder.glob("*.xml")):
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8", errors="replace"))
        counts.update(set(WORD.findall(fold(text))))
    return counts


def candidates(bulk: Counter[str], sample: Counter[str]) -> list[str]:
    zipf = dictionary()
    chosen = []
    for word, docs in bulk.items():
        parts = compound_parts(word)
        if (MIN_DOCS <= docs <= MAX_DOCS and sample[word] and len(parts) >= 2 and word not in NOT_NOUNS
                and all(zipf.get(part, 0.0) >= MIN_PART_ZIPF for part in parts)):
            chosen.append(word)
    return sorted(chosen, key=lambda w: (bulk[w], w))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bulk", type=Path)
    parser.add_argument("--count", type=int, default=70)
    args = parser.parse_args()
    bulk, sample = document_words(args.bulk), document_words(SAMPLE)
    pool = candidates(bulk, sample)
    picked = [w for w in EXAMPLES if w in pool]
    step = max(1, len(pool) // max(1, args.count - len(picked)))
    picked += [w for w in pool[::step] if w not in picked][: args.count - len(picked)]
    queries = [{"word": w, "parts": list(compound_parts(w)), "bulk_documents": bulk[w]} for w in picked]
    TARGET.write_text(json.dumps({"about": "Single-word compound queries of the result-set check "
                                  "(indexer eval --result-sets); chosen by scripts/build_compound_queries.py "
                                  "from the 8,041 bulk motions.", "queries": queries},
                                 ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(pool)} candidates, {len(queries)} queries -> {TARGET}")


if __name__ == "__main__":
    main()
