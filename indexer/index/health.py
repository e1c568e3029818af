"""Reading the whole live index once to find damage: every segment opened, every stored
id and hash read, every term read; and the ids it holds, to compare with the document store.

Whoosh notices a truncated or garbled segment only when a query touches it (and then as
an ``EOFError`` that click reports as "Aborted!"); this is the deliberate full read that
``indexer check`` does, so damage is found before a user finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.reading import SegmentReader

from indexer.index import store, whoosh_compat
from indexer.index.docstore_sync import IndexDamaged
from indexer.index.schema import HASH_FIELD, LEGACY_RECORD_FIELD, LEGACY_TEXT_FIELD, stored_hash

#: Stored fields every document has: its id and content hash (schema 9) or record (8 or older).
REQUIRED_STORED = ("id",)
HASH_OR_RECORD = (HASH_FIELD, LEGACY_RECORD_FIELD)


@dataclass
class IndexReport:
    """What a full read of the index found. ``ids`` is None when it could not be read."""

    path: Path
    exists: bool = True
    segments: int = 0
    documents: int = 0
    ids: set[str] | None = field(default_factory=set)
    hashes: dict[str, str] = field(default_factory=dict)  # id -> content hash of its stored record
    problems: list[str] = field(default_factory=list)
    texts: bool = False  # the index stores page texts (schema 5 or older)

    @property
    def healthy(self) -> bool:
        return self.exists and not self.problems

    @property
    def can_fill_store(self) -> bool:
        """Whether a document store can be filled from this index without losing text."""
        return self.texts or self.documents == 0


def inspect(data_dir: Path) -> IndexReport:
    """Read every segment of the live index of ``data_dir``."""
    path = store.current_dir(data_dir)
    report = IndexReport(path)
    if not whoosh_index.exists_in(str(path)):
        report.exists, report.ids = False, None
        return report
    try:
        ix = whoosh_compat.open_dir(path)
        segments = whoosh_compat.segments(ix)
    except Exception as exc:  # noqa: BLE001 - whatever Whoosh raises, the index is unreadable
        report.problems.append(f"index niet te openen: {_describe(exc)}")
        report.ids = None
        return report
    report.segments = len(segments)
    report.texts = LEGACY_TEXT_FIELD in ix.schema
    for segment in segments:
        _read_segment(ix, segment, report)
    return report


def assert_openable(data_dir: Path) -> None:
    """Open every segment of the live index (cheap: each file's directory, no postings);
    raises :class:`IndexDamaged` with what to do when one cannot be opened."""
    path = store.current_dir(data_dir)
    if not whoosh_index.exists_in(str(path)):
        return
    try:
        whoosh_compat.open_dir(path).reader().close()
    except Exception as exc:  # noqa: BLE001 - whatever Whoosh raises, the index is unreadable
        raise IndexDamaged(damaged_message(exc)) from exc


def damaged_message(exc: BaseException) -> str:
    return (f"de index is beschadigd ({_describe(exc)}): `indexer check` zegt wat er mis is, "
            "`indexer check --repair` bouwt hem opnieuw op uit de documentopslag")


def _read_segment(ix: Index, segment: object, report: IndexReport) -> None:
    name = f"segment {segment.segment_id()}"  # type: ignore[attr-defined]
    try:
        reader = SegmentReader(ix.storage, ix.schema, segment)
    except Exception as exc:  # noqa: BLE001
        report.problems.append(f"{name} niet te lezen: {_describe(exc)}")
        report.ids = None
        return
    try:
        _read_documents(reader, name, report)
        sum(1 for _ in reader.all_terms())  # the term dictionary, to its end
    except Exception as exc:  # noqa: BLE001
        report.problems.append(f"{name} niet te lezen: {_describe(exc)}")
        report.ids = None
    finally:
        reader.close()


def _read_documents(reader: SegmentReader, name: str, report: IndexReport) -> None:
    for docnum in reader.all_doc_ids():
        fields = reader.stored_fields(docnum)
        doc_id = fields.get("id", "")
        if any(key not in fields for key in REQUIRED_STORED) or not any(key in fields for key in HASH_OR_RECORD):
            report.problems.append(f"{name}: document {docnum} mist opgeslagen velden")
            continue
        try:
            report.hashes[doc_id] = stored_hash(fields)
        except (ValueError, AttributeError) as exc:
            report.problems.append(f"{name}: opgeslagen record van {doc_id} niet te lezen ({exc})")
        report.documents += 1
        if report.ids is not None:
            if doc_id in report.ids:
                report.problems.append(f"{name}: {doc_id} staat twee keer in de index")
            report.ids.add(doc_id)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
