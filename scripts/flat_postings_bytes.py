"""Where the bytes of an index's flat postings files (``*.bzpost``) are: each array's dtype,
length and size, and per field the terms, postings, positions, wide values and kept weights,
also for the terms just above the threshold (``MIN_POSTINGS`` to twice it).

    .venv/bin/python scripts/flat_postings_bytes.py INDEX_DIR [--json]

docs/index-size.md ("Flat postings at 100,000 documents") gives the figures of the bench's
100,000 documents.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from indexer.index import flat_postings as fp


def measure(folder: Path) -> dict[str, Any]:
    arrays: Counter[str] = Counter()
    lengths: Counter[str] = Counter()
    dtypes: dict[str, set[str]] = defaultdict(set)
    fields: dict[str, Counter[str]] = defaultdict(Counter)
    files = header_bytes = 0
    for path in sorted(folder.glob(f"*{fp.SUFFIX}")):
        raw = np.memmap(path, dtype=np.uint8, mode="r")
        found = fp._header(raw)  # noqa: SLF001 - a measuring script
        if found is None or found[0].get("version") != fp.VERSION:
            print(f"{path.name}: not version {fp.VERSION}, skipped", file=sys.stderr)
            continue
        header, base = found
        files += 1
        header_bytes += base
        for name, entry in header["arrays"].items():
            size = entry["length"] * np.dtype(entry["dtype"]).itemsize
            arrays[name] += size
            lengths[name] += entry["length"]
            dtypes[name].add(np.dtype(entry["dtype"]).name)
        _per_field(fp.FlatPostings(raw, header, base), header, fields)
    return {"files": files, "bytes": header_bytes + sum(arrays.values()), "header_bytes": header_bytes,
            "arrays": {name: {"bytes": arrays[name], "length": lengths[name], "dtype": sorted(dtypes[name])}
                       for name in arrays},
            "fields": {name: dict(counts) for name, counts in sorted(fields.items())}}


def _per_field(flat: fp.FlatPostings, header: dict[str, Any], fields: dict[str, Counter[str]]) -> None:
    gaps_at, counts_at = flat._gaps.at, flat._counts.at  # noqa: SLF001
    near = header["min_postings"] * 2
    for fieldname, terms in header["terms"].items():
        out = fields[fieldname]
        for start, count, _, _, weight, _ in terms.values():
            positions = int(flat._counts.slice(start, start + count).sum())  # noqa: SLF001
            wide = int(np.searchsorted(gaps_at, start + count) - np.searchsorted(gaps_at, start))
            wide += int(np.searchsorted(counts_at, start + count) - np.searchsorted(counts_at, start))
            out["terms"] += 1
            out["postings"] += count
            out["positions"] += positions
            out["wide gaps and counts"] += wide
            out["terms with kept weights"] += weight >= 0
            out["postings with kept weights"] += count if weight >= 0 else 0
            if count < near:
                out["terms below 2x threshold"] += 1
                out["their postings"] += count
                out["their positions"] += positions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = measure(args.index)
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    print(f"{figures['files']} files, {figures['bytes'] / 1e6:.2f} MB (headers {figures['header_bytes'] / 1e6:.2f} MB)")
    for name, entry in figures["arrays"].items():
        print(f"  {name:16s} {'/'.join(entry['dtype']):8s} {entry['length']:>13,} entries {entry['bytes'] / 1e6:8.2f} MB")
    for name, counts in figures["fields"].items():
        print(f"  {name}: " + ", ".join(f"{key} {value:,}" for key, value in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
