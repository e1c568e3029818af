"""The format-independent stages after a format extractor: clean, classify, cite, detect.

Runs on an :class:`Extracted`: normalise characters, strip page furniture and join
line-end hyphenation (paginated/plain-text formats only), per-kind metadata and
fallbacks, the Kamerstuk/Aanhangsel masthead, references (without the document's own
id), language.
"""

from __future__ import annotations

from indexer.citekeys import Category, find_references, parse_category
from indexer.extract import layout, masthead, metadata, reports_meta
from indexer.extract.hyphenation import dehyphenate
from indexer.extract.language import detect_language
from indexer.extract.normalize import collapse_spaces, normalize_text
from indexer.extract.result import Extracted
from indexer.model import Record

#: formats whose text comes from a page layout (running headers, hyphenation)
LAID_OUT = {"pdf", "text"}


def finish(result: Extracted, record: Record) -> None:
    result.raw_pages = [normalize_text(page) for page in result.raw_pages]
    result.pages = clean_pages(result.raw_pages, laid_out=result.format in LAID_OUT)
    category = parse_category(str(record.metadata.get("category", "")))
    if category and category != Category.OVERIG:
        result.fields.setdefault("category", category)
    hint = " ".join((record.url, record.file_url, record.native_id, str(record.metadata.get("url", ""))))
    metadata.apply_kind_metadata(result, hint)
    metadata.apply_fallbacks(result)
    masthead.strip_masthead(result)  # after the metadata read from it
    own = result.identifiers.get("canonical", "")
    cited = dict.fromkeys([*result.references, *find_references("\n".join(result.pages))])
    result.references = [key for key in cited if key != own]
    text = "\n".join(result.pages)
    result.fields["language"] = detect_language(text, default=result.fields.get("language") or "nl")
    reports_meta.finish_cahrom(result)
    result.set_default("category", Category.OVERIG)
    if not any(page.strip() for page in result.pages) and "no-text-layer" not in result.flags:
        result.flag("no-text")  # never silently empty: indexed by its metadata only


def clean_pages(pages: list[str], *, laid_out: bool) -> list[str]:
    if not laid_out:
        return [collapse_spaces(page) for page in pages]
    stripped = layout.strip_furniture(pages)
    return [collapse_spaces(dehyphenate(layout.rejoin_urls(page))) for page in stripped]
