"""Bounded work per request: the clause cap, the prefix-expansion caps and the time budget,
on the bundled corpus's real index, through the backend, the UI and the API. Work is
asserted as counted terms and notices, never as wall-clock time."""

from __future__ import annotations

import itertools
import string
from pathlib import Path
from typing import Any

import pytest

from indexer.config import ConfigError
from indexer.index import SearchRequest, open_backend
from indexer.index.limits import QueryBudget, QueryLimits, cut_clauses
from indexer.index.query import build_query
from indexer.settings import Misconfigured, build
from search_ui import create_app

#: The issue's flood: 143 two-letter prefixes, just under 1,000 characters.
PREFIXES = ["".join(pair) for pair in itertools.product(string.ascii_lowercase, repeat=2)][:143]
FLOOD = " OR ".join(f"{prefix}*" for prefix in PREFIXES)


def expanded_terms(data_dir: Path, text: str, limits: QueryLimits) -> QueryBudget:
    """The budget after finding the matches of ``text`` as a search does."""
    backend = open_backend(data_dir)
    backend.limits = limits  # type: ignore[attr-defined]
    kept, budget = backend._budgeted(text)  # type: ignore[attr-defined]
    view = backend.view()  # type: ignore[attr-defined]
    view.scored(build_query(view.searcher.schema, kept), budget)
    return budget


def test_the_flood_is_under_the_api_query_length() -> None:
    assert len(FLOOD) <= 1000 and len(PREFIXES) == 143


def test_the_prefix_flood_expands_a_bounded_number_of_terms(demo_data: Path) -> None:
    unbounded = QueryLimits(max_query_clauses=10_000, max_prefix_terms=10**9, max_expanded_terms=10**9,
                            query_time_budget=1e9)
    everything = expanded_terms(demo_data, FLOOD, unbounded)
    limits = QueryLimits()
    bounded = expanded_terms(demo_data, FLOOD, limits)
    assert everything.expanded > 3 * limits.max_expanded_terms, "the flood would expand far past the cap"
    assert bounded.expanded <= limits.max_expanded_terms
    kinds = {cut.kind for cut in bounded.cuts()}
    assert "clauses" in kinds


def test_clauses_past_the_limit_are_dropped_and_named() -> None:
    kept, cuts = cut_clauses(FLOOD, 32)
    assert kept.split(" OR ")[:32] == [f"{p}*" for p in PREFIXES[:32]]
    assert len(cuts) == 1 and cuts[0].kind == "clauses"
    assert cuts[0].part.startswith(f"{PREFIXES[32]}* OR ") and cuts[0].part.endswith(f"{PREFIXES[-1]}*")
    assert f"niet gezocht: {PREFIXES[32]}*" in cuts[0].message
    assert cut_clauses('"in het kader van" titel:roma -motie', 3) == ('"in het kader van" titel:roma -motie', [])


def test_one_prefix_is_searched_for_its_first_terms_only(demo_data: Path) -> None:
    backend = open_backend(demo_data)
    full = backend.search(SearchRequest(query="ki*", page_size=1))
    backend.limits = QueryLimits(max_prefix_terms=2)  # type: ignore[attr-defined]
    cut = backend.search(SearchRequest(query="ki*", page_size=1))
    assert not full.notices
    assert [(c.kind, c.part) for c in cut.notices][:1] == [("prefix", "ki*")]
    assert 0 < cut.total <= full.total
    budget = expanded_terms(demo_data, "ki*", QueryLimits(max_prefix_terms=2))
    assert 0 < budget.expanded <= 2 * 13, "at most two terms per searched field"


def test_over_the_time_budget_the_result_says_it_is_incomplete(demo_data: Path) -> None:
    backend = open_backend(demo_data)
    backend.limits = QueryLimits(query_time_budget=0.0)  # type: ignore[attr-defined]
    result = backend.search(SearchRequest(query="uitbuiting"))
    assert [cut.kind for cut in result.notices] == ["time"]
    assert "onvolledig" in result.notices[0].message
    assert all(hit.snippet == "" for hit in result.hits)


def test_limits_come_from_the_settings(tmp_path: Path, demo_data: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text("[settings]\nmax_query_clauses = 3\nmax_prefix_terms = 7\n", encoding="utf-8")
    app = create_app({"DATA_DIR": str(demo_data), "CONFIG_PATH": str(config), "SECRET_KEY": "t"})
    limits = app.extensions["bronzoeker.backend"].limits
    assert (limits.max_query_clauses, limits.max_prefix_terms) == (3, 7)
    assert limits.max_expanded_terms == QueryLimits().max_expanded_terms
    config.write_text('[settings]\nmax_prefix_terms = "veel"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'max_prefix_terms' in .*sources.toml moet een geheel getal zijn"):
        create_app({"DATA_DIR": str(demo_data), "CONFIG_PATH": str(config), "SECRET_KEY": "t"})


def test_ui_and_api_say_which_part_was_dropped(demo_data: Path) -> None:
    client = create_app({"DATA_DIR": str(demo_data), "SECRET_KEY": "t"}).test_client()
    html = client.get("/", query_string={"q": FLOOD}).get_data(as_text=True)
    assert "Zoekvraag ingekort tot 32 delen; niet gezocht: " + f"{PREFIXES[32]}* OR" in html
    english = client.get("/", query_string={"q": FLOOD, "lang": "en"}).get_data(as_text=True)
    assert "Query shortened to 32 parts; not searched: " in english
    data = client.get("/api/v1/search", query_string={"q": FLOOD}).get_json()
    clauses = [n for n in data["notices"] if n["kind"] == "clauses"][0]
    assert clauses["dropped"].startswith(f"{PREFIXES[32]}*") and clauses["limit"] == 32
    assert client.get("/api/v1/search?q=uitbuiting").get_json()["notices"] == []


def test_indexer_search_says_on_stderr_what_was_not_searched(demo_data: Path) -> None:
    from click.testing import CliRunner

    from indexer.cli import main

    result = CliRunner().invoke(main, ["search", FLOOD, "--data-dir", str(demo_data)])
    assert result.exit_code == 0
    assert f"let op: Zoekvraag ingekort tot 32 delen; niet gezocht: {PREFIXES[32]}*" in result.stderr
    assert "let op" not in result.stdout


def test_bad_limit_settings_are_refused() -> None:
    for bad in ({"max_query_clauses": 0}, {"query_time_budget": -1}, {"max_expanded_terms": "x"}):
        with pytest.raises(Misconfigured, match=next(iter(bad))):
            build(bad)
    assert build({"query_time_budget": 0, "delay": 5}).query.query_time_budget == 0.0


def test_concurrent_prefix_queries_read_whoosh_blocks_in_turn(demo_data: Path) -> None:
    """Eight floods at once on a cold searcher: Whoosh's shared file positions once made
    them fail ("unsupported pickle protocol", EOFError) and the server answer 500."""
    import threading

    unbounded = QueryLimits(max_query_clauses=10_000, max_prefix_terms=10**9, max_expanded_terms=10**9,
                            query_time_budget=1e9)
    errors: list[BaseException] = []
    for _ in range(3):
        backend = open_backend(demo_data)
        backend.limits = unbounded  # type: ignore[attr-defined]
        expected = backend.search(SearchRequest(query="motie")).total

        def flood(backend: Any = backend) -> None:
            try:
                backend.search(SearchRequest(query=FLOOD, page_size=1, snippets=False))
            except BaseException as exc:  # noqa: BLE001 - collected and reported below
                errors.append(exc)

        threads = [threading.Thread(target=flood) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert backend.search(SearchRequest(query="motie")).total == expected
    assert errors == []
