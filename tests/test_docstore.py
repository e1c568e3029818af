"""The document store beside the index: compressed documents by id, a change sequence for
upserts and deletions, written in step with the index, the source of ``index --rebuild``,
and filled from the index of a data directory that predates it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.docstore import STORE_FILE, open_store
from indexer.index import open_writer, rebuild, store
from indexer.index import writer as writer_module
from indexer.index.writer import DocumentWriter
from indexer.model import Document
from tests.crawl_helpers import documents, two_motion_folder

SEED = "kamerstukken:kst-32824-193"


def keys(doc: Document) -> set[str]:
    return set()


def doc(doc_id: str, body: str) -> Document:
    return Document(id=doc_id, source=doc_id.split(":")[0], title=f"Titel {doc_id}", pages=(body, "pagina twee"),
                    content_hash=f"hash-{body}")


@contextmanager
def lock_held_elsewhere(data: Path) -> Iterator[None]:
    """The crawl lock held by another process, as a running crawl holds it (POSIX locks are
    per process: this one could always take it)."""
    code = ("import sys, time; from pathlib import Path; from indexer.fetch.lock import CrawlLock\n"
            "with CrawlLock(Path(sys.argv[1])):\n    print('ready', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(data)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_changes_come_in_sequence_with_deletions_as_tombstones(tmp_path: Path) -> None:
    with closing(open_store(tmp_path)) as docs:
        first = docs.apply({"t:1": doc("t:1", "een"), "t:2": doc("t:2", "twee")})
        second = docs.apply({"t:1": None, "t:3": doc("t:3", "drie")})
        third = docs.apply({"t:2": doc("t:2", "twee bis"), "t:missing": None})
        assert (first, second, third) == (2, 4, 5)  # deleting what is not there is no change
        assert [(c.seq, c.doc_id, c.document and c.document.body) for c in docs.changes(2)] == [
            (3, "t:1", None), (4, "t:3", "drie\fpagina twee"), (5, "t:2", "twee bis\fpagina twee")]
        assert docs.get("t:1") is None and docs.get("t:2") == doc("t:2", "twee bis")
        assert docs.count() == 2 and docs.hashes() == {"t:2": "hash-twee bis", "t:3": "hash-drie"}
    raw = sqlite3.connect(tmp_path / STORE_FILE).execute(
        "SELECT data FROM ids JOIN documents USING (seq) WHERE id='t:3'").fetchone()[0]
    assert b"drie" not in raw  # compressed


def test_the_crawl_keeps_every_document_in_the_store_too(demo_data: Path) -> None:
    indexed = documents(demo_data)
    with closing(open_store(demo_data)) as docs:
        stored = {d.id: d for d in docs.documents()}
        assert docs.last_seq() >= len(stored)
    assert stored == indexed and SEED in stored


def test_rebuild_reads_the_store_not_the_index(tmp_path: Path) -> None:
    with open_writer(tmp_path, keys) as writer:
        for n in range(4):
            writer.upsert(doc(f"t:{n}", f"tekst {n}"))
        writer.delete("t:0")
    for segment in store.current_dir(tmp_path).glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[:100])  # the index is beyond reading
    assert rebuild(tmp_path, keys) == 3
    assert documents(tmp_path) == {f"t:{n}": doc(f"t:{n}", f"tekst {n}") for n in (1, 2, 3)}


def test_a_store_ahead_of_the_index_is_reported_and_the_next_crawl_heals_it(tmp_path: Path,
                                                                            corpus_dir: Path) -> None:
    config = two_motion_folder(tmp_path, corpus_dir)
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    lost = "test:kst-28638-239"
    # a run killed after the store's commit and before the index's: the index lacks the document
    with DocumentWriter(store.open_index(data), keys) as writer:
        writer.delete(lost)
    code, out, _ = run("check", "--data-dir", str(data))
    assert code == 2 and f"1 document(en) in de documentopslag maar niet in de index: {lost}" in out
    with lock_held_elsewhere(data):  # during a crawl the store may be a batch ahead: no damage
        code, out, _ = run("check", "--data-dir", str(data))
    assert code == 0 and out.startswith("let op: er loopt een crawl") and "alles in orde" in out
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0 and "1 nieuw" in err
    assert lost in documents(data) and run("check", "--data-dir", str(data))[0] == 0


def test_a_changed_version_only_in_the_store_is_reported_and_rewritten(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    note = folder / "notitie.txt"
    note.write_text("Eerste versie van de notitie over uitbuiting.\n", encoding="utf-8")
    config = tmp_path / "s.toml"
    config.write_text(f'[[source]]\nname = "test"\nkind = "folder"\npath = "{folder}"\n')
    data = tmp_path / "data"
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    (old,) = documents(data).values()
    note.write_text("Tweede versie van de notitie over uitbuiting.\n", encoding="utf-8")
    assert run("crawl", "--config", str(config), "--data-dir", str(data))[0] == 0
    # a run killed after the store took the new version and before the index did
    with DocumentWriter(store.open_index(data), keys) as writer:
        writer.upsert(old)
    code, out, _ = run("check", "--data-dir", str(data))
    assert code == 2 and f"1 document(en) met een andere versie in de index dan in de documentopslag: {old.id}" in out
    code, _, err = run("crawl", "--config", str(config), "--data-dir", str(data))
    assert code == 0 and "1 gewijzigd" in err
    assert "Tweede versie" in documents(data)[old.id].body and run("check", "--data-dir", str(data))[0] == 0


def test_a_large_batch_goes_to_the_store_as_it_is_written_and_only_its_commit_shows_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the writer hands every STAGE_CHANGES changes to the store's open transaction instead of
    # holding the whole batch until its commit (the build's peak memory at 100,000 documents)
    monkeypatch.setattr(writer_module, "STAGE_CHANGES", 3)
    data = tmp_path / "data"
    for cancelled in (True, False):
        staged = open_store(data)
        writer = DocumentWriter(store.open_or_create(data), keys, batch_size=100, documents=staged)
        for n in range(7):
            writer.upsert(doc(f"t:{n}", f"tekst {n}"))
        assert staged.count() == 6  # two chunks of 3 in the open transaction …
        with closing(open_store(data)) as reader:
            assert reader.count() == 0  # … which nobody else sees
        if cancelled:
            writer.cancel()
            assert staged.count() == 0
        else:
            writer.commit()
        staged.close()
    with closing(open_store(data)) as reader:
        assert reader.count() == 7 and reader.get("t:6") == doc("t:6", "tekst 6")
    assert sorted(documents(data)) == [f"t:{n}" for n in range(7)]
