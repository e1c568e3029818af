"""No dead ends: an all-words query with (almost) no complete match lists the documents
holding the most of its words, with the words each one lacks, the same in the backend,
the HTML page (Dutch and English), the JSON API, the CLI, exports and (strict) the feed.
Quoted phrases and operators never fall back. Over the real demo corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from indexer.cli import main
from indexer.index import SearchRequest, open_backend
from indexer.index.partial import PARTIAL_BELOW
from search_ui import create_app

ABSENT = "qwertyuiop"  # in no document of the corpus
NO_COMPLETE = f"mensenhandel {ABSENT}"
THREE_WORDS = "jeugdzorg subsidie gemeenten"  # one document holds all three


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "TESTING": True}).test_client()


def search(data_dir: Path, query: str, **kw: object):  # type: ignore[no-untyped-def]
    return open_backend(data_dir).search(SearchRequest(query=query, page_size=1000, snippets=False, **kw))  # type: ignore[arg-type]


def ids(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {hit.document.id for hit in result.hits}


def test_a_query_with_no_complete_match_lists_the_documents_with_its_other_words(demo_data: Path) -> None:
    result = search(demo_data, NO_COMPLETE)
    alone = search(demo_data, "mensenhandel")
    assert result.partial and result.complete_total == 0
    assert result.total == alone.total > 0 and ids(result) == ids(alone)
    assert all(hit.missing == (ABSENT,) for hit in result.hits)
    assert sum(count for _, count in result.facets["source"]) == result.total


def test_partial_hits_rank_by_how_many_words_they_hold_and_say_which_are_missing(demo_data: Path) -> None:
    result = search(demo_data, THREE_WORDS)
    assert result.partial and 0 < result.complete_total < PARTIAL_BELOW
    missing = [len(hit.missing) for hit in result.hits]
    assert missing == sorted(missing) and missing[0] == 0 and missing[-1] == 1  # at least 2 of 3 words
    holding = {word: ids(search(demo_data, word)) for word in THREE_WORDS.split()}
    for hit in result.hits:  # each word is missing exactly where that word alone does not find the document
        assert set(hit.missing) == {w for w, found in holding.items() if hit.document.id not in found}
    assert {h.document.id for h in result.hits if not h.missing} == set.intersection(*holding.values())
    shown = open_backend(demo_data).search(SearchRequest(query=THREE_WORDS, page_size=50, facets=False))
    lacking = [h for h in shown.hits if "jeugdzorg" in h.missing]  # nor its parts: "zorgen" is no match
    assert lacking and not [h for h in lacking if re.search(r"<mark>[^<]*(jeugd|zorg)", h.snippet, re.I)]


def test_partial_results_stay_within_the_filters_and_pages_continue(demo_data: Path) -> None:
    result = search(demo_data, NO_COMPLETE, filters={"category": ("kamerstuk",)})
    assert result.partial and result.hits and all(h.document.category == "kamerstuk" for h in result.hits)
    backend = open_backend(demo_data)
    paged = [h.document.id for page in (1, 2, 3)
             for h in backend.search(SearchRequest(query=NO_COMPLETE, page=page, page_size=4, snippets=False)).hits]
    assert paged == [h.document.id for h in search(demo_data, NO_COMPLETE).hits][:12]


@pytest.mark.parametrize("query", [f'"mensenhandel {ABSENT}"', f"mensenhandel OR {ABSENT}x {ABSENT}",
                                   f"mensenhandel -motie {ABSENT}", f"titel:mensenhandel {ABSENT}",
                                   f"mensenhandel {ABSENT}*", f"(mensenhandel {ABSENT})",
                                   f"kst-32824-193 {ABSENT}"])
def test_phrases_and_operators_keep_their_strict_meaning(demo_data: Path, query: str) -> None:
    result = search(demo_data, query)
    assert not result.partial and all(not hit.missing for hit in result.hits)
    assert result.total == result.complete_total
    assert result.total <= 1  # the identifier query finds its own document, the others nothing


def test_a_complete_result_and_a_request_without_fallback_are_not_partial(demo_data: Path) -> None:
    complete = search(demo_data, "mensenhandel gemeenten")
    assert complete.total >= PARTIAL_BELOW and not complete.partial
    strict = search(demo_data, NO_COMPLETE, partial=False)
    assert strict.total == 0 and not strict.partial and not strict.hits


def test_html_page_shows_the_notice_and_the_missing_words_escaped(client: FlaskClient) -> None:
    page = client.get("/", query_string={"q": NO_COMPLETE}).get_data(as_text=True)
    assert "Geen documenten met alle woorden; dit zijn de beste gedeeltelijke treffers" in page
    assert page.count(f"Ontbreekt: <s>{ABSENT}</s>") == 10  # every hit of the first page
    english = client.get("/", query_string={"q": NO_COMPLETE, "lang": "en"}).get_data(as_text=True)
    assert "No documents with all words; these are the best partial matches" in english
    assert f"Missing: <s>{ABSENT}</s>" in english
    hostile = client.get("/", query_string={"q": f"mensenhandel <i>{ABSENT}</i>"}).get_data(as_text=True)
    assert f"<s>&lt;i&gt;{ABSENT}&lt;/i&gt;</s>" in hostile and f"<i>{ABSENT}" not in hostile
    few = client.get("/", query_string={"q": THREE_WORDS, "lang": "nl"}).get_data(as_text=True)
    assert "Weinig documenten met alle woorden" in few and "waarvan 1 met alle woorden" in few


def test_api_says_partial_and_missing_per_hit(client: FlaskClient) -> None:
    data = client.get("/api/v1/search", query_string={"q": NO_COMPLETE}).get_json()
    assert data["partial"] is True and data["complete_total"] == 0 and data["total"] > 0
    assert all(hit["missing"] == [ABSENT] for hit in data["hits"])
    strict = client.get("/api/v1/search", query_string={"q": f'"{NO_COMPLETE}"'}).get_json()
    assert strict["partial"] is False and strict["total"] == strict["complete_total"] == 0
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["SearchResult"]
    assert {"partial", "complete_total"} <= set(spec["properties"])


def test_the_alert_feed_never_carries_partial_matches(client: FlaskClient) -> None:
    assert client.get("/api/v1/search", query_string={"q": NO_COMPLETE}).get_json()["total"] > 0
    feed = client.get("/feed.atom", query_string={"q": NO_COMPLETE}).get_data(as_text=True)
    assert "<entry>" not in feed


def test_export_lists_what_the_page_lists(client: FlaskClient, demo_data: Path) -> None:
    csv_text = client.get("/export", query_string={"q": NO_COMPLETE, "formaat": "csv"}).get_data(as_text=True)
    exported = len([line for line in csv_text.splitlines()[1:] if line.strip()])
    assert exported == search(demo_data, NO_COMPLETE).total > 0


def test_cli_search_and_export_say_the_same(demo_data: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["search", NO_COMPLETE, "--data-dir", str(demo_data)]).output
    assert "Geen documenten met alle woorden; dit zijn de beste gedeeltelijke treffers." in text
    assert len(re.findall(rf"Ontbreekt: {ABSENT}$", text, re.M)) == 10
    data = json.loads(runner.invoke(main, ["search", NO_COMPLETE, "--json", "--data-dir", str(demo_data)]).output)
    assert data["partial"] is True and data["complete_total"] == 0
    assert all(hit["missing"] == [ABSENT] for hit in data["hits"])
    exported = runner.invoke(main, ["export", NO_COMPLETE, "--format", "csl-json", "--data-dir", str(demo_data)])
    assert "let op: Geen documenten met alle woorden" in exported.stderr
    assert len(json.loads(exported.stdout)) == data["total"]


def test_federation_merges_complete_matches_only(demo_data: Path) -> None:
    from indexer.federation.bronzoeker import parse_answer
    from indexer.federation.config import RemoteConfig
    from indexer.federation.fanout import local_answer

    assert local_answer(open_backend(demo_data), SearchRequest(query=NO_COMPLETE)).hits == ()
    three = local_answer(open_backend(demo_data), SearchRequest(query=THREE_WORDS, page_size=50))
    assert len(three.hits) == three.total == search(demo_data, THREE_WORDS).complete_total
    answer = {"api_version": 1, "total": 3, "partial": True, "complete_total": 1, "hits": [
        {"id": "a:1", "title": "alle woorden", "missing": []},
        {"id": "a:2", "title": "gedeeltelijk", "missing": ["subsidie"]}, {"id": "a:3", "missing": ["x"]}]}
    parsed = parse_answer(RemoteConfig(name="collega", kind="bronzoeker", url="http://127.0.0.1:1"),
                          json.dumps(answer).encode())
    assert [hit.document.id for hit in parsed.hits] == ["a:1"] and parsed.total == 1


def test_eval_measures_complete_matches_and_optionally_the_partial_list(demo_data: Path) -> None:
    runner = CliRunner()
    args = ["eval", "--data-dir", str(demo_data), "--json"]
    strict = json.loads(runner.invoke(main, args).output)["bronzoeker"]
    shown = json.loads(runner.invoke(main, [*args, "--partial"]).output)["bronzoeker"]
    assert shown["recall@100"] > strict["recall@100"] and shown["ndcg@10"] >= strict["ndcg@10"]
    assert shown["mrr"] == strict["mrr"] == 1.0
