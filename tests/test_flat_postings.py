"""The flat postings files beside Whoosh's segments: the same postings and positions as
Whoosh's blocks, the same search results with and without them, and never harmful when
missing, stale, damaged or left behind by a merge."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from indexer.citekeys import canonical_keys
from indexer.index import SearchRequest, open_backend, store
from indexer.index import flat_postings as fp
from indexer.index.flat_postings_writer import write_missing
from indexer.index.stopwords import is_marked
from indexer.index.writer import DocumentWriter
from tests.crawl_helpers import copy_index_and_store
from tests.flat_checks import same_as_whoosh

JUDGMENTS = Path(__file__).resolve().parent / "judgments" / "demo.json"
PHRASES = ['"Raad van State"', '"tweede kamer"', '"verzoekt de regering"', '"de regering"~3',
           '"ministerie van justitie en veiligheid"', '"kinderen van roma"', '"trafficking in human beings"']
OTHER = ["minister", "regering -kamer", "kamer OR regering", "kinder*", "mensenhandel jaar:2024", "van de"]


def copy_index(demo_data: Path, target: Path) -> Path:
    return copy_index_and_store(demo_data, target)


def flat_files(data_dir: Path) -> list[Path]:
    return sorted(store.current_dir(data_dir).glob(f"*{fp.SUFFIX}"))


def query_texts() -> list[str]:
    judged = [q["query"] for q in json.loads(JUDGMENTS.read_text())["queries"]]
    return judged + PHRASES + OTHER


def results(data_dir: Path, text: str) -> tuple[int, list[tuple[str, float]], dict]:
    result = open_backend(data_dir).search(SearchRequest(query=text, page_size=100, snippets=False))
    # every hit (not a top 50 cut inside a tie), ties compared by id: a rebuild may change index order
    hits = sorted(((h.document.id, round(h.score, 5)) for h in result.hits), key=lambda hit: (-hit[1], hit[0]))
    return result.total, hits, dict(result.facets)


@pytest.fixture(scope="module")
def flat_data(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo index with a flat file for every term (the demo corpus is too
    small for any term to reach the real threshold)."""
    data_dir = copy_index(demo_data, tmp_path_factory.mktemp("flat"))
    for path in flat_files(data_dir):
        path.unlink()  # written by the crawl with the real threshold: nearly empty
    assert write_missing(store.open_index(data_dir), min_postings=1) >= 1
    return data_dir


def test_every_term_reads_back_as_whoosh_stores_it(flat_data: Path) -> None:
    ix = store.open_index(flat_data)
    flats = fp.FlatPostingsSet(store.current_dir(flat_data))
    checked = marked = 0
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            flat = flats.for_leaf(leaf)
            assert flat is not None
            for fieldname in ("body_nl", "title_nl", "body_en", "author"):
                field = leaf.schema[fieldname]
                for term in list(leaf.lexicon(fieldname)):
                    text = field.from_bytes(term)
                    marked += is_marked(text)  # stop words too: phrases read their positions
                    same_as_whoosh(flat, leaf, fieldname, text)
                    checked += 1
    assert checked > 10_000 and marked > 100


@pytest.mark.parametrize("text", query_texts())
def test_search_results_are_the_same_with_and_without(demo_data: Path, flat_data: Path, text: str) -> None:
    assert results(flat_data, text) == results(demo_data, text)


def test_phrases_are_matched_from_the_flat_positions(flat_data: Path) -> None:
    total, hits, _ = results(flat_data, '"verzoekt de regering"')
    words, _, _ = results(flat_data, "verzoekt regering")
    assert 0 < total < words  # the order matters, not only the words
    backend = open_backend(flat_data)
    for doc_id, _ in hits:
        doc = backend.get(doc_id)
        assert doc is not None and re.search(r"(?i)verzoekt\W+de\W+regering", doc.title + " " + doc.body), doc_id


def test_a_damaged_or_foreign_file_is_ignored(flat_data: Path, tmp_path: Path) -> None:
    data_dir = copy_index(flat_data, tmp_path)
    files = flat_files(data_dir)
    expected = [results(data_dir, text) for text in PHRASES]
    files[0].write_bytes(files[0].read_bytes()[:-64])  # truncated
    for other in files[1:]:
        other.write_bytes(other.read_bytes().replace(b"MAIN_", b"MAIN_x", 1))  # names another segment
    assert [results(data_dir, text) for text in PHRASES] == expected
    ix = store.open_index(data_dir)
    with ix.reader() as reader:
        assert all(fp.FlatPostingsSet(store.current_dir(data_dir)).for_leaf(leaf) is None
                   for leaf, _ in reader.leaf_readers())


def test_the_writer_adds_files_and_a_merge_leaves_none_behind(demo_data: Path, tmp_path: Path) -> None:
    data_dir = copy_index(demo_data, tmp_path)
    ix = store.open_index(data_dir)
    before = {path.name for path in flat_files(data_dir)}
    assert len(before) == len(ix._segments())  # the crawl wrote one per segment
    with DocumentWriter(ix, canonical_keys) as writer:
        doc = open_backend(data_dir).get("kamerstukken:kst-32824-193")
        assert doc is not None
        writer.upsert(doc.replace(title=doc.title + " (herzien)"))
    # the writer's last commit merged the segments into one (indexer.index.merge_policy) and
    # wrote its file; Whoosh's clean-up removed the old segments' files with them
    assert [path.stem for path in flat_files(data_dir)] == [seg.segment_id() for seg in ix._segments()]
    assert len(ix._segments()) == 1 and not before & {path.name for path in flat_files(data_dir)}
    assert results(data_dir, '"uitbuiting van Roma-kinderen"')[0] >= 1


def test_deleted_documents_stay_out(flat_data: Path, tmp_path: Path) -> None:
    data_dir = copy_index(flat_data, tmp_path)
    total, hits, _ = results(data_dir, "mensenhandel")
    gone = hits[0][0]
    with DocumentWriter(store.open_index(data_dir), canonical_keys) as writer:
        writer.delete(gone)
    after_total, after_hits, _ = results(data_dir, "mensenhandel")
    assert after_total == total - 1 and gone not in {doc_id for doc_id, _ in after_hits}


def test_a_reader_finds_a_file_written_after_it_opened(flat_data: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = copy_index(flat_data, tmp_path)
    hidden = [(path, path.with_name(path.name + ".hidden")) for path in flat_files(data_dir)]
    for path, away in hidden:
        path.rename(away)
    flats = fp.FlatPostingsSet(store.current_dir(data_dir))
    with store.open_index(data_dir).reader() as reader:
        leaf = next(iter(reader.leaf_readers()))[0]
        assert flats.for_leaf(leaf) is None
        for path, away in hidden:
            away.rename(path)
        assert flats.for_leaf(leaf) is None  # not looked for again at once
        monkeypatch.setattr(fp, "RETRY_SECONDS", 0.0)
        assert flats.for_leaf(leaf) is not None


def test_narrow_dtypes_only_where_every_value_fits(tmp_path: Path) -> None:
    from indexer.index.flat_postings_writer import Spool

    spools = {name: Spool(tmp_path / name, dtype) for name, dtype in
              [("halves", np.float32), ("tenths", np.float32), ("tiny", np.uint32), ("small", np.uint32),
               ("large", np.uint32)]}
    spools["halves"].append(np.asarray([1.0, 0.5, 3.5, 1024.0]))
    spools["tenths"].append(np.asarray([1.0, 0.1]))
    spools["tiny"].append(np.asarray([0, 255]))
    spools["small"].append(np.asarray([0, 256, 65_535]))
    spools["large"].append(np.asarray([3, 65_536]))
    assert {name: spool.final_dtype() for name, spool in spools.items()} == {
        "halves": np.float16, "tenths": np.float32, "tiny": np.uint8, "small": np.uint16, "large": np.uint32}
    assert np.array_equal(np.concatenate(list(spools["tenths"].chunks())), np.asarray([1.0, 0.1], dtype=np.float32))
    for spool in spools.values():
        spool.remove()
    assert not list(tmp_path.iterdir())


def test_a_failed_write_leaves_no_temporary_files(flat_data: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from indexer.index import flat_postings_writer

    data_dir = copy_index(flat_data, tmp_path)
    for path in flat_files(data_dir):
        path.unlink()

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(flat_postings_writer, "_write_file", disk_full)
    assert write_missing(store.open_index(data_dir), min_postings=1) == 0
    assert sorted(p.name for p in store.current_dir(data_dir).iterdir() if "bzpost" in p.name) == []
    assert results(data_dir, '"tweede kamer"') == results(flat_data, '"tweede kamer"')


def test_a_rebuilt_index_has_its_files_before_it_is_published(demo_data: Path, tmp_path: Path) -> None:
    from indexer.index import rebuild

    data_dir = copy_index(demo_data, tmp_path)
    expected = results(data_dir, '"tweede kamer"')
    rebuild(data_dir, canonical_keys)
    ix = store.open_index(data_dir)
    assert [path.stem for path in flat_files(data_dir)] == [seg.segment_id() for seg in ix._segments()]
    assert results(data_dir, '"tweede kamer"') == expected
