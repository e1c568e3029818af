"""``indexer eval``: search quality on judged queries (nDCG@10, recall@100, MRR) and
precision/recall of whole result sets."""

from __future__ import annotations

import json
from pathlib import Path

import click

from indexer.cli_options import backend_call, data_dir_option
from indexer.config import resolve_data_dir

DEFAULT_JUDGMENTS = Path(__file__).resolve().parent.parent / "tests" / "judgments" / "demo.json"


@click.command(name="eval")
@data_dir_option
@click.option("--judgments", "judgments_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_JUDGMENTS, show_default=True, help="Judged queries (JSON).")
@click.option("--baseline", is_flag=True, help="Also measure a plain index (no stemming, no compounds).")
@click.option("--per-query", is_flag=True, help="Print every query's scores.")
@click.option("--result-sets", "result_sets", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Compound queries (JSON): precision and recall of the whole result set.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--partial", is_flag=True,
              help="Measure the list the search page shows: partial matches after too few complete ones.")
def eval_command(data_dir: Path | None, judgments_path: Path, baseline: bool, per_query: bool,
                 result_sets: Path | None, as_json: bool, partial: bool) -> None:
    """Measure search quality on judged queries: nDCG@10, recall@100, MRR."""
    from indexer.index.eval import evaluate, load_judgments, plain_baseline
    from indexer.index.resultset_run import print_result_sets, result_set_report

    judged = load_judgments(judgments_path)
    resolved = resolve_data_dir(data_dir)
    reports = {"bronzoeker": backend_call(data_dir, lambda b: evaluate(b, judged, partial))}
    if baseline:
        with plain_baseline(resolved) as plain:
            reports["plain"] = evaluate(plain, judged, partial)
    sets = result_set_report(resolved, result_sets, baseline) if result_sets else None
    if as_json:
        output = {name: {**r.summary(), "by_kind": r.by_kind()} for name, r in reports.items()}
        click.echo(json.dumps({**output, "result_sets": sets} if sets else output, indent=2))
        return
    if sets:
        print_result_sets(sets, click.echo)
    for name, report in reports.items():
        summary = report.summary()
        click.echo(f"{name}: {summary['queries']} vragen  nDCG@10 {summary['ndcg@10']:.3f}  "
                   f"recall@100 {summary['recall@100']:.3f}  MRR {summary['mrr']:.3f}")
        for kind, figures in report.by_kind().items():
            click.echo(f"  {kind:15} n={figures['queries']:<3} nDCG@10 {figures['ndcg@10']:.3f}  "
                       f"recall@100 {figures['recall@100']:.3f}  MRR {figures['mrr']:.3f}")
        if per_query:
            for score in report.scores:
                click.echo(f"    {score.ndcg:.2f} {score.recall:.2f} {score.rr:.2f}  {score.judged.query}")
