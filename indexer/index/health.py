"""Reading the whole live index once to find damage: every segment opened, every stored
id and hash read, every term read; and the ids it holds, to compare with the document store.

Whoosh notices a truncated or garbled segment only when a query touches it (and then as
an ``EOFError`` that click reports as "Aborted!"); this is the deliberate full read that
``indexer check`` does, so damage is found before a user finds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.reading import SegmentReader

from indexer.index import store, whoosh_compat
from indexer.index.docstore_sync import IndexDamaged
from indexer.index.schema import LEGACY_TEXT_FIELD
from indexer.index.stored_fields import ids_and_hashes


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
        reader.stored_fields(docnum)  # every stored record read (empty since schema 12; id and hash up to 11)
    for docnum, doc_id, content_hash in _ids_and_hashes(reader, name, report):
        if doc_id is None or content_hash is None:
            report.problems.append(f"{name}: document {docnum} mist opgeslagen velden")
            continue
        report.hashes[doc_id] = content_hash
        report.documents += 1
        if report.ids is not None:
            if doc_id in report.ids:
                report.problems.append(f"{name}: {doc_id} staat twee keer in de index")
            report.ids.add(doc_id)


def _ids_and_hashes(reader: SegmentReader, name: str,
                    report: IndexReport) -> Iterator[tuple[int, str | None, str | None]]:
    """Each live document's id and hash (a garbled legacy record reported, not raised)."""
    try:
        yield from ids_and_hashes(reader, reader.all_doc_ids())
    except (ValueError, AttributeError) as exc:
        report.problems.append(f"{name}: opgeslagen record niet te lezen ({exc})")


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
