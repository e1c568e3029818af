"""Extraction speed: KOOP XML docs/s (in-process and through extract_guarded, the crawl's
path), PDF pages/s and HTML docs/s over the bundled corpus.

The measuring itself is ``indexer.extract.bench.measure`` (the extract helper's, OCR off);
this module picks the files and condenses its report into the bench's figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import corpora


def _measure(paths: list[Path], guarded: bool) -> dict[str, Any]:
    try:
        from indexer.extract.bench import measure
    except ImportError:
        return {}
    return measure([str(p) for p in paths], guarded=guarded)


def _sample(paths: list[Path], count: int) -> list[Path]:
    """Every k-th file, so the sample spreads over the whole (sorted) set."""
    step = max(1, len(paths) // max(count, 1))
    return paths[::step][:count]


def extraction_figures(bulk: list[Path], sample: int, guarded_sample: int,
                       pdf_sample: int | None = None) -> dict[str, Any]:
    xml_fast = _measure(_sample(bulk, sample), guarded=False).get("xml", {})
    xml_guarded = _measure(_sample(bulk, guarded_sample), guarded=True).get("xml", {})
    pdfs = [p for p in corpora.bundled_files() if p.suffix.lower() == ".pdf"]
    html = [p for p in corpora.bundled_files() if p.suffix.lower() == ".html"]
    formats = _measure([*(_sample(pdfs, pdf_sample) if pdf_sample else pdfs), *html], guarded=False)
    pdf = formats.get("pdf", {})
    return {
        "xml_docs_per_s": xml_fast.get("extract", {}).get("docs_per_s"),
        "xml_sample": xml_fast.get("files"),
        "xml_guarded_docs_per_s": xml_guarded.get("extract_guarded", {}).get("docs_per_s"),
        "xml_guarded_sample": xml_guarded.get("files"),
        "pdf_pages_per_s": pdf.get("extract", {}).get("pages_per_s"),
        "pdf_files": pdf.get("files"),
        "pdf_pages": pdf.get("extract", {}).get("pages"),
        "pdf_engines_pages_per_s": {name: figures.get("pages_per_s")
                                    for name, figures in pdf.get("engines", {}).items()},
        "pdf_extract_pages_per_s_by_engine": {name: figures.get("pages_per_s")
                                              for name, figures in pdf.get("extract_by_engine", {}).items()},
        "html_docs_per_s": formats.get("html", {}).get("extract", {}).get("docs_per_s"),
        "html_files": formats.get("html", {}).get("files"),
        "raw": {"xml": xml_fast, "xml_guarded": xml_guarded, "bundled": formats},
    }
