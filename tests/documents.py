"""Where the real test documents are: the bundled corpus, found by file name.

Extraction tests name documents by their file name; they live once, in ``corpus/``
(provenance in ``corpus/PROVENANCE.tsv``), not as copies under ``tests/fixtures``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@cache
def _by_name() -> dict[str, Path]:
    paths: dict[str, Path] = {}
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file():
            if path.name in paths:
                raise RuntimeError(f"two corpus files are named {path.name}: {paths[path.name]}, {path}")
            paths[path.name] = path
    return paths


def document_path(name: str) -> Path:
    """The corpus file called ``name`` (a KeyError names the missing file)."""
    try:
        return _by_name()[name]
    except KeyError:
        raise KeyError(f"no corpus file named {name!r}") from None
