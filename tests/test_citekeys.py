"""The parliamentary-identifier vocabulary (indexer/citekeys): one answer per drifted case,
every table complete, and every stage reading identifiers through it."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from lxml import etree

from indexer.citekeys import (
    CATEGORY_TABLE,
    DOC_TYPES,
    Category,
    category_of_koop_id,
    doc_type_of,
    identifiers_of,
    normalise_dossier,
    parse_dossier,
    parse_vergaderjaar,
)
from indexer.citekeys.doctypes import ACT_TYPES, SPELLINGS
from indexer.citekeys.koop import SERIES, record_identifiers
from indexer.citekeys.vergaderjaar import of_date
from indexer.export import leidraad
from indexer.extract.koop_meta import PARLEMENTAIR_TYPES, apply_koop_meta
from indexer.extract.metadata import DOC_TYPE_CUES, REGELING_TYPES
from indexer.extract.reports_meta import CAHROM_TYPES
from indexer.extract.result import Extracted
from indexer.federation.sru import dc_document
from indexer.sources.oai_dc import TYPES as OAI_TYPES
from indexer.sources.sru import record_metadata
from indexer.sources.tk_odata import document_metadata

ROOT = Path(__file__).resolve().parent.parent
SRU_PAGE = ROOT / "tests" / "fixtures" / "replay" / "sru" / "kst_page1.xml"
TK_PAGE = ROOT / "tests" / "fixtures" / "replay" / "tk" / "document_page_100.json"
DC = "http://purl.org/dc/elements/1.1/"


def sru_record(**replace: str) -> dict[str, object]:
    """The first gzd record of a real SRU page, with element texts replaced by local name."""
    tree = etree.fromstring(SRU_PAGE.read_bytes())
    gzd = next(el for el in tree.iter() if etree.QName(el).localname == "gzd")
    for element in gzd.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in replace:
            element.text = replace[etree.QName(element).localname]
    return record_metadata(gzd)


def dc_record(identifier: str) -> etree._Element:
    data = etree.Element("recordData")
    for name, value in (("identifier", identifier), ("title", "Een publicatie")):
        etree.SubElement(data, f"{{{DC}}}{name}").text = value
    return data


# --- the drifted cases, each with one answer (docs/citekeys.md says why) ---------------------

@pytest.mark.parametrize("spelling", ["36600 VI", "36600VI", "36 600 VI", "36600-VI", "36600 vi"])
def test_a_dossier_with_a_chapter_is_written_with_a_space(spelling: str) -> None:
    assert normalise_dossier(spelling) == "36600 VI"
    assert parse_dossier(spelling).key == "36600-VI"  # type: ignore[union-attr]


def test_the_sru_connector_keeps_the_space_of_a_dossier_chapter() -> None:
    assert sru_record(dossiernummer="36600 VI")["dossier"] == "36600 VI"  # was 36600VI


def test_a_staatsblad_publication_is_regelgeving_in_every_stage() -> None:
    assert category_of_koop_id("stb-2020-1") is Category.REGELGEVING
    assert record_identifiers("stb-2020-1")["category"] == "regelgeving"
    federated = dc_document("ob", dc_record("stb-2020-1"))
    assert federated is not None and federated.category == "regelgeving"  # was overig
    assert federated.identifiers["canonical"] == "stb-2020-1"
    assert leidraad.cite(federated) == "Stb. 2020, 1"


def test_kamervragen_are_a_kamerstuk_in_every_stage() -> None:
    extracted = Extracted(format="test")
    apply_koop_meta({"DC.identifier": ["kv-tk-2022Z01227"]}, extracted)
    assert extracted.fields["category"] == "kamerstuk"
    assert extracted.identifiers["canonical"] == "kv-tk-2022Z01227"
    federated = dc_document("ob", dc_record("kv-tk-2022Z01227"))
    assert federated is not None and federated.category == "kamerstuk"  # was overig


def test_a_motion_named_after_its_member_is_a_motie() -> None:
    assert doc_type_of("Motie van het lid X") == "motie"
    assert sru_record(subrubriek="Motie van het lid Bikker c.s.")["doc_type"] == "motie"  # was the title
    entity = next(e for e in json.loads(TK_PAGE.read_text(encoding="utf-8")) if e.get("Soort") == "Motie")
    assert document_metadata({**entity, "Soort": "Motie van het lid Kwint"})["doc_type"] == "motie"


# --- vergaderjaar -------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["2016-2017", "20162017", "2016/17", "2016–2017", "2016/2017",
                                      "Vergaderjaar 2016 - 2017"])
def test_every_spelling_of_a_vergaderjaar_is_one_year(spelling: str) -> None:
    year = parse_vergaderjaar(spelling)
    assert year is not None and (year.dashed, year.compact, year.leidraad) == ("2016-2017", "20162017", "2016/17")


def test_a_century_and_an_impossible_pair() -> None:
    assert parse_vergaderjaar("1999/00").dashed == "1999-2000"  # type: ignore[union-attr]
    assert parse_vergaderjaar("2016/18") is None and parse_vergaderjaar("2016") is None


@pytest.mark.parametrize(("day", "expected"), [
    ("2016-09-19", "2015-2016"), ("2016-09-20", "2016-2017"),  # Prinsjesdag 2016: 20 september
    ("2024-09-16", "2023-2024"), ("2024-09-17", "2024-2025"),  # Prinsjesdag 2024: 17 september
    ("2017-04-04", "2016-2017"),  # the seed letter, Kamerstuk 32 824, nr. 193 (vergaderjaar 2016-2017)
])
def test_a_date_falls_in_the_year_opened_by_the_last_prinsjesdag(day: str, expected: str) -> None:
    assert of_date(dt.date.fromisoformat(day)).dashed == expected


# --- KOOP ids -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("koop_id", "expected"), [
    ("kst-32824-193", {"dossier": "32824", "ondernummer": "193"}),
    ("kst-36600-VI-149", {"dossier": "36600 VI", "ondernummer": "149"}),
    ("kst-21501-02-3121", {"dossier": "21501-02", "ondernummer": "3121"}),
    ("kst-35913-F", {"dossier": "35913", "ondernummer": "F"}),
    ("ah-tk-20162017-1234", {"kamer": "II", "vergaderjaar": "2016-2017", "aanhangselnummer": "1234"}),
    ("h-ek-20172018-5-2", {"kamer": "I", "vergaderjaar": "2017-2018", "vergadering": "5", "item": "2"}),
    ("https://zoek.officielebekendmakingen.nl/stcrt-2015-47076/", {}),
])
def test_koop_ids_split_into_their_parts(koop_id: str, expected: dict[str, str]) -> None:
    canonical = koop_id.rstrip("/").rsplit("/", 1)[-1]
    assert identifiers_of(koop_id) == {"canonical": canonical, **expected}


# --- the tables ---------------------------------------------------------------------------------

def test_every_category_has_its_label_leidraad_form_and_export_profile() -> None:
    english = json.loads((ROOT / "search_ui" / "translations" / "en.json").read_text(encoding="utf-8"))
    assert set(CATEGORY_TABLE) == set(Category)
    for category, row in CATEGORY_TABLE.items():
        assert row.label and row.label in english, category
        assert row.leidraad in leidraad.CITERS, category
        profile = row.profile
        assert all((profile.ris_type, profile.csl_type, profile.bibtex_type, profile.zotero_type)), category
        assert (row.leidraad_publisher != "") == (row.leidraad.name == "RAPPORT"), category


def test_every_document_type_maps_to_a_category() -> None:
    assert all(isinstance(category, Category) for category in DOC_TYPES.values())
    assert {spelling.doc_type for spelling in SPELLINGS} <= set(DOC_TYPES)
    assert [s.text for s in SPELLINGS] == [s.text.lower() for s in SPELLINGS], "spellings are lower case"


def test_every_document_type_a_stage_gives_is_in_the_vocabulary() -> None:
    given = {kind for _, _, kind in DOC_TYPE_CUES} | set(REGELING_TYPES.values()) | set(ACT_TYPES.values())
    given |= {kind for _, kind in CAHROM_TYPES} | set(PARLEMENTAIR_TYPES.values()) | set(OAI_TYPES.values())
    with (ROOT / "tests" / "golden" / "gate" / "corpus_metadata.tsv").open(encoding="utf-8") as gate:
        given |= {row["doc_type"] for row in csv.DictReader(gate, delimiter="\t") if row["doc_type"]}
    assert sorted(given - set(DOC_TYPES)) == []


def test_a_longer_phrase_comes_before_the_phrase_it_contains() -> None:
    phrases = [spelling.text for spelling in SPELLINGS if spelling.in_titles]
    for i, phrase in enumerate(phrases):
        for later in phrases[i + 1:]:
            assert phrase not in later or doc_type_of(later) == doc_type_of(phrase), (phrase, later)


def test_every_koop_series_has_a_category_and_journals_an_abbreviation() -> None:
    for prefix, series in SERIES.items():
        assert isinstance(series.category, Category), prefix
        assert bool(series.journal) == (series.category in (Category.REGELGEVING, Category.BEKENDMAKING)), prefix


# --- one home: no stage keeps a copy ------------------------------------------------------------

def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return found | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


def test_the_index_does_not_import_the_extractor() -> None:
    offenders = [path.name for path in (ROOT / "indexer" / "index").glob("*.py")
                 if any(name.startswith("indexer.extract") for name in imports_of(path))]
    assert offenders == []


def test_the_vocabulary_imports_only_the_standard_library_and_itself() -> None:
    for path in (ROOT / "indexer" / "citekeys").glob("*.py"):
        project = {name for name in imports_of(path) if name.startswith("indexer")}
        assert all(name.startswith("indexer.citekeys") for name in project), path.name
        assert not {name.split(".")[0] for name in imports_of(path)} & {"lxml", "whoosh", "flask"}, path.name


OLD_NAMES = ("identifiers_from_koop_id", "dossier_number", "_kst_key", "split_vergaderjaar", "kamer_of(",
             "KOOP_CATEGORIES", "PUBLICATION_PREFIXES", "_years_from_text", "KAMER_LABELS", "koop_ids")


def test_no_old_copy_is_left() -> None:
    sources = [p for d in ("indexer", "search_ui", "scripts", "bench") for p in (ROOT / d).rglob("*.py")]
    found = [(p.name, name) for p in sources for name in OLD_NAMES if name in p.read_text(encoding="utf-8")]
    assert found == []
