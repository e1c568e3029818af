"""Build the Dutch word set the PDF dehyphenator uses (indexer/data/nl_words.txt.gz).

wordfreq is a build-time dependency only (extra ``build-data``): this script derives a
compact, gzipped list of the most frequent Dutch words so that the runtime needs no
wordfreq. Data: wordfreq's Dutch "large" list (CC BY-SA 4.0, see wordfreq's README).

Usage: .venv/bin/python scripts/build_wordlist.py [--size 150000]
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "indexer" / "data" / "nl_words.txt.gz"


def build(size: int, target: Path = TARGET) -> int:
    from wordfreq import top_n_list

    words = [w for w in top_n_list("nl", size, wordlist="large") if w.isalpha()]
    header = "# top Dutch words from wordfreq 'large' (CC BY-SA 4.0); built by scripts/build_wordlist.py\n"
    # mtime=0 keeps the gzip byte-identical between runs
    data = gzip.compress((header + "\n".join(words) + "\n").encode("utf-8"), 9, mtime=0)
    target.write_bytes(data)
    return len(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=150_000)
    args = parser.parse_args()
    count = build(args.size)
    print(f"wrote {count} words to {TARGET}")


if __name__ == "__main__":
    main()
