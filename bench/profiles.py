"""How big a bench run is: the full and the quick profile, as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    real_docs: int | None  # how many of the bulk XMLs form the real corpus (None: all 8,041)
    scaled_docs: int  # documents in the scaled corpus (the real ones plus generated ones)
    queries_per_class: int
    warmup_queries: int
    extract_sample: int  # XMLs extracted in-process for the docs/s figure
    guarded_sample: int  # XMLs extracted through extract_guarded (the crawl's path)
    pdf_sample: int | None  # bundled PDFs for the pages/s figure (None: all)
    server_queries: int  # HTTP queries sent to `indexer serve` for its memory and latency
    demo_crawl: bool  # run the full `make demo` crawl of the bundled corpus
    parallel_build: bool  # also build the real corpus with Whoosh procs=N
    ingest_rounds: int  # rounds of the end-to-end ingest runs (each engine, 1 worker and all cores)


#: the generated documents: words per document, drawn uniformly (real moties are ~150 words)
WORDS_MIN, WORDS_MAX = 150, 300
SEED = 20240424

PROFILES: dict[str, Profile] = {
    "full": Profile("full", real_docs=None, scaled_docs=100_000, queries_per_class=40, warmup_queries=5,
                    extract_sample=2_000, guarded_sample=200, pdf_sample=None, server_queries=100,
                    demo_crawl=True, parallel_build=True, ingest_rounds=3),
    # quick: a 2,000-XML real corpus, 10,000 scaled documents, no demo crawl and no parallel build
    "quick": Profile("quick", real_docs=2_000, scaled_docs=10_000, queries_per_class=12, warmup_queries=3,
                     extract_sample=300, guarded_sample=30, pdf_sample=8, server_queries=30,
                     demo_crawl=False, parallel_build=False, ingest_rounds=1),
}
