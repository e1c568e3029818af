"""``make bench``: speed, size and memory of bronzoeker's engine against SQLite FTS5 (and tantivy).

Run as ``python -m bench [--quick]``. Corpora come from the bundled ``corpus/`` and the
compressed bulk set in ``bench/data/``; a scaled corpus is generated from their real
paragraphs. Generated corpora and indexes are cached in ``bench/work/`` by content hash;
results go to the terminal and to ``bench/out/bench-<timestamp>.json`` and ``latest.json``.
"""
