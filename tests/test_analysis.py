"""Dutch text analysis: tokens of names and numbers, folding, stemming, compound splitting
(gold set), and end to end through a real index: compounds find their parts and back."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.query import Phrase

from indexer.index import SearchRequest, open_backend, open_writer, store
from indexer.index.analysis import LANGUAGE_ANALYZERS, dutch_analyzer, english_analyzer
from indexer.index.compounds import dictionary, split_compound
from indexer.model import Document

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLD = FIXTURES / "compounds_gold.tsv"
PASSAGES = FIXTURES / "analysis" / "passages.tsv"


def tokens(text: str, mode: str = "index") -> list[str]:
    return [t.text for t in dutch_analyzer()(text, mode=mode)]


def positioned(text: str) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in dutch_analyzer()(text, positions=True)]


# -- tokenizer edge cases ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("'s-Gravenhage", ["'s-gravenhage", "gravenhage"]),
    ("\u2019s-Gravenhage", ["'s-gravenhage", "gravenhage"]),  # typographic apostrophe as in PDFs
    ("D66", ["d66"]),
    ("F-35", ["f-35"]),
    ("Noord-Brabant", ["noord-brabant", "noord", "brabant"]),
    ("Capelle aan den IJssel", ["capelle", "~aan", "den", "ijssel"]),  # "aan": a stop word, marked as written
    ("een en", ["~een", "~en"]),  # marked stop words are not stemmed: een and en stay apart
    ("32 824", ["32824", "32", "824"]),
    ("32\u00a0824", ["32824", "32", "824"]),
    ("2016/17", ["2016/17", "2016", "17"]),
    ("kst-32824-193", ["kst-32824-193"]),  # letters and digits: an identifier, kept whole
    ("geëvalueerd", ["geevalueerd"]),
    ("gezinnen", ["gezin"]),  # the lemma, from the lexicon
    ("gemeenten", ["gemeente"]),  # not "meen", not gemeen|ten, not gemeen
        ("handelingen", ["handeling"]),  # not handel: another lemma
        ("subsidies", ["subsidie"]),  # the stemmer left subsidie/subsidies apart
])
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_accent_folding_makes_forms_equal() -> None:
    assert tokens("geëvalueerd") == tokens("geevalueerd")
    assert tokens("géén") == tokens("geen") == ["~geen"]  # both a stop word after folding
    assert tokens("géén", mode="query") == []  # which a word query leaves out


def test_parts_follow_the_whole_word_and_later_tokens_shift() -> None:
    assert positioned("aanpak kinderuitbuiting Roma") == [
        ("aanpak", 0), ("kinderuitbuiting", 1), ("kinderen", 1), ("uitbuiting", 2), ("roma", 3)]
    assert positioned("in Noord-Brabant, Limburg") == [
        ("~in", 0), ("noord-brabant", 1), ("noord", 1), ("brabant", 2), ("limburg", 3)]


def test_compound_parts_weigh_less_than_whole_words() -> None:
    boosts = {t.text: t.boost for t in dutch_analyzer()("multiprobleemgezinnen", boosts=True)}
    assert boosts == {"multiprobleemgezin": 1.0, "multi": 0.5, "probleem": 0.5, "gezin": 0.5,
                      "multiprobleem": 0.5, "probleemgezin": 0.5}  # parts and runs of parts


def test_query_analysis_gives_the_same_stream() -> None:
    assert tokens("kinderuitbuiting", mode="query") == tokens("kinderuitbuiting")


def test_english_words_are_never_split_as_compounds() -> None:
    assert [t.text for t in english_analyzer()("nevertheless transnational")] == ["nevertheless", "transnat"]
    assert split_compound("transnational") == ("trans", "national")  # so it must not run on English
    assert set(LANGUAGE_ANALYZERS) == {"nl", "en", "fr"}


def test_dictionary_is_shipped_and_compact() -> None:
    words = dictionary()
    assert 150_000 < len(words) < 200_000
    assert words["kinderen"] > 4 and "geevalueerd" in words and "geëvalueerd" not in words
    data = Path(__file__).resolve().parent.parent / "indexer" / "data" / "nl_compound_dict.tsv.gz"
    assert data.stat().st_size < 3_000_000


# -- compound gold set ---------------------------------------------------------------------

def gold() -> list[tuple[str, str]]:
    rows = [line.split("\t") for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return [(word, expected) for word, expected, _ in rows]


def test_gold_set_precision_and_recall() -> None:
    rows = gold()
    compounds = [(w, e) for w, e in rows if "|" in e]
    assert len(compounds) == 42 and len(rows) - len(compounds) == 39
    results = {word: "|".join(split_compound(word)) or word for word, _ in rows}
    split = [w for w, _ in rows if "|" in results[w]]
    exact = [w for w, e in compounds if results[w] == e]
    false_splits = [w for w, e in rows if "|" not in e and "|" in results[w]]
    precision, recall = len(exact) / len(split), len(exact) / len(compounds)
    print(f"\ncompound gold set: {len(exact)}/{len(compounds)} exact, {len(false_splits)} false "
          f"splits {false_splits}, precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.95 and recall >= 0.93 and len(false_splits) <= 1


@pytest.mark.parametrize(("word", "parts"), [
    ("multiprobleemgezinnen", ("multi", "probleem", "gezinnen")),
    ("kinderuitbuiting", ("kinder", "uitbuiting")),
    ("arbeidsparticipatie", ("arbeids", "participatie")),
    ("schoolverzuim", ("school", "verzuim")),
    ("gezinnen", ()),
    ("gemeenten", ()),
    ("uitbuiting", ()),
])
def test_requested_words(word: str, parts: tuple[str, ...]) -> None:
    assert split_compound(word) == parts


# -- end to end: a real index --------------------------------------------------------------

def passages() -> dict[str, str]:
    rows = [line.split("\t") for line in PASSAGES.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return {doc_id: text for doc_id, _, text in rows}


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    data_dir = tmp_path_factory.mktemp("analysis-index")
    with open_writer(data_dir, lambda doc: set()) as writer:
        for doc_id, text in passages().items():
            writer.upsert(Document(id=f"t:{doc_id}", source="t", title="", pages=(text,), language="nl"))
    return open_backend(data_dir)


def found(backend, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.document.id.removeprefix("t:") for h in backend.search(SearchRequest(query=query)).hits]


def test_compound_query_finds_the_words_written_apart(backend) -> None:  # type: ignore[no-untyped-def]
    # the treaty says "uitbuiting van mensen, in het bijzonder vrouwen en kinderen": 8 words apart, no match
    assert found(backend, "kinderuitbuiting") == ["seed-compound"]
    hits = found(backend, "kinderbescherming")
    assert hits == ["kinderen-apart"]  # "bescherming van kinderen"


def test_part_query_finds_the_compound(backend) -> None:  # type: ignore[no-untyped-def]
    assert set(found(backend, "gezin")) == {"motie-gezin", "seed-gezinnen"}
    assert "seed-gezinnen" in found(backend, "probleemgezin")
    assert found(backend, "Brabant") == ["motie-brabant"]
    assert found(backend, "Noord-Brabant") == ["motie-brabant"]


def test_exact_word_ranks_above_a_compound_part(backend) -> None:  # type: ignore[no-untyped-def]
    assert found(backend, "gezin") == ["motie-gezin", "seed-gezinnen"]
    assert found(backend, "uitbuiting") == ["treaty-words", "seed-compound"]


def test_phrases_still_need_the_words_in_order(backend) -> None:  # type: ignore[no-untyped-def]
    assert found(backend, '"in Noord-Brabant, Limburg"') == ["motie-brabant"]
    assert found(backend, '"Limburg en delen van Gelderland"') == ["motie-brabant"]
    assert found(backend, '"Gelderland Limburg"') == []
    # phrases with compounds: the query builder takes the phrase of the parts
    assert found(backend, '"Limburg Noord-Brabant"') == []
    assert found(backend, '"kinderuitbuiting, huwelijksdwang"') == ["seed-compound"]
    assert found(backend, '"uitbuiting huwelijksdwang"') == ["seed-compound"]
    assert found(backend, '"huwelijksdwang kinderuitbuiting"') == []
    assert found(backend, '"aanzienlijk deel van de leerlingen"') == ["motie-gezin"]


def parts_phrase(text: str) -> Phrase:
    """The phrase a query builder should make: at a shared position keep the last token."""
    last = {t.pos: t.text for t in dutch_analyzer()(text, mode="query", positions=True, phrase=True)}
    return Phrase("body_nl", [last[pos] for pos in sorted(last)])


@pytest.mark.parametrize(("phrase", "matches"), [
    ("kinderuitbuiting, huwelijksdwang", True),
    ("uitbuiting huwelijksdwang", True),  # the tail of a compound, then the next word
    ("thema's als kinderuitbuiting", True),
    ("huwelijksdwang kinderuitbuiting", False),
    ("kinderuitbuiting mensenhandel", False),
])
def test_phrases_over_parts_follow_the_index_positions(backend, phrase: str, matches: bool) -> None:  # type: ignore[no-untyped-def]
    with store.open_index(backend.data_dir).searcher() as searcher:
        ids = [hit["id"] for hit in searcher.search(parts_phrase(phrase))]
    assert ids == (["t:seed-compound"] if matches else [])
