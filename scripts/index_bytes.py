"""Where an index's bytes are: per file kind inside the segments, and within Whoosh's
postings (``pst``) what the blocks spend on headers, docnums, weights and positions.

    .venv/bin/python scripts/index_bytes.py INDEX_DIR [--json]
    .venv/bin/python scripts/index_bytes.py INDEX_DIR --rewrite OUT_DIR --codec w3|compact

The second form copies the index into one new segment written with the given codec
(Whoosh's ``add_reader``: the same documents, terms and postings), so two codecs can be
compared on the same data; docs/index-size.md gives the figures of the real motions.
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import sys
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.compound import CompoundStorage
from whoosh.reading import SegmentReader

from indexer.index import compact_codec, whoosh_compat
from indexer.index.compact_codec import CompactCodec
from indexer.index.merge_policy import add_exactly

CODECS = {"w3": W3Codec, "compact": CompactCodec}
W3_MAGIC = 4


def file_kinds(path: Path) -> Counter[str]:
    """Bytes per file kind (``pst``, ``trm``, ``col`` per column, ``bzpost``, …) in an index dir."""
    sizes: Counter[str] = Counter()
    ix = whoosh_compat.open_dir(path)
    for segment in whoosh_compat.segments(ix):
        name = segment.make_filename(".seg")
        if not ix.storage.file_exists(name):
            for sub in ix.storage.list():
                if sub.startswith(f"{segment.indexname}_{segment.segid}"):
                    sizes[_kind(sub)] += ix.storage.file_length(sub)
            continue
        compound = CompoundStorage(ix.storage.open_file(name))
        for sub in compound.list():
            sizes[_kind(sub)] += compound.file_length(sub)
    for file in path.iterdir():
        if file.suffix in (".bzpost", ".toc") or file.name.startswith("_"):
            sizes[file.suffix.lstrip(".") or file.name] += file.stat().st_size
    return sizes


def _kind(name: str) -> str:
    parts = name.split(".", 1)[1] if "." in name else name
    return parts if not parts.endswith(".col") else "col:" + parts[:-4]


def w3_postings(path: Path) -> dict[str, Any]:
    """The W3 postings' bytes by part, summed over every term of every segment."""
    parts: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    ix = whoosh_compat.open_dir(path)
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            for (fieldname, text), info in leaf._terms.items():  # noqa: SLF001 - a measuring script
                if info.is_inlined():
                    continue
                matcher = leaf._terms.matcher(fieldname, text, leaf.schema[fieldname].format)  # noqa: SLF001
                length = _extent_length(info)
                fields[fieldname] += length
                if type(matcher).__name__ != "W3LeafMatcher":
                    parts["compact"] += length
                    continue
                parts["magic"] += W3_MAGIC
                _measure_blocks(matcher, parts)
    return {"parts": dict(parts), "fields": dict(fields.most_common())}


def _extent_length(info: Any) -> int:
    length = info.extent()[1]
    return int(length[0] if isinstance(length, tuple) else length)  # W3 reads it back as a 1-tuple


def _measure_blocks(matcher: Any, parts: Counter[str]) -> None:
    while matcher.is_active():
        data_bytes = matcher._nextoffset - matcher._dataoffset  # noqa: SLF001
        parts["block length + info"] += matcher._dataoffset - matcher._goto_position  # noqa: SLF001
        parts["data, compressed"] += data_bytes
        raw = matcher._postfile.get(matcher._dataoffset, data_bytes)  # noqa: SLF001
        ids, weights, values = pickle.loads(zlib.decompress(raw) if matcher._compression else raw)  # noqa: SLF001
        parts["data, uncompressed"] += len(zlib.decompress(raw)) if matcher._compression else len(raw)  # noqa: SLF001
        parts["pickled docnum gaps"] += len(pickle.dumps(ids, 2))
        parts["pickled weights"] += len(pickle.dumps(weights, 2))
        parts["pickled values (positions)"] += len(pickle.dumps(values, 2))
        parts["postings"] += len(ids)
        matcher._next_block()  # noqa: SLF001


def _track_positions() -> None:
    """Let the W3 matcher remember where its current block starts (for the header's size)."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    original = W3LeafMatcher._goto  # noqa: SLF001

    def goto(self: Any, position: int) -> None:
        self._goto_position = position
        original(self, position)

    W3LeafMatcher._goto = goto  # noqa: SLF001


def rewrite(source: Path, target: Path, codec: str) -> None:
    """Copy the index at ``source`` into one segment at ``target`` written with ``codec``."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    ix = whoosh_compat.open_dir(source)
    out = whoosh_index.create_in(str(target), ix.schema)
    writer = out.writer(codec=CODECS[codec]())
    for segment in whoosh_compat.segments(ix):
        with SegmentReader(ix.storage, ix.schema, segment) as reader:
            add_exactly(writer, reader)
    writer.commit(merge=False)
    for file in source.iterdir():
        if file.name == "bronzoeker-schema.json":
            shutil.copy(file, target / file.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--rewrite", type=Path)
    parser.add_argument("--codec", choices=sorted(CODECS), default="compact")
    args = parser.parse_args(argv)
    compact_codec.install()
    if args.rewrite:
        rewrite(args.index, args.rewrite, args.codec)
        return 0
    _track_positions()
    report = {"files": dict(file_kinds(args.index).most_common()), "postings": w3_postings(args.index)}
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
