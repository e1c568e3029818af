"""Extract every officiële-publicatie XML in a tar.gz and check the identifiers.

For each file: extraction must not raise; for files whose only metadata is
``OVERHEIDop.externMetadataRecord``, the canonical id, dossier and ondernummer read
from the body alone (kamerstukkop/dossier/stuk, ``body_identifiers``) must match the id
in that record's URL. Prints counts,
mismatches and docs/s. Default input: the 8,041 moties 2024-2025 from the shared bulk set.

Usage: .venv/bin/python scripts/check_bulk_extraction.py [PATH.tar.gz] [--limit N]
"""

from __future__ import annotations

import argparse
import re
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.citekeys import identifiers_of  # noqa: E402
from indexer.extract import ExtractionError, extract  # noqa: E402
from indexer.extract.officiele_publicatie import body_identifiers, parse_xml  # noqa: E402
from indexer.extract.result import Extracted  # noqa: E402
from indexer.model import Record  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent / "bench" / "data" / "kst-moties-2024-2025-xml.tar.gz"
EXTERN = re.compile(rb'name="OVERHEIDop\.externMetadataRecord"[^>]*content="([^"]+)"|'
                    rb'content="([^"]+)"[^>]*name="OVERHEIDop\.externMetadataRecord"')


def extern_id(body: bytes) -> str:
    """The KOOP id in the externMetadataRecord URL, when that is the only metadata."""
    if b'name="DC.identifier"' in body:
        return ""
    match = EXTERN.search(body)
    if not match:
        return ""
    url = (match.group(1) or match.group(2)).decode()
    return [part for part in url.split("/") if part and part != "metadata.xml"][-1]


def check(body: bytes, name: str, stats: Counter, problems: list[str]) -> None:
    record = Record(source="bulk", native_id=name, url=f"file:///{name}", body=body, content_type="application/xml")
    try:
        doc = extract(record)
    except ExtractionError as exc:
        stats["extraction_error"] += 1
        problems.append(f"{name}: ExtractionError {exc.reason}")
        return
    except Exception as exc:  # noqa: BLE001 - the point is to count these
        stats["exception"] += 1
        problems.append(f"{name}: {type(exc).__name__}: {exc}")
        return
    stats["ok"] += 1
    stats["mojibake-repaired"] += "mojibake-repaired" in doc.flags
    stats["identifier-mismatch flag"] += "identifier-mismatch" in doc.flags
    stats["no_canonical"] += not doc.identifiers.get("canonical")
    stats["no_title"] += not doc.title
    stats["no_date"] += not doc.date
    koop_id = extern_id(body)
    if not koop_id:
        stats["embedded_metadata"] += 1
        return
    stats["extern_only"] += 1
    expected = identifiers_of(koop_id)
    # compare what the body alone says (the extractor also uses the URL's id, so its
    # output would agree trivially)
    from_body = body_identifiers(parse_xml(body, Extracted(format="check")))
    got = {key: from_body.get(key, "") for key in expected}
    if got == expected:
        stats["extern_ids_match"] += 1
    else:
        stats["extern_ids_mismatch"] += 1
        problems.append(f"{name}: expected {expected}, got {got}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    stats: Counter = Counter()
    problems: list[str] = []
    started = time.perf_counter()
    with tarfile.open(args.path) as archive:
        for member in archive:
            if not member.isfile() or not member.name.endswith(".xml"):
                continue
            check(archive.extractfile(member).read(), Path(member.name).name, stats, problems)  # type: ignore[union-attr]
            stats["files"] += 1
            if args.limit and stats["files"] >= args.limit:
                break
    elapsed = time.perf_counter() - started
    for key in sorted(stats):
        print(f"{key:22} {stats[key]:6}")
    print(f"{'docs/s':22} {stats['files'] / elapsed:8.1f}  ({elapsed:.1f} s incl. gunzip/untar)")
    for line in problems[:40]:
        print("PROBLEM", line)
    sys.exit(1 if stats["exception"] or stats["extern_ids_mismatch"] or stats["extraction_error"] else 0)


if __name__ == "__main__":
    main()
