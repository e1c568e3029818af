"""A pool whose workers run ahead (``depth`` records sent to each before a result is taken):
the same documents in the same order as one record at a time, the same guards and failure
reasons, and a failed worker's queued records extracted again by a new worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.extract import ExtractionError, extract, guarded
from indexer.model import Record
from indexer.settings import ExtractionSettings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MOTIONS = sorted((FIXTURES / "bulk-sample").glob("*.xml"))[:12]
HOSTILE = FIXTURES / "extract" / "hostile"


def record(path: Path) -> Record:
    return Record(source="run-ahead", native_id=path.stem, url=path.as_uri(), body=path.read_bytes())


def outcome(pending: guarded.Pending) -> str:
    """The document's id, or the failure's reason."""
    try:
        return pending.result().id
    except ExtractionError as exc:
        return exc.reason


@pytest.fixture
def pool() -> Iterator[guarded.Pool]:
    made = guarded.Pool(2, depth=4)
    yield made
    made.shutdown()


def test_workers_run_ahead_and_give_every_document_as_extract_does(pool: guarded.Pool) -> None:
    pending = []
    for path in MOTIONS[:8]:
        assert not pool.full()
        pending.append(pool.submit(record(path), fetched_at="x"))
    assert pool.full()  # 2 workers x 4 records
    with pytest.raises(RuntimeError, match="take a result first"):
        pool.submit(record(MOTIONS[8]))
    assert [len(worker.jobs) for worker in pool._workers] == [4, 4]
    assert pending[5].result() == extract(record(MOTIONS[5]), fetched_at="x")  # any order
    assert [p.result() for p in pending] == [extract(record(path), fetched_at="x") for path in MOTIONS[:8]]
    assert not pool.full()


def test_a_failure_in_the_queue_is_that_document_s_and_a_new_worker_takes_the_rest() -> None:
    one = guarded.Pool(1, depth=5)
    try:
        paths = [MOTIONS[0], HOSTILE / "encrypted.pdf", MOTIONS[1], MOTIONS[2]]
        pending = [one.submit(record(path)) for path in paths]
        first = one._workers[0]
        assert [outcome(p) for p in pending] == [extract(record(MOTIONS[0])).id, "encrypted PDF",
                                                 extract(record(MOTIONS[1])).id, extract(record(MOTIONS[2])).id]
        assert one._workers[0] is not first and not first.process.is_alive()
        assert pending[2].worker is one._workers[0]  # extracted again after the failure
    finally:
        one.shutdown()


def test_a_timeout_counts_from_when_the_worker_starts_the_record() -> None:
    """The bomb's 1 s start when the worker reaches it, not when it was sent behind others;
    the worker is then killed and the motions queued behind it come from a new one."""
    one = guarded.Pool(1, depth=6)
    settings = ExtractionSettings(extract_timeout=1, extract_memory_mb=16_000)
    try:
        before = [one.submit(record(path), settings) for path in MOTIONS[:3]]
        bomb = one.submit(record(HOSTILE / "deflate-bomb.pdf"), settings)
        after = [one.submit(record(path), settings) for path in MOTIONS[3:5]]
        assert [outcome(p) for p in before] == [extract(record(path)).id for path in MOTIONS[:3]]
        assert outcome(bomb) == "timed out after 1 s"
        assert [outcome(p) for p in after] == [extract(record(path)).id for path in MOTIONS[3:5]]
        assert len(one._workers) == 1 and one._workers[0].process.is_alive()
    finally:
        one.shutdown()


def test_large_records_waiting_make_the_pool_full_before_its_depth(pool: guarded.Pool) -> None:
    pool.max_bytes = 2 * len(MOTIONS[0].read_bytes())
    pending = [pool.submit(record(MOTIONS[0]))]
    while not pool.full():
        pending.append(pool.submit(record(MOTIONS[len(pending)])))
    assert len(pending) < 8
    pending[0].result()
    assert pool._queued_bytes == sum(len(p.record.body) for p in pending[1:])


def test_a_worker_is_replaced_after_its_quota_of_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guarded, "RECYCLE_AFTER", 3)
    one = guarded.Pool(1, depth=2)
    try:
        pending = [one.submit(record(MOTIONS[0])), one.submit(record(MOTIONS[1]))]
        for path in MOTIONS[2:7]:
            pending[-2].result()
            pending.append(one.submit(record(path)))
        assert [p.result().id for p in pending] == [extract(record(path)).id for path in MOTIONS[:7]]
        workers = [p.worker for p in pending]
        assert [workers.count(w) for w in dict.fromkeys(workers)] == [3, 3, 1]
        assert one._workers == [workers[-1]]  # the used-up ones were stopped once their queues were empty
        assert not any(w.process.is_alive() for w in workers[:6])
    finally:
        one.shutdown()
