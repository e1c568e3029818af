"""``python -m bench [--quick] [--fresh]``: run the benchmark, print the table, write the JSON."""

from __future__ import annotations

import argparse
import sys

from bench.output import write_results
from bench.profiles import PROFILES
from bench.report import render
from bench.run import ON_REQUEST, PARTS, Options, run_bench
from bench.scale import DEFAULT_DOCUMENTS


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help=f"smaller scaled corpus ({PROFILES['quick'].scaled_docs:,} docs) and fewer queries")
    parser.add_argument("--fresh", action="store_true", help="rebuild cached scaled indexes too")
    parser.add_argument("--only", action="append", choices=sorted([*PARTS, *ON_REQUEST]), default=[],
                        help="run only this part (repeatable): a shared machine need not run the whole bench; "
                             "'scale' runs only when asked")
    parser.add_argument("--scaled", type=int, default=DEFAULT_DOCUMENTS, metavar="N",
                        help=f"documents in the scale part's corpus (default {DEFAULT_DOCUMENTS:,})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    profile = PROFILES["quick" if args.quick else "full"]
    results = run_bench(Options(profile=profile, fresh=args.fresh, only=tuple(args.only),
                                scale_docs=args.scaled),
                        log=lambda line: print(line, file=sys.stderr, flush=True))
    path = write_results(results)  # the figures are kept even if the table cannot show them all
    print(render(results))
    print(f"\nfigures written to {path} and {path.parent / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
