"""The compact postings codec (indexer.index.compact_codec) keeps exactly what Whoosh's W3
codec keeps: every field, term, posting, weight and position, read back through Whoosh's
matchers and through the block arrays the search reads, on real documents (the bundled
corpus and the bulk sample of real motions) and on every posting format Whoosh has."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.reading import SegmentReader

from indexer.index import compact_blocks, store, varints, whoosh_compat
from indexer.index.compact_codec import CompactCodec, CompactLeafMatcher, TableCodec
from indexer.index.merge_policy import add_exactly
from indexer.index.postings import blocks
from tests.crawl_helpers import crawl, write_config

BULK = Path(__file__).resolve().parent / "fixtures" / "bulk-sample"


def rewrite(source: Any, target: Path, codec: Any) -> Any:
    """The index ``source`` copied into one segment at ``target``, written with ``codec``."""
    target.mkdir(parents=True)
    out = whoosh_index.create_in(str(target), source.schema)
    writer = out.writer(codec=codec)
    for segment in whoosh_compat.segments(source):
        with SegmentReader(source.storage, source.schema, segment) as reader:
            add_exactly(writer, reader)
    writer.commit(merge=False)
    return whoosh_index.open_dir(str(target))


def everything(ix: Any) -> dict[tuple[str, bytes], Any]:
    """(field, term) -> term statistics and every posting as (docnum, weight, value bytes)."""
    out = {}
    with ix.reader() as reader:
        for field, term in reader.all_terms():
            info = reader.term_info(field, term)
            matcher = reader.postings(field, term)
            rows = []
            while matcher.is_active():
                rows.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight())
            out[(field, term)] = (stats, rows)
    return out


def block_arrays(ix: Any) -> dict[tuple[str, bytes], tuple[list[int], list[float], list[Any]]]:
    """The same postings as the search reads them: whole blocks as arrays."""
    out = {}
    with ix.reader() as reader:
        for field, term in reader.all_terms():
            ids, weights, values = [], [], []
            for block_ids, block_weights, block_values in blocks(reader.postings(field, term)):
                ids += block_ids.tolist()
                weights += block_weights.tolist()
                values += list(block_values) if block_values is not None else [None] * len(block_ids)
            out[(field, term)] = (ids, weights, values)
    return out


def postings_bytes(ix: Any) -> int:
    return sum(_pst(ix, segment) for segment in whoosh_compat.segments(ix))


def _pst(ix: Any, segment: Any) -> int:
    from whoosh.filedb.compound import CompoundStorage

    return int(CompoundStorage(ix.storage.open_file(segment.make_filename(".seg"))).file_length(
        segment.make_filename(".pst")))


def assert_same(source: Any, tmp_path: Path) -> tuple[Any, Any]:
    w3 = rewrite(source, tmp_path / "w3", W3Codec())
    compact = rewrite(source, tmp_path / "compact", CompactCodec())
    expected, found = everything(w3), everything(compact)
    assert found.keys() == expected.keys()
    differing = [key for key in expected if found[key] != expected[key]]
    assert not differing, differing[:10]
    expected_blocks, found_blocks = block_arrays(w3), block_arrays(compact)
    differing = [key for key in expected_blocks if found_blocks[key] != expected_blocks[key]]
    assert not differing, differing[:10]
    with w3.reader() as a, compact.reader() as b:
        assert list(a.iter_docs()) == list(b.iter_docs())
    return w3, compact


def test_the_bundled_corpus_reads_back_as_with_w3(demo_data: Path, tmp_path: Path) -> None:
    source = store.open_index(demo_data)
    w3, compact = assert_same(source, tmp_path)
    assert len(everything(w3)) > 20_000
    assert postings_bytes(compact) < postings_bytes(w3) / 2


def test_the_real_motions_read_back_as_with_w3(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(BULK, docs)
    crawled = tmp_path / "crawled"
    summary, _ = crawl(write_config(tmp_path / "bulk.toml", [{"name": "map", "kind": "folder", "path": str(docs)}],
                                    batch_size=100), crawled)
    assert summary.sources[0].new >= 290
    w3, compact = assert_same(store.open_index(crawled), tmp_path)
    # the bulk sample's figures (docs/index-size.md): the postings take less than a third
    assert postings_bytes(compact) < postings_bytes(w3) / 3


def test_an_index_the_project_creates_writes_term_table_segments(demo_data: Path) -> None:
    ix = store.open_index(demo_data)
    assert {type(segment.codec()) for segment in whoosh_compat.segments(ix)} == {TableCodec}
    with ix.reader() as reader:
        leaf = next(iter(reader.leaf_readers()))[0]
        assert isinstance(whoosh_compat.block_matcher(leaf.postings("body_nl", "uitbuiting")), CompactLeafMatcher)


def test_every_whoosh_posting_format_reads_back_as_with_w3(tmp_path: Path) -> None:
    """Frequencies, positions, characters (kept as opaque bytes), no values, numbers,
    fractional and large weights, long posting lists over several blocks, deletions."""
    schema = Schema(key=ID(stored=True), tags=KEYWORD(scorable=True), text=TEXT(phrase=True, field_boost=1.5),
                    chars=TEXT(chars=True), plain=TEXT(phrase=False), number=NUMERIC(stored=True))
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    source = whoosh_index.create_in(str(source_dir), schema)
    writer = source.writer()
    for i in range(700):
        words = " ".join(["alpha"] * (1 + i % 5) + ["beta"] * (i % 300) + [f"w{i % 37}", f"solo{i}"])
        writer.add_document(key=f"d{i}", tags=f"t{i % 3} t{i % 7}", text=words, chars=words, plain=words,
                            number=i * 1_000_003)
    writer.commit()
    writer = source.writer()
    writer.delete_by_term("key", "d5")
    writer.commit(merge=False)
    assert_same(source, tmp_path)


@pytest.mark.parametrize("numbers", [[0], [127, 128, 16_383, 16_384], [2**32 - 1, 2**40, 2**63 + 5], list(range(300)),
                                     [2**40 + i for i in range(100)]])
def test_varints_round_trip(numbers: list[int]) -> None:
    data = varints.encode(np.asarray(numbers, dtype=np.uint64))
    decoded, used = varints.decode(data + b"\x01\x02", len(numbers))
    assert decoded.tolist() == numbers and used == len(data)


def test_a_positions_value_that_is_not_whooshs_encoding_is_kept_as_it_is() -> None:
    from whoosh.formats import Positions

    fmt = Positions()
    values = [fmt.encode([1, 5, 9]), b"\x00\x00\x00\x01not a pickle"]
    decoded = compact_blocks.decode(compact_blocks.encode([3, 8], [3.0, 1.0], values, fmt), 2, fmt)
    assert decoded[0].tolist() == [3, 8] and decoded[1].tolist() == [3.0, 1.0] and list(decoded[2]) == values


def _positions(gaps: list[int]) -> bytes:
    """A Positions value as Whoosh encodes it: the count, then the pickled gaps."""
    import pickle
    import struct

    return struct.pack("!I", len(gaps)) + pickle.dumps(gaps, 2)


@pytest.mark.parametrize("gaps", [[], [0], [255], [256], [7, 0], [1, 2, 255], [3] * 999, [3] * 1000, [3] * 1001,
                                  [255] * 2 + [256], [70_000], [2**40]])
def test_position_values_read_from_their_bytes_are_what_unpickling_gives(gaps: list[int]) -> None:
    value = _positions(gaps)
    fast = compact_blocks._small_gaps(value)
    assert fast is None or fast == gaps  # the fast reading takes only what it can read exactly
    assert (fast is not None) == (1 <= len(gaps) <= 1000 and max(gaps) < 256)
    assert compact_blocks._checked_gaps(value) == gaps
    assert compact_blocks._position_gaps([value, _positions([1])]) == [len(gaps), 1, *gaps, 1]


@pytest.mark.parametrize("value", [
    _positions([5])[:-1] + b"e",  # APPENDS without a MARK
    _positions([5, 6]).replace(b"(K", b"(M", 1),  # another opcode in the same number of bytes
    b"\x00\x00\x00\x02" + _positions([5])[4:],  # a count that is not the list's length
    b"\x00\x00\x00\x02" + _positions([5, 6, 7])[4:],
    _positions([5, 6])[:9] + b"K" + _positions([5, 6])[10:],  # no MARK
])
def test_a_value_in_no_exact_form_is_not_read_as_one(value: bytes) -> None:
    assert compact_blocks._small_gaps(value) is None
    assert compact_blocks._position_gaps([value]) is None  # stored as opaque bytes, as before


@pytest.mark.parametrize("numbers", [[], [0], [127], [128], [0, 127, 128, 16_383], [16_384], [2**40, 1],
                                     list(range(300)), [5] * 200, [300, 1, 127], [300, 128], [16_383, 0]])
def test_a_blocks_varints_are_what_varints_encode_gives(numbers: list[int]) -> None:
    assert compact_blocks.varint_bytes(list(numbers)) == varints.encode(list(numbers))


@pytest.mark.parametrize("fmt", ["Existence", "Frequency", "Positions", "Characters", "PositionBoosts"])
@pytest.mark.parametrize("weight", [1.0, 2.0, 0.5, 3.25, 17.0, 2.0**25, 0.0, -0.0, -1.0, float("nan"), float("inf")])
@pytest.mark.parametrize("docnum", [0, 5, 200, 70_000])
def test_a_one_posting_block_is_what_encode_makes(fmt: str, weight: float, docnum: int) -> None:
    from whoosh import formats

    format_ = getattr(formats, fmt)()
    for positions in ([3], [1, 5, 300], [0] * 5, list(range(0, 4000, 3))):
        value = _value(format_, positions)
        for given in (value, b"", None):
            expected = compact_blocks.encode([docnum], [weight], [given] if given else [], format_)
            assert compact_blocks.encode_one(docnum, weight, given, format_, format_.fixed_value_size()) == expected


def _value(format_: Any, positions: list[int]) -> bytes:
    """The value bytes ``format_`` writes for a term at these positions."""
    import struct

    from whoosh.formats import Characters, Existence, Frequency, PositionBoosts, Positions

    if isinstance(format_, Characters):
        return bytes(format_.encode([(p, p * 2, p * 2 + 3) for p in positions]))
    if isinstance(format_, PositionBoosts):
        return bytes(format_.encode([(p, 1.5) for p in positions]))
    if isinstance(format_, Positions):
        return bytes(format_.encode(positions))
    if isinstance(format_, Frequency):
        return struct.pack("!I", len(positions))  # Whoosh's pack_uint of the frequency
    assert isinstance(format_, Existence)
    return b""


NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(("weights", "mode"), [
    ([1.0, 1.0], compact_blocks.WEIGHTS_ONE), ([1.0], compact_blocks.WEIGHTS_ONE),
    ([2.0, 2.0], compact_blocks.WEIGHTS_SAME), ([0.0, -0.0], compact_blocks.WEIGHTS_SAME),
    ([INF, INF], compact_blocks.WEIGHTS_SAME), ([0.5], compact_blocks.WEIGHTS_SAME),
    ([1.0, 2.0], compact_blocks.WEIGHTS_WHOLE), ([2.0**24, 1.0, 0.0], compact_blocks.WEIGHTS_WHOLE),
    ([1.0, 2.5], compact_blocks.WEIGHTS_FLOAT), ([2.0**24 + 2, 1.0], compact_blocks.WEIGHTS_FLOAT),
    ([-1.0, 2.0], compact_blocks.WEIGHTS_FLOAT), ([INF, 1.0], compact_blocks.WEIGHTS_FLOAT),
    ([NAN], compact_blocks.WEIGHTS_FLOAT), ([NAN, NAN], compact_blocks.WEIGHTS_FLOAT),
    ([1.0, NAN], compact_blocks.WEIGHTS_FLOAT), ([NAN, 1.0, 1.0], compact_blocks.WEIGHTS_FLOAT),
])
def test_a_blocks_weights_mode_is_the_narrowest_that_keeps_them(weights: list[float], mode: int) -> None:
    """ONE, SAME, WHOLE or FLOAT as the first test that holds for every weight (NaN equals
    nothing, not even the same NaN object), and the weights read back as float32 keeps them."""
    from whoosh.formats import Existence

    data = compact_blocks.encode(list(range(len(weights))), weights, [], Existence())
    assert data[0] & 7 == mode
    back = compact_blocks.decode(data, len(weights), Existence())[1]
    assert np.array_equal(back, np.asarray(weights, dtype=np.float32), equal_nan=True)


def test_every_one_position_value_looked_up_is_what_its_bytes_say() -> None:
    from whoosh.formats import Positions

    for value, gap in compact_blocks._ONE_GAP.items():
        assert value == bytes(Positions().encode([gap])) and compact_blocks._small_gaps(value) == [gap]
    assert len(compact_blocks._ONE_GAP) == 256
