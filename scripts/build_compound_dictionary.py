"""Build the Dutch compound-splitting dictionary (indexer/data/nl_compound_dict.tsv.gz).

Offline, build time only: needs wordfreq (extra ``build-data``) and the OpenTaal word list
from Debian ``wdutch`` (``apt-get install wdutch`` -> /usr/share/dict/dutch). The result
is a gzipped ``word<TAB>zipf`` list, so the runtime needs neither.

Dictionary "E" of MEASUREMENTS.md section 4: the Dutch words wordfreq knows that are
also real words by OpenTaal (zipf >= 1), plus every frequent wordfreq word (zipf >= 3.5),
which adds frequent words OpenTaal lacks. Restricting parts to OpenTaal words is what
stops the noise of a web word list ("ten", "nen", names) from splitting non-compounds.
Words are stored folded (lowercase, accents removed) as the analyzer folds them first.

Data licences: wordfreq data CC BY-SA 4.0, OpenTaal BSD / CC BY 3.0 (indexer/data/LICENSES.md).

Usage: .venv/bin/python scripts/build_compound_dictionary.py [--opentaal /usr/share/dict/dutch]
"""

from __future__ import annotations

import argparse
import gzip
import unicodedata
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "indexer" / "data" / "nl_compound_dict.tsv.gz"
OPENTAAL = Path("/usr/share/dict/dutch")
MIN_ZIPF_IN_BOTH = 1.0
MIN_ZIPF_WORDFREQ_ONLY = 3.5
HEADER = ("# Dutch compound-splitting dictionary: word<TAB>zipf (folded). Built by "
          "scripts/build_compound_dictionary.py from wordfreq 'large' nl (CC BY-SA 4.0) "
          "and OpenTaal via Debian wdutch (BSD / CC BY 3.0).\n")


def fold(word: str) -> str:
    """Lowercase and strip accents, as the analyzer does (geëvalueerd -> geevalueerd)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def opentaal_words(path: Path) -> set[str]:
    return {fold(line.strip()) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def wordfreq_zipfs() -> dict[str, float]:
    """Folded alphabetic Dutch words -> zipf (the highest when folding merges words)."""
    from wordfreq import get_frequency_dict  # build-time only

    zipfs: dict[str, float] = {}
    for word, freq in get_frequency_dict("nl", wordlist="large").items():
        if not word.isalpha():
            continue
        zipf = round(_zipf(freq), 2)
        key = fold(word)
        if zipf > zipfs.get(key, 0.0):
            zipfs[key] = zipf
    return zipfs


def _zipf(freq: float) -> float:
    import math

    return math.log10(freq) + 9.0


def select(zipfs: dict[str, float], opentaal: set[str]) -> dict[str, float]:
    """Dictionary E: (wordfreq ∩ OpenTaal, zipf >= 1) ∪ (wordfreq zipf >= 3.5)."""
    return {word: zipf for word, zipf in zipfs.items()
            if zipf >= MIN_ZIPF_WORDFREQ_ONLY or (zipf >= MIN_ZIPF_IN_BOTH and word in opentaal)}


def build(opentaal_path: Path = OPENTAAL, target: Path = TARGET) -> int:
    words = select(wordfreq_zipfs(), opentaal_words(opentaal_path))
    lines = [f"{word}\t{zipf:.2f}" for word, zipf in sorted(words.items())]
    # mtime=0 keeps the gzip byte-identical between runs
    data = gzip.compress((HEADER + "\n".join(lines) + "\n").encode("utf-8"), 9, mtime=0)
    target.write_bytes(data)
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--opentaal", type=Path, default=OPENTAAL)
    args = parser.parse_args()
    if not args.opentaal.exists():
        raise SystemExit(f"{args.opentaal} missing: apt-get install wdutch")
    count = build(args.opentaal)
    print(f"wrote {count} words to {TARGET} ({TARGET.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
