"""CPU per document of each ingest step, measured with ``time.process_time`` wrappers.

``python scripts/profile_ingest.py XML_FOLDER [--docs N] [--workers W] [--part crawl|workers|commit]``

The crawl process (``--part crawl``): ``run_crawl`` of a folder source over the first N XMLs (as
``bench/ingest.py`` runs it), with the steps of the index commit (Whoosh's pool sort, the
postings loop, block writing, the term table) and of the crawl wrapped. The workers' work (``--part
workers``): extraction, the document's fields, their analysis and the pickle that carries them, over the
same files in this one process (a worker does exactly this per document). Both by default.
``--part commit``: Whoosh's ``add_document`` and commit alone, over analysed documents in
batches of 1,000 with no merges, split into the commit's steps. Wrappers, not
cProfile: cProfile slows the many small Python calls several times and misleads
(docs/ingest.md). Times are inclusive: a wrapped step inside another counts in both.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

CPU: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def timed(owner: Any, name: str, label: str) -> None:
    """Replace ``owner.name`` with a wrapper adding its CPU time to ``CPU[label]`` (nothing
    when the code measured has no such step)."""
    original = getattr(owner, name, None) if owner is not None else None
    if original is None:
        return

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            CPU[label] += time.process_time() - started
            CALLS[label] += 1

    setattr(owner, name, wrapper)


def _crawl_steps() -> None:
    from whoosh.filedb import filetables
    from whoosh.writing import PostingPool, SegmentWriter

    from indexer import pipeline
    from indexer.docstore.sqlite_store import SqliteDocumentStore
    from indexer.extract import guarded
    from indexer.index import (
        compact_blocks,
        compact_codec,
        compact_terms,
        flat_postings_writer,
        table_terms,
        term_table,
        whoosh_compat,
        writer,
    )

    segment_postings = _optional("indexer.index.segment_postings")

    for owner, name, label in [
        (SegmentWriter, "add_document", "add_document"),
        (SegmentWriter, "commit", "commit"),
        (SegmentWriter, "_merge_segments", "commit: merges"),
        (SegmentWriter, "_flush_segment", "commit: flush segment"),
        (PostingPool, "iter_postings", "commit: sort the pool"),
        (whoosh_compat, "_add_postings", "commit: postings loop (all below)"),
        (segment_postings, "write_postings", "postings: fast path (all below)"),
        (compact_codec.CompactPostingsWriter, "_write_block", "postings: write blocks"),
        (compact_blocks, "encode", "postings: block encode (compact_blocks)"),
        (compact_blocks, "_position_gaps", "postings: position values checked"),
        (table_terms.TableFieldWriter, "finish_term", "postings: finish_term (incl. blocks, row)"),
        (table_terms.TableFieldWriter, "start_term", "postings: start_term"),
        (compact_terms, "encode_statistics", "postings: term statistics encode"),
        (term_table.TermTableWriter, "add", "postings: term table add"),
        (filetables.OrderedHashWriter, "add", "postings: term table add (W3)"),
        (SegmentWriter, "_close_segment", "commit: close segment"),
        (SqliteDocumentStore, "apply", "document store: apply"),
        (SqliteDocumentStore, "stage", "document store: stage"),
        (SegmentWriter, "update_document", "update_document (delete + add_document)"),
        (guarded.Pool, "submit", "send the record to a worker"),
        (pipeline.SourceRun, "_committed", "crawl state rows"),
        (flat_postings_writer, "write_missing", "flat postings"),
        (pipeline.SourceRun, "_fetch", "fetch (read, hash, state)"),
        (pipeline.InFlight, "wait", "wait for + receive the worker result"),
        (pipeline.SourceRun, "_parse", "parse"),
        (pipeline.SourceRun, "_upsert", "upsert (writer, store, state rows)"),
    ]:
        timed(owner, name, label)
    del writer


def crawl_process(folder: Path, workers: int) -> tuple[int, float]:
    from indexer.config import load_config
    from indexer.pipeline import run_crawl

    _crawl_steps()
    target = Path(tempfile.mkdtemp(prefix="profile-ingest-"))
    try:
        config = target / "ingest.toml"
        config.write_text(f'[settings]\nextract_workers = {workers}\n\n[[source]]\nname = "kst-moties"\n'
                          f'kind = "folder"\npath = "{folder}"\n', encoding="utf-8")
        started = time.process_time()
        summary = run_crawl(load_config(config), target / "data", log=lambda line: None)
        total = time.process_time() - started
        return sum(s.new + s.changed for s in summary.sources), total
    finally:
        shutil.rmtree(target, ignore_errors=True)


def worker_steps(paths: list[Path]) -> tuple[int, float]:
    from indexer.citekeys import canonical_keys
    from indexer.extract import ExtractionError, extract
    from indexer.index import analysed
    from indexer.index.schema import document_fields

    analysed.warm_up()
    schema, terms = analysed._schema(), analysed._terms()  # noqa: SLF001
    steps: dict[str, Callable[..., Any]] = {
        "extract": lambda record: extract(record),
        "document_fields": lambda doc: document_fields(doc, canonical_keys(doc)),
        "analyse (term plans)": lambda fields: analysed.analyse(schema, fields, terms),
        "pickle (doc, fields)": lambda pair: pickle.dumps(pair, protocol=pickle.HIGHEST_PROTOCOL),
        "unpickle (crawl process)": pickle.loads,
    }
    done, started = 0, time.process_time()
    for path in paths:
        record = _record(path)
        try:
            doc = _step(steps, "extract", record)
        except ExtractionError:
            continue
        fields = _step(steps, "analyse (term plans)", _step(steps, "document_fields", doc))
        data = _step(steps, "pickle (doc, fields)", (doc, fields))
        CPU["pickle bytes"] += len(data)
        _step(steps, "unpickle (crawl process)", data)
        done += 1
    return done, time.process_time() - started


def commit_cost(paths: list[Path], batch: int) -> None:
    """add_document + commit of analysed documents in batches, twice (no merges: each batch
    its own segment)."""
    from indexer.citekeys import canonical_keys
    from indexer.extract import ExtractionError, extract
    from indexer.index import store, whoosh_compat
    from indexer.index.analysed import index_fields

    fields = []
    for path in paths:
        record = _record(path)
        try:
            fields.append(index_fields(extract(record), canonical_keys))
        except ExtractionError:
            continue
    _commit_steps()
    for _ in range(2):  # twice: on a shared machine one run alone says little
        target = Path(tempfile.mkdtemp(prefix="profile-commit-"))
        ix, added, committed = store.create_at(target), 0.0, 0.0
        for start in range(0, len(fields), batch):
            writer = whoosh_compat.cache_field_lengths(ix.writer())
            began = time.process_time()
            for one in fields[start: start + batch]:
                writer.add_document(**one)
            middle = time.process_time()
            writer.commit(merge=False)
            added, committed = added + middle - began, committed + time.process_time() - middle
        shutil.rmtree(target, ignore_errors=True)
        print(f"  add_document {added * 1000 / len(fields):.3f}, "
              f"commit {committed * 1000 / len(fields):.3f} ms/doc")
        report("   of which", len(fields), committed, sorted(CPU))
        CPU.clear()


def _commit_steps() -> None:
    from whoosh.codec import whoosh3
    from whoosh.writing import PostingPool, SegmentWriter

    from indexer.index import (
        compact_blocks,
        compact_codec,
        compact_terms,
        table_terms,
        term_table,
        whoosh_compat,
    )

    segment_postings = _optional("indexer.index.segment_postings")

    # the overrides the crawl's writer calls (TableFieldWriter, CompactPostingsWriter), not W3's
    for owner, name, label in [
        (PostingPool, "iter_postings", "sort the pool"),
        (whoosh_compat, "_add_postings", "postings loop (all below)"),
        (segment_postings, "write_postings", "fast path (all below)"),
        (compact_codec.CompactPostingsWriter, "_write_block", "term: write its block"),
        (compact_blocks, "encode", "block encode (compact_blocks)"),
        (table_terms.TableFieldWriter, "finish_term", "term: finish (incl. block, table)"),
        (table_terms.TableFieldWriter, "start_term", "term: start"),
        (compact_terms, "encode_statistics", "term: statistics encode"),
        (term_table.TermTableWriter, "add", "term: table row"),
        (whoosh3.W3PerDocWriter, "close", "per-document files: close"),
        (whoosh3.W3FieldWriter, "close", "term table + postings file: close"),
        (SegmentWriter, "_assemble_segment", "compound file"),
        (SegmentWriter, "_commit_toc", "TOC"),
    ]:
        timed(owner, name, label)


def _optional(name: str) -> Any:
    """A module the code measured may not have (an older checkout, compared back to back)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _record(path: Path) -> Any:
    """A folder source's record of one motion's XML."""
    from indexer.model import Record

    return Record(source="kst-moties", native_id=path.stem, url=path.resolve().as_uri(),
                  body=path.read_bytes(), file_url=path.resolve().as_uri())


def _step(steps: dict[str, Callable[..., Any]], label: str, arg: Any) -> Any:
    started = time.process_time()
    result = steps[label](arg)
    CPU[label] += time.process_time() - started
    return result


def report(title: str, docs: int, total: float, labels: list[str]) -> None:
    print(f"\n{title}: {docs} documents, {total * 1000 / docs:.2f} ms CPU per document in all")
    for label in labels:
        if label in CPU:
            value = CPU[label] * 1000 / docs
            print(f"  {label:45s} {value:8.3f} ms/doc  ({CALLS.get(label, 0)} calls)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--part", choices=("crawl", "workers", "both", "commit"), default="both")
    args = parser.parse_args(argv)
    paths = sorted(args.folder.rglob("*.xml"))[: args.docs]
    folder = Path(tempfile.mkdtemp(prefix="profile-xml-"))
    for path in paths:
        os.link(path, folder / path.name)  # the folder source refuses links out of its folder
    if args.part == "commit":
        commit_cost(paths, 1000)
    if args.part in ("workers", "both"):
        docs, total = worker_steps(paths)
        report("extraction worker's work (one process)", docs, total,
               ["extract", "document_fields", "analyse (term plans)", "pickle (doc, fields)",
                "unpickle (crawl process)"])
        print(f"  pickle size: {CPU['pickle bytes'] / docs / 1024:.1f} KB per document")
        CPU.clear()
    if args.part in ("crawl", "both"):
        docs, total = crawl_process(folder, args.workers)
        report("crawl process", docs, total, sorted(CPU))
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
