"""The query language over the real demo corpus: every form, identifiers first, and a
forgiving parser that never raises on hostile input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.index import SearchRequest, open_backend, open_writer
from indexer.index.identifiers import identifier_keys
from indexer.index.query import build_query, parse_nodes
from indexer.index.schema import build_schema
from indexer.model import Document

SEED = "kamerstukken:kst-32824-193"


def ids(data_dir: Path, query: str, **kw: object) -> list[str]:
    result = open_backend(data_dir).search(SearchRequest(query=query, page_size=1000, facets=False,
                                                         snippets=False, **kw))  # type: ignore[arg-type]
    assert result.total == len(result.hits)
    return [hit.document.id for hit in result.hits]


def documents(data_dir: Path, query: str) -> list[Document]:
    backend = open_backend(data_dir)
    return [backend.get(doc_id) for doc_id in ids(data_dir, query)]  # type: ignore[misc]


def test_words_are_anded(demo_data: Path) -> None:
    both = set(ids(demo_data, "mensenhandel kinderen"))
    assert both and both <= set(ids(demo_data, "mensenhandel")) & set(ids(demo_data, "kinderen"))
    assert len(both) < len(set(ids(demo_data, "mensenhandel")))


def test_or_unites_and_binds_tighter_than_and(demo_data: Path) -> None:
    either = set(ids(demo_data, "Careyn OR Buurtzorg"))
    assert either == set(ids(demo_data, "Careyn")) | set(ids(demo_data, "Buurtzorg"))
    assert set(ids(demo_data, "zorginstelling Careyn OR Buurtzorg")) <= set(ids(demo_data, "zorginstelling"))


def test_minus_and_not_exclude(demo_data: Path) -> None:
    everything = set(ids(demo_data, "mensenhandel"))
    motions = set(ids(demo_data, "motie"))
    assert set(ids(demo_data, "mensenhandel -motie")) == everything - motions
    assert set(ids(demo_data, "mensenhandel NOT motie")) == everything - motions
    assert set(ids(demo_data, "-motie")) == set(ids(demo_data, "")) - motions


def test_phrase_is_stricter_than_words(demo_data: Path) -> None:
    phrase = ids(demo_data, '"Samen tegen Mensenhandel"')
    assert set(phrase) == {"kamerstukken-xml:kst-28638-238", "kamerstukken-xml:kst-28638-242",
                           "kamerstukken-xml:kst-28638-244"}
    assert len(ids(demo_data, "Samen tegen Mensenhandel")) > len(phrase)


@pytest.mark.parametrize("field", ["type", "soort"])
def test_type_field(demo_data: Path, field: str) -> None:
    found = documents(demo_data, f"{field}:motie mensenhandel")
    assert found and all(d.doc_type == "motie" for d in found)


@pytest.mark.parametrize(("query", "check"), [
    ("bron:aanhangsel", lambda d: d.source == "aanhangsel"),
    ("source:regelgeving", lambda d: d.source == "regelgeving"),
    ("jaar:2023", lambda d: d.year == "2023"),
    ("year:2016..2017", lambda d: d.year in ("2016", "2017")),
    ("datum:2016..2017", lambda d: "2016" <= d.date[:4] <= "2017"),
    ("date:2024-06", lambda d: d.date.startswith("2024-06")),
    ("datum:..2009", lambda d: d.date and d.date[:4] <= "2009"),
    ("taal:nederlands", lambda d: d.language == "nl"),
    ("language:nl", lambda d: d.language == "nl"),
    ("dossier:28638", lambda d: d.identifiers.get("dossier") == "28638"),
    ("dossier:36600-VI", lambda d: d.identifiers.get("dossier") == "36600 VI"),
    ("dossier:36600VI", lambda d: d.identifiers.get("dossier") == "36600 VI"),
    ('dossier:"36 600 vi"', lambda d: d.identifiers.get("dossier") == "36600 VI"),
    ("auteur:Mutluer", lambda d: any("Mutluer" in a for a in d.authors)),
    ("categorie:aanhangsel", lambda d: d.category == "aanhangsel"),
    ("titel:spreidingswet", lambda d: "spreidingswet" in d.title.lower()),
    ('titel:"aanwijzing mensenhandel"', lambda d: "aanwijzing mensenhandel" in d.title.lower()),
])
def test_field_clauses(demo_data: Path, query: str, check: object) -> None:
    found = documents(demo_data, query)
    assert found, query
    assert all(check(d) for d in found), query  # type: ignore[operator]


def test_prefix_finds_every_form(demo_data: Path) -> None:
    prefixed = set(ids(demo_data, "asielzoek*"))
    assert set(ids(demo_data, "asielzoekers")) <= prefixed
    assert "rijksoverheid:contourennota-intrekking-spreidingswet-20250414" in prefixed


def test_title_searches_every_language(tmp_path: Path) -> None:
    english = Document(id="t:en", source="t", language="en", title="Convention on Action against Trafficking",
                       pages=("Considering that trafficking in human beings constitutes a violation",))
    french = Document(id="t:fr", source="t", language="fr", title="Convention sur la lutte contre la traite",
                      pages=("Considérant que la traite des êtres humains constitue une violation",))
    dutch = Document(id="t:nl", source="t", title="Verdrag inzake bestrijding van mensenhandel",
                     pages=("Convention en trafficking staan hier alleen in de tekst.",))
    with open_writer(tmp_path, lambda d: set()) as writer:
        for doc in (english, french, dutch):
            writer.upsert(doc)
    assert ids(tmp_path, "title:trafficking") == ["t:en"]
    assert sorted(ids(tmp_path, "titel:convention")) == ["t:en", "t:fr"]
    assert ids(tmp_path, "titel:traite") == ["t:fr"]


@pytest.mark.parametrize("query", [
    "32824-193", "kst-32824-193", "KST-32824-193", "Kamerstuk 32 824, nr. 193",
    "Kamerstukken II 2016/17, 32824, nr. 193", "32 824 nr 193", "32824-193 uitbuiting",
])
def test_identifier_queries_rank_the_document_first(demo_data: Path, query: str) -> None:
    assert ids(demo_data, query)[0] == SEED


@pytest.mark.parametrize(("query", "expected"), [
    ("kst-36600-VI-149", "kamerstukken-xml:kst-36600-VI-149"),
    ("36600-VI-149", "kamerstukken-xml:kst-36600-VI-149"),
    ("28638-242", "kamerstukken-xml:kst-28638-242"),
    ("ah-tk-20232024-1481", "aanhangsel:ah-tk-20232024-1481"),
    ("Handelingen II 2017/18, nr. 50, item 1", "kamerstukken-xml:h-tk-20172018-50-1"),
    ("BWBR0034176", "regelgeving:BWBR0034176"),
])
def test_other_identifiers_rank_first(demo_data: Path, query: str, expected: str) -> None:
    assert ids(demo_data, query)[0] == expected


def test_identifier_keys_from_spellings() -> None:
    assert identifier_keys("Kamerstukken II 2016/17, 32824, nr. 193") == ["kst-32824-193"]
    assert identifier_keys("21501-02-3121") == ["kst-21501-02-3121"]
    assert identifier_keys("kst 32824 193") == ["kst-32824-193"]
    assert identifier_keys("vergaderjaar 2016-2017 over 2024") == []
    assert identifier_keys("bwbr0034176") == ["bwb:BWBR0034176"]


HOSTILE = [
    "", " ", '"', '""', '"unbalanced', 'a "b', "(", ")", "((((", "))", "(a OR", "a OR", "OR", "OR OR a",
    "NOT", "NOT NOT", "-", "--", "- -", "+", "*", "**", "a*", "*a", "title:", "titel: armoede", "title:*",
    "bron:", "jaar:abc", "jaar:..", "datum:2016..", "datum:....", "year:2017..2016", "dossier:", ":", "::",
    "a:b:c", "http://example.org/x?y=1", "id:", "auteur:\"", "\\", "'", "'s-Gravenhage", "ß", "İstanbul",
    "\x00", "\ufffd\ufffd", "a" * 5000, "( ( ( a ) ) ) )", '"(" OR ")"', "-\"\"", "NOT (", "&&", "||",
    "AND AND", "van de het een", "de", "x" * 60 + "*", "%", "😀", "32824-", "-193", "kst-", "Kamerstuk , nr.",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_parser_forgives_everything(text: str) -> None:
    parse_nodes(text)
    assert build_query(build_schema(), text) is not None


def test_hostile_queries_search_without_errors(demo_data: Path) -> None:
    backend = open_backend(demo_data)
    for text in HOSTILE:
        result = backend.search(SearchRequest(query=text, page_size=3))
        assert result.total >= 0 and len(result.hits) <= 3, text


def test_syntax_only_queries_match_everything(demo_data: Path) -> None:
    everything = len(ids(demo_data, ""))
    for text in ("(((", "title:", "-", '""'):
        assert len(ids(demo_data, text)) == everything, text


def test_stop_words_only_search_the_words_as_written(demo_data: Path) -> None:
    assert len(ids(demo_data, "van de")) > 50
    # quoted, stop words are an exact phrase: fewer documents, each with the words in order
    phrase, words = set(ids(demo_data, '"in het"')), set(ids(demo_data, "in het"))
    assert phrase and len(phrase) < len(words)
    assert all(re.search(r"(?i)\bin\W+het\b", full_text(demo_data, doc_id)) for doc_id in phrase)


@pytest.mark.parametrize(("phrase", "literal"), [
    ('"in het kader van"', r"\bin\W+het\W+kader\W+van\b"),
    ('"Raad van State"', r"\braad\W+van\W+state"),
    ('"op de hoogte"', r"\bop\W+de\W+hoogte"),
])
def test_phrases_with_stop_words_are_exact(demo_data: Path, phrase: str, literal: str) -> None:
    found = ids(demo_data, phrase)
    content_only = ids(demo_data, " ".join(w for w in phrase.strip('"').split() if len(w) > 4))
    assert found and len(found) <= len(content_only)
    assert all(re.search(f"(?i){literal}", full_text(demo_data, doc_id)) for doc_id in found), phrase


def full_text(data_dir: Path, doc_id: str) -> str:
    doc = open_backend(data_dir).get(doc_id)
    assert doc is not None
    return " ".join([doc.title, doc.summary, doc.body])
