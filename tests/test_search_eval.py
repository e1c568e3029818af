"""Search quality on the judged query set (tests/judgments/demo.json) must not fall below
what it reached, and beats a plain index (no stemming, no compound splitting) measured in
the same run; the latency probe reports every query class."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.latency_probe import latency_probe
from indexer.cli import main
from indexer.index import open_backend
from indexer.index.eval import Judged, load_judgments, ndcg, score_query

JUDGMENTS = Path(__file__).resolve().parent / "judgments" / "demo.json"
BULK_JUDGMENTS = Path(__file__).resolve().parent / "judgments" / "bulk-sample.json"
BULK_SOURCES = Path(__file__).resolve().parent / "fixtures" / "bulk-sample" / "sources.toml"
COMPOUND_QUERIES = Path(__file__).resolve().parent / "judgments" / "compound-queries.json"
#: measured on the demo corpus (64 queries: nDCG@10 0.955, recall@100 0.962, MRR 1.000; plain 0.890/0.889/0.953),
#: asserted a little lower so tie order changes do not fail the suite
FLOORS = {"ndcg@10": 0.93, "recall@100": 0.94, "mrr": 0.97}
#: the 298 bulk motions (22 queries: nDCG@10 0.855, recall@100 0.848, MRR 0.909; plain 0.719/0.691/0.818;
#: schema 4 had 0.816/0.791/0.864)
BULK_FLOORS = {"ndcg@10": 0.83, "recall@100": 0.82, "mrr": 0.88}
#: the whole result sets of 70 single-word compound queries on the 298 bulk motions, pooled
#: (measured: precision 0.984, recall 0.984; schema 4 0.253/0.984; FTS5 exact 1.000/0.803, word* 1.000/0.843)
RESULT_SET_FLOORS = {"precision": 0.95, "recall": 0.95}


def run_eval(data_dir: Path, judgments: Path, *extra: str) -> dict:
    result = CliRunner().invoke(main, ["eval", "--data-dir", str(data_dir), "--judgments", str(judgments),
                                       "--baseline", "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def figures(demo_data: Path) -> dict:
    return run_eval(demo_data, JUDGMENTS)


@pytest.fixture(scope="module")
def bulk_figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from indexer.config import load_config
    from indexer.pipeline import run_crawl

    data_dir = tmp_path_factory.mktemp("bulk-data")
    summary = run_crawl(load_config(BULK_SOURCES), data_dir, log=lambda line: None)
    assert not [f for s in summary.sources for f in s.failures]
    return run_eval(data_dir, BULK_JUDGMENTS, "--result-sets", str(COMPOUND_QUERIES))


def test_the_judged_set_is_big_and_varied() -> None:
    assert len(load_judgments(BULK_JUDGMENTS)) >= 20
    judged = load_judgments(JUDGMENTS)
    assert len(judged) >= 40
    kinds = {j.kind for j in judged}
    assert {"compound", "inflection", "identifier", "phrase", "cross-language", "english"} <= kinds
    assert all(0 <= g <= 3 for j in judged for g in j.grades.values())


def test_quality_stays_at_or_above_the_measured_floor(figures: dict) -> None:
    ours = figures["bronzoeker"]
    for measure, floor in FLOORS.items():
        assert ours[measure] >= floor, (measure, ours[measure])
    assert ours["by_kind"]["identifier"]["mrr"] == 1.0


def test_bulk_motions_quality_and_baseline(bulk_figures: dict) -> None:
    ours, plain = bulk_figures["bronzoeker"], bulk_figures["plain"]
    assert ours["queries"] >= 20
    for measure, floor in BULK_FLOORS.items():
        assert ours[measure] >= floor, (measure, ours[measure])
    assert ours["by_kind"]["identifier"]["mrr"] == 1.0
    assert ours["by_kind"]["compound"]["recall@100"] > plain["by_kind"]["compound"]["recall@100"]


def test_compound_result_sets_are_right_and_complete(bulk_figures: dict) -> None:
    sets = bulk_figures["result_sets"]
    ours = sets["bronzoeker"]
    assert ours["queries"] >= 60
    for measure, floor in RESULT_SET_FLOORS.items():
        assert ours[measure] >= floor, (measure, ours)
    # side by side in the same run: the rule-only analysis of schema 4 and SQLite FTS5
    assert sets["schema4"]["precision"] < 0.5 <= ours["precision"] - 0.4
    assert sets["fts5_exact"]["recall"] < ours["recall"] and sets["fts5_prefix"]["recall"] < ours["recall"]


def test_analysis_beats_the_plain_baseline(figures: dict) -> None:
    ours, plain = figures["bronzoeker"], figures["plain"]
    assert ours["ndcg@10"] > plain["ndcg@10"] and ours["recall@100"] > plain["recall@100"]
    assert ours["by_kind"]["inflection"]["recall@100"] >= plain["by_kind"]["inflection"]["recall@100"] + 0.3


def test_the_eval_command_prints_the_three_measures(demo_data: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "--data-dir", str(demo_data), "--judgments", str(JUDGMENTS)])
    assert result.exit_code == 0, result.output
    assert "nDCG@10" in result.output and "recall@100" in result.output and "MRR" in result.output


def test_measures_on_known_rankings() -> None:
    judged = Judged("q", {"a": 3, "b": 2, "c": 1})
    perfect = score_query(judged, ("a", "b", "c"))
    assert perfect.ndcg == pytest.approx(1.0) and perfect.recall == 1.0 and perfect.rr == 1.0
    late = score_query(judged, ("x", "y", "b"))
    assert late.rr == pytest.approx(1 / 3) and late.recall == 0.5 and 0 < late.ndcg < 0.5
    assert score_query(judged, ()).ndcg == 0.0
    assert ndcg([1, 0], [1, 0]) == pytest.approx(1.0)


def test_latency_probe_reports_every_class(demo_data: Path) -> None:
    report = latency_probe(open_backend(demo_data), repeat=1)
    assert {"one-term", "common-words", "phrase", "identifier", "date-sort", "filtered"} <= set(report)
    assert all(r["runs"] >= 1 and r["p95_ms"] >= r["median_ms"] >= 0 for r in report.values())


def test_known_items_per_kind_beside_fts5(bulk_figures: dict) -> None:
    # measured on the 298 motions (43 queries per kind): bronzoeker MRR words 0.977, inflection 0.756
    # (23 % without a result until partial results land), compound-apart 0.919; FTS5 OR on the
    # text as written 0.977 / 0.000 / 0.563, FTS5 AND 0.977 / 0.000 / 0.023
    known = bulk_figures["result_sets"]["known_items"]
    ours = known["bronzoeker"]
    assert set(ours) == {"words", "inflection", "compound-apart"}
    assert all(figures["queries"] >= 20 for figures in ours.values())
    assert ours["words"]["mrr"] >= 0.9 and ours["compound-apart"]["mrr"] >= 0.85
    for kind in ("inflection", "compound-apart"):
        assert ours[kind]["mrr"] > known["fts5_plain_or"][kind]["mrr"]
        assert ours[kind]["mrr"] > known["fts5_plain_and"][kind]["mrr"]
    assert ours["words"]["zero_results"] == 0.0 and ours["compound-apart"]["zero_results"] == 0.0


def test_the_plain_baseline_lists_whole_documents(demo_data: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The baseline copy reads its hits' documents from a store of its own (the index holds
    only ids): titles shown, no "not in the document store" warning per hit."""
    from indexer.index import SearchRequest
    from indexer.index.eval import plain_baseline

    with plain_baseline(demo_data) as backend:
        hits = backend.search(SearchRequest(query="mensenhandel kinderen", page_size=20)).hits
    assert hits and all(hit.document.title for hit in hits)
    assert "documentopslag" not in caplog.text
