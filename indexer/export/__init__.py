"""Citation export: the format registry and the one entry point the CLI and UI call.

``FORMATS`` maps a format name to a :class:`Format`; every format streams, writing
record by record to a text stream and returning how many documents it wrote::

    with open("lijst.ris", "w", encoding="utf-8", newline="") as out:
        export(documents, "ris", out, accessed="2026-11-28")

Open files with ``newline=""`` so the CRLF line ends of RIS and CSV reach the disk as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

from indexer.export import bibtex, csl_json, csv_table, leidraad, ris
from indexer.export.meta import zotero_meta
from indexer.export.public_url import public_document
from indexer.model import Document

Writer = Callable[..., int]


@dataclass(frozen=True)
class Format:
    """One export format: names for the UI and HTTP, and the streaming writer."""

    name: str
    label: str  # Dutch, shown in the UI
    media_type: str
    extension: str
    writer: Writer

    def write(self, documents: Iterable[Document], out: TextIO, *, accessed: str | None = None) -> int:
        """Write ``documents`` to ``out`` one by one; returns the number written."""
        return self.writer(map(public_document, documents), out, accessed=accessed)


FORMATS: dict[str, Format] = {
    "ris": Format("ris", "RIS (Zotero, EndNote)", "application/x-research-info-systems", "ris", ris.write),
    "bibtex": Format("bibtex", "BibTeX (JabRef, LaTeX)", "application/x-bibtex", "bib", bibtex.write),
    "csl-json": Format(
        "csl-json", "CSL-JSON (citeproc, Pandoc)", "application/vnd.citationstyles.csl+json", "json", csl_json.write
    ),
    "csv": Format("csv", "CSV (Excel)", "text/csv; charset=utf-8", "csv", csv_table.write),
    "leidraad": Format(
        "leidraad", "Leidraad-verwijzingen (tekst)", "text/plain; charset=utf-8", "txt", leidraad.write
    ),
}


class UnknownFormat(ValueError):
    """Raised for a format name that is not in :data:`FORMATS`."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"onbekend exportformaat {name!r}; bekend zijn: {', '.join(FORMATS)}")


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(name) from None


def export(documents: Iterable[Document], fmt: str, out: TextIO, accessed: str | None = None) -> int:
    """Write ``documents`` in format ``fmt`` to ``out``; raises :class:`UnknownFormat`."""
    return get_format(fmt).write(documents, out, accessed=accessed)


__all__ = ["FORMATS", "Format", "UnknownFormat", "export", "get_format", "leidraad", "zotero_meta"]
