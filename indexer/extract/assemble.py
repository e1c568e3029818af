"""Build the frozen Document from a Record and its :class:`Extracted` state.

Protocol/sidecar metadata is authoritative: ``record.metadata`` keys named like a
Document field override the extracted value, keys in ``IDENTIFIER_KEYS`` go into
``identifiers``, anything else into ``extra`` as strings.
"""

from __future__ import annotations

import re
from typing import Any

from indexer.citekeys import Category, normalise_vergaderjaar
from indexer.extract import dates
from indexer.extract.date_check import check_date
from indexer.extract.language_codes import iso_639_1
from indexer.extract.result import Extracted
from indexer.model import IDENTIFIER_KEYS, Document, Record

TEXT_FIELDS = ("title", "doc_type", "date", "category", "language", "summary")
LIST_FIELDS = ("creators", "authors")
URL_FIELDS = ("url", "file_url")


def build_document(record: Record, result: Extracted, *, fetched_at: str = "") -> Document:
    fields = dict(result.fields)
    identifiers = {k: v for k, v in result.identifiers.items() if v}
    extra = {k: str(v) for k, v in result.extra.items() if v}
    for key, value in record.metadata.items():
        _override(key, value, fields, identifiers, extra)
    date, flags = _iso_date(_text(fields.get("date"))), list(result.flags)
    if flag := check_date(date, fetched_at, identifiers):  # flagged, not trusted
        date, extra["unverified_date"] = "", date
        flags.append(flag)
    return Document(
        id=record.doc_id,
        source=record.source,
        url=str(record.metadata.get("url") or record.url),
        file_url=str(record.metadata.get("file_url") or record.file_url),
        title=_text(fields.get("title")) or _title_from_name(record),
        category=_text(fields.get("category")) or Category.OVERIG.value,
        doc_type=_text(fields.get("doc_type")).lower(),
        date=date,
        language=_language(_text(fields.get("language"))) or "nl",
        creators=_names(fields.get("creators")),
        authors=_names(fields.get("authors")),
        identifiers=identifiers,
        summary=_text(fields.get("summary")),
        pages=tuple(result.pages),
        references=tuple(result.references),
        flags=tuple(flags),
        extra=extra,
        content_hash=record.digest,
        fetched_at=fetched_at,
        modified=_iso_date(_text(record.metadata.get("modified") or fields.get("modified"))),
    )


def _title_from_name(record: Record) -> str:
    """Last resort for a document without any title (a scan without OCR): its file name."""
    name = (record.native_id or record.url).rstrip("/").split("/")[-1]
    name = re.sub(r"\.(pdf|html?|xml|txt|md)$", "", name, flags=re.I)
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:]


def _override(key: str, value: Any, fields: dict[str, Any], identifiers: dict[str, str],
              extra: dict[str, str]) -> None:
    if value in (None, "", [], ()):
        return
    if key in TEXT_FIELDS or key in LIST_FIELDS:
        fields[key] = value
    elif key == "vergaderjaar":
        identifiers[key] = normalise_vergaderjaar(_text(value))
    elif key in IDENTIFIER_KEYS:
        identifiers[key] = _text(value)
    elif key not in URL_FIELDS and key != "modified":
        extra[key] = "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return " ".join(str(value or "").split())


def _names(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    items = value.split(";") if isinstance(value, str) else list(value)  # "S.A. Blok; L.F. Asscher"
    unique: dict[str, None] = {}
    for item in items:
        if text := _text(item):
            unique.setdefault(text, None)
    return tuple(unique)


def _iso_date(value: str) -> str:
    """Keep ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY``; cut times; read ``4 april 2017``; else ``""``."""
    if match := re.match(r"^(\d{4})(?:[-/](\d{2}))?(?:[-/](\d{2}))?", value):
        return "-".join(part for part in match.groups() if part)
    return dates.parse_dutch_date(value)


def _language(value: str) -> str:
    return iso_639_1(value)
