"""``python -m bench.catalogue --database URL``: the PostgreSQL catalogue's figures (issue #19).

Measures, on a THROWAWAY database (its ``public`` schema is dropped before every part):
extraction throughput of the bundled Kamerstuk PDFs with 1 and 2 ``indexer crawl`` workers; catalogue
write rate (one document per transaction, as a worker commits, and 100 per transaction); a new
node's build rate from the catalogue; and follow lag (commit to applied on a node polling
every second; median and p95). The baseline, in the same run: the embedded crawl (one
process, no catalogue) of the same PDFs. ``--start-server`` starts a temporary PostgreSQL 15
instead (``tests/pg_server.py``, needs Debian's postgresql-15); ``make bench`` runs this part
that way (:func:`catalogue_figures`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from indexer.catalogue import connect
from indexer.catalogue.documents import PgDocumentStore
from indexer.catalogue.follow import follow
from indexer.catalogue.migrations import upgrade
from indexer.catalogue.position import read_position
from indexer.config import load_config
from indexer.index.docstore_sync import live_index_documents
from indexer.model import Document
from indexer.pipeline import run_crawl

ROOT = Path(__file__).resolve().parent.parent
PDF_CONFIG = """[settings]
delay = 0.0
[[source]]
name = "kamerstukken"
kind = "folder"
path = "{root}/corpus/kamerstukken"
include = ["*.pdf"]
"""


def reset(url: str) -> None:
    with connect(url) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
        upgrade(conn)


def workers_throughput(url: str, count: int, config: Path) -> dict[str, float]:
    reset(url)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRONZOEKER_DATABASE_URL": url}
    started = time.perf_counter()
    workers = [subprocess.Popen([sys.executable, "-m", "indexer.cli", "crawl", "--config", str(config)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(count)]
    for worker in workers:
        worker.wait()
    seconds = time.perf_counter() - started
    with PgDocumentStore(url) as store:
        documents = store.count()
    return {"workers": count, "documents": documents, "seconds": round(seconds, 1),
            "documents_per_s": round(documents / seconds, 2)}


def embedded_throughput(config: Path, work: Path) -> dict[str, float]:
    """The baseline: the same PDFs through ``indexer crawl`` into a data directory, no catalogue."""
    env = {k: v for k, v in os.environ.items() if k != "BRONZOEKER_DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "indexer.cli", "crawl", "--config", str(config), "--data-dir",
                    str(work / "embedded")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    seconds = time.perf_counter() - started
    documents = sum(1 for _ in live_index_documents(work / "embedded"))
    return {"workers": 0, "documents": documents, "seconds": round(seconds, 1),
            "documents_per_s": round(documents / seconds, 2)}


def write_rate(url: str, docs: list[Document]) -> dict[str, float]:
    reset(url)
    half = len(docs) // 2
    with PgDocumentStore(url) as store:
        started = time.perf_counter()
        for doc in docs[:half]:
            store.apply({doc.id: doc})
        single = time.perf_counter() - started
        started = time.perf_counter()
        for k in range(half, len(docs), 100):
            store.apply({d.id: d for d in docs[k:k + 100]})
        batched = time.perf_counter() - started
    return {"one_per_transaction_per_s": round(half / single), "hundred_per_transaction_per_s":
            round((len(docs) - half) / batched)}


def node_build_and_lag(url: str, docs: list[Document], work: Path, samples: int = 20) -> dict[str, float]:
    started = time.perf_counter()
    follow(url, work / "node", once=True, log=lambda line: None)
    build = len(docs) / (time.perf_counter() - started)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    node = subprocess.Popen([sys.executable, "-m", "indexer.cli", "index", "--follow", "--data-dir",
                             str(work / "node"), "--database", url], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lags = []
    try:
        with PgDocumentStore(url) as store:
            for n in range(samples):
                doc = replace(docs[n], id=f"lag:{n}")
                committed = time.time()
                seq = store.apply({doc.id: doc})
                while (position := read_position(work / "node")) is None or position.applied < seq:
                    time.sleep(0.01)
                lags.append(time.time() - committed)
                time.sleep(0.37)  # commits land at different points of the node's poll
    finally:
        node.terminate()
        node.wait()
    lags.sort()
    return {"node_build_per_s": round(build, 1), "follow_lag_median_s": round(statistics.median(lags), 2),
            "follow_lag_p95_s": round(lags[max(0, int(0.95 * len(lags)) - 1)], 2)}


def sample_documents(work: Path, count: int) -> list[Document]:
    """The demo's XML and HTML documents, extracted once, repeated under new ids."""
    config = work / "xml.toml"
    config.write_text(f'[settings]\ndelay = 0.0\n[[source]]\nname = "xml"\nkind = "folder"\n'
                      f'path = "{ROOT}/corpus/xml"\ninclude = ["*.xml"]\n[[source]]\nname = "html"\n'
                      f'kind = "folder"\npath = "{ROOT}/corpus/html"\ninclude = ["*.html"]\n', encoding="utf-8")
    run_crawl(load_config(config), work / "sample", log=lambda line: None)
    base = list(live_index_documents(work / "sample"))
    return [replace(base[n % len(base)], id=f"{base[n % len(base)].id}:{n}") for n in range(count)]


@contextmanager
def database(args: argparse.Namespace) -> Iterator[str]:
    if not args.start_server:
        url = args.database or os.environ.get("BRONZOEKER_DATABASE_URL", "")
        if not url:
            sys.exit("give --database URL (a throwaway database) or --start-server")
        yield url
        return
    sys.path.insert(0, str(ROOT))
    from tests.pg_server import running_server

    with running_server() as server:
        yield server.create_database()


def measure(url: str, work: Path, documents: int) -> dict[str, object]:
    """Every figure of this part, on the throwaway database ``url``."""
    config = work / "pdf.toml"
    config.write_text(PDF_CONFIG.format(root=ROOT), encoding="utf-8")
    results: dict[str, object] = {"embedded": embedded_throughput(config, work),
                                  "extraction": [workers_throughput(url, n, config) for n in (1, 2)]}
    docs = sample_documents(work, documents)
    results["catalogue_writes"] = write_rate(url, docs)
    results["node"] = node_build_and_lag(url, docs, work)
    return results


def catalogue_figures(documents: int = 2000) -> dict[str, object]:
    """The part of ``make bench``: a temporary PostgreSQL 15, measured, stopped."""
    with tempfile.TemporaryDirectory() as tmp, database(argparse.Namespace(start_server=True)) as url:
        return measure(url, Path(tmp), documents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalogue", description=__doc__)
    parser.add_argument("--database", default="", help="a THROWAWAY database: its public schema is dropped")
    parser.add_argument("--start-server", action="store_true", help="start a temporary PostgreSQL 15")
    parser.add_argument("--documents", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, database(args) as url:
        results = measure(url, Path(tmp), args.documents)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
