"""The fan-out: the local index and the chosen remotes are asked in parallel.

Every endpoint runs in its own thread with its own limit (the remote's timeout,
never beyond the global deadline; the local index has the deadline). Whatever has not
answered by its limit is reported as timed out and left behind (its thread ends on
its socket timeout); errors are reported with their reason. Nothing an endpoint does
can fail the whole query.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from indexer.federation.config import LOCAL, FederationSettings, RemoteConfig
from indexer.federation.cql import EmptyQuery
from indexer.federation.fusion import facets, fuse, passes
from indexer.federation.http import RemoteError, RemoteTimeout
from indexer.federation.kinds import KINDS
from indexer.federation.model import (
    STATUS_ERROR,
    STATUS_OK,
    STATUS_SKIPPED,
    STATUS_TIMEOUT,
    EndpointReport,
    FederatedResult,
    RemoteAnswer,
    SourceHit,
)
from indexer.federation.safe import UnsafeAnswer
from indexer.index.backend import SearchBackend, SearchRequest
from indexer.index.store import IndexMissing


@dataclass(frozen=True)
class _Task:
    name: str
    kind: str
    label: str
    limit: float  # seconds after the start
    run: Callable[[], RemoteAnswer]


def federated_search(request: SearchRequest, backend: SearchBackend | None, remotes: Sequence[RemoteConfig],
                     settings: FederationSettings | None = None) -> FederatedResult:
    """Ask ``backend`` (None: no local index) and ``remotes`` at once; fuse what came back in time.

    Every endpoint is asked for its first ``page x page_size`` hits at least (the
    configured numbers otherwise), so the merged list reaches the requested page; its
    facet filters are applied to the merged list as well."""
    settings = settings or FederationSettings()
    depth = replace(request, page=1, page_size=request.page * request.page_size)
    tasks = _tasks(depth, backend, remotes, settings)
    started = time.monotonic()
    reports, answers = _run(tasks, started)
    weights = {LOCAL: settings.local_weight, **{r.name: r.weight for r in remotes}}
    fused = fuse({name: answers[name].hits for name in answers}, weights, settings.rrf_k)
    hits = [hit for hit in fused if passes(hit.document, request.filters)]
    order = {task.name: i for i, task in enumerate(tasks)}
    return FederatedResult(
        query=request.query, hits=tuple(hits), facets=facets(fused, request.filters),
        reports=tuple(sorted(reports, key=lambda r: order[r.name])),
        elapsed_ms=_ms(time.monotonic() - started), deadline_ms=_ms(settings.deadline),
        complete=all(answer.total <= len(answer.hits) for answer in answers.values()))


def _tasks(request: SearchRequest, backend: SearchBackend | None, remotes: Sequence[RemoteConfig],
           settings: FederationSettings) -> list[_Task]:
    tasks = []
    if backend is not None:
        local_request = replace(request, page=1, page_size=max(settings.local_hits, request.page_size), facets=False)
        tasks.append(_Task(LOCAL, "lokaal", "deze index", settings.deadline,
                           lambda: local_answer(backend, local_request)))
    for remote in remotes:
        tasks.append(_Task(remote.name, remote.kind, remote.display_name, min(remote.timeout, settings.deadline),
                           _bind(KINDS[remote.kind], remote, request)))
    return tasks


def _bind(search: Callable[[RemoteConfig, SearchRequest], RemoteAnswer], remote: RemoteConfig,
          request: SearchRequest) -> Callable[[], RemoteAnswer]:
    return lambda: search(remote, request)


def local_answer(backend: SearchBackend, request: SearchRequest) -> RemoteAnswer:
    try:
        # complete matches only, as every other endpoint answers: no partial results to merge
        result = backend.search(replace(request, partial=False))
    except IndexMissing:
        raise RemoteError("nog geen index") from None
    hits = tuple(SourceHit(endpoint=LOCAL, rank=i, document=h.document, snippet=h.snippet,
                           snippet_page=h.snippet_page, local=True) for i, h in enumerate(result.hits, 1))
    return RemoteAnswer(total=result.total, hits=hits)


def _run(tasks: list[_Task], started: float) -> tuple[list[EndpointReport], dict[str, RemoteAnswer]]:
    reports: list[EndpointReport] = []
    answers: dict[str, RemoteAnswer] = {}
    if not tasks:
        return reports, answers
    pool = ThreadPoolExecutor(max_workers=len(tasks), thread_name_prefix="federation")
    futures: dict[Future[tuple[RemoteAnswer, float]], _Task] = {pool.submit(_timed, t.run): t for t in tasks}
    pending = set(futures)
    try:
        while pending:
            now = time.monotonic() - started
            for future in [f for f in pending if futures[f].limit <= now and not f.done()]:
                pending.discard(future)
                reports.append(_timed_out(futures[future]))
            if not pending:
                break
            wait_for = min(futures[f].limit for f in pending) - now
            done, pending = wait(pending, timeout=max(wait_for, 0.0), return_when=FIRST_COMPLETED)
            for future in done:
                reports.append(_finished(futures[future], future, answers))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # stragglers end on their own socket timeout
    return reports, answers


def _timed(run: Callable[[], RemoteAnswer]) -> tuple[RemoteAnswer, float]:
    begin = time.monotonic()
    answer = run()
    return answer, time.monotonic() - begin


def _finished(task: _Task, future: Future[tuple[RemoteAnswer, float]], answers: dict[str, RemoteAnswer]) -> EndpointReport:
    base = EndpointReport(name=task.name, kind=task.kind, label=task.label, status=STATUS_ERROR)
    try:
        answer, seconds = future.result()
    except RemoteTimeout as exc:
        return replace(base, status=STATUS_TIMEOUT, elapsed_ms=_ms(task.limit), reason=str(exc))
    except EmptyQuery as exc:
        return replace(base, status=STATUS_SKIPPED, reason=str(exc))
    except (RemoteError, UnsafeAnswer) as exc:
        return replace(base, reason=str(exc))
    except Exception as exc:  # noqa: BLE001 — a bug or a surprise in one endpoint must stay local
        return replace(base, reason=f"onverwachte fout: {type(exc).__name__}: {str(exc)[:200]}")
    answers[task.name] = answer
    return replace(base, status=STATUS_OK, elapsed_ms=_ms(seconds), total=answer.total, returned=len(answer.hits))


def _timed_out(task: _Task) -> EndpointReport:
    return EndpointReport(name=task.name, kind=task.kind, label=task.label, status=STATUS_TIMEOUT,
                          elapsed_ms=_ms(task.limit), reason=f"geen antwoord binnen {task.limit:g} s")


def _ms(seconds: float) -> int:
    return round(seconds * 1000)
