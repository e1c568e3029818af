"""Extraction on real documents from corpus/: formats, metadata, references, overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.citekeys import canonical_keys, normalise_url
from indexer.extract import ExtractionError, extract
from indexer.model import Record, content_hash

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = CORPUS / "kamerstukken" / "kst-32824-193.txt"


def record_for(path: Path, metadata: dict | None = None, content_type: str = "", source: str = "test") -> Record:
    sidecar = path.with_name(path.name + ".meta.json")
    if metadata is None and sidecar.exists():
        metadata = json.loads(sidecar.read_text(encoding="utf-8"))
    return Record(source=source, native_id=path.stem, url=path.resolve().as_uri(), body=path.read_bytes(),
                  content_type=content_type, file_url=path.resolve().as_uri(), metadata=metadata or {})


@pytest.fixture(scope="module")
def seed():
    return extract(record_for(SEED), fetched_at="2026-11-28T23:00:00Z")


def test_seed_letter_identifiers(seed):
    assert seed.identifiers["dossier"] == "32824"
    assert seed.identifiers["ondernummer"] == "193"
    assert seed.identifiers["vergaderjaar"] == "2016-2017"
    assert seed.identifiers["canonical"] == "kst-32824-193"
    assert seed.category == "kamerstuk"


def test_seed_letter_references_join_footnote_urls(seed):
    refs = set(seed.references)
    assert {"kst-28638-152", "kst-28638-157"} <= refs
    assert "url:hetccv.nl/onderwerpen/multi-probleemgezinnen-met-een-roma-achtergrond" in refs
    assert "url:hetccv.nl/fileadmin/Bestanden/Onderwerpen/Multiprobleem_gezin/Rapport_Roma_totaal__JH13.12.2016_.pdf" in refs


def flat(text: str) -> str:
    return " ".join(text.split())


def test_seed_letter_text_is_clean(seed):
    body = flat(seed.body)
    assert "vergaderjaar 2016–2017, 32 824" not in body
    assert "woonomgeving" in body and "woonom-" not in body
    assert "Capelle aan den IJssel" in body
    assert "complex multiprobleemgezin te benaderen" in body
    assert "(en -families)" in body


def test_sidecar_metadata_overrides_and_record_fields(seed):
    assert seed.title.startswith("Afronding programma Aanpak uitbuiting Roma kinderen")
    assert seed.authors == ("S.A. Blok", "L.F. Asscher")
    assert seed.date == "2017-04-04"
    assert seed.url == "https://zoek.officielebekendmakingen.nl/kst-32824-193.html"
    assert seed.id == "test:kst-32824-193"
    # the hash covers the bytes and the sidecar metadata: editing either is a change
    record = record_for(SEED)
    assert seed.content_hash == record.digest
    assert record.digest != content_hash(SEED.read_bytes())
    assert seed.fetched_at == "2026-11-28T23:00:00Z"
    assert seed.extra["dossier_title"] == "Integratiebeleid"


def test_canonical_keys_include_urls(seed):
    keys = canonical_keys(seed)
    assert "kst-32824-193" in keys
    assert "url:zoek.officielebekendmakingen.nl/kst-32824-193.html" in keys


@pytest.mark.parametrize("url, expected", [
    ("https://www.HetCCV.nl/onderwerpen/x/#top", "hetccv.nl/onderwerpen/x"),
    ("http://repository.wodc.nl/handle/20.500.12832/2871/", "repository.wodc.nl/handle/20.500.12832/2871"),
    ("rm.coe.int/cahrom-2013-13/1680?x=1", "rm.coe.int/cahrom-2013-13/1680?x=1"),
])
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


def test_empty_file_is_an_error():
    with pytest.raises(ExtractionError) as info:
        extract(Record(source="t", native_id="x", url="file:///x", body=b""))
    assert info.value.reason == "empty file"


def test_bench_measure_reports_every_format_and_engine():
    from indexer.extract.bench import measure

    report = measure([CORPUS / "kamerstukken" / "kst-21501-02-3121-motie-ceder.pdf",
                      CORPUS / "xml" / "kst-28638-238.xml", CORPUS / "html" / "kst-32824-399.html"],
                     guarded=False)
    assert set(report) == {"pdf", "xml", "html"}
    assert report["pdf"]["extract"]["pages"] == 1 and report["pdf"]["extract"]["failed"] == 0
    assert set(report["pdf"]["engines"]) >= {"pypdf"}
    assert report["xml"]["extract"]["docs"] == 1


# WODC, CCV and CAHROM: the corpus holds no such documents yet, so these check the formats
# docs/connectors.md describes for them: handles, series in file names, references, dates.
def report_record(url: str, text: str, **metadata) -> Record:
    return Record(source="reports", native_id="x", url=url, body=text.encode("utf-8"),
                  content_type="text/plain", metadata=metadata)


def test_wodc_report_from_handle_and_file_name():
    doc = extract(report_record(
        "https://repository.wodc.nl/bitstream/handle/20.500.12832/3443/Cahier-2025-21-volledige-tekst.pdf",
        "Wetenschappelijk Onderzoek- en Documentatiecentrum\n\nSamenvatting\n\nDit onderzoek beschrijft de aanpak.\n",
        authors=["A. Onderzoeker", "B. Auteur"], date="2025-04-21"))
    assert doc.category == "wodc" and doc.doc_type == "rapport"
    assert doc.identifiers["handle"] == "20.500.12832/3443"
    assert doc.identifiers["canonical"] == "wodc:3443"
    assert doc.identifiers["report_number"] == "Cahier 2025-21"
    assert doc.summary == "Dit onderzoek beschrijft de aanpak."
    assert doc.authors == ("A. Onderzoeker", "B. Auteur")


def test_ccv_theme_from_path():
    doc = extract(report_record("https://hetccv.nl/onderwerpen/multi-probleemgezinnen-met-een-roma-achtergrond/",
                                "Evaluatie proeftuinen aanpak multiprobleemgezinnen.\n"))
    assert doc.category == "ccv"
    assert doc.extra["theme"] == "Multi probleemgezinnen met een roma achtergrond"
    assert doc.creators == ("Centrum voor Criminaliteitspreventie en Veiligheid",)


def test_cahrom_reference_date_and_language():
    doc = extract(report_record("https://rm.coe.int/cahrom-2013-13/1680",
                                "Strasbourg, 16 May 2013\n\nCAHROM (2013)13\n\nAD HOC COMMITTEE OF EXPERTS ON ROMA "
                                "AND TRAVELLER ISSUES (CAHROM)\n\nThematic report on school attendance of Roma "
                                "children, prepared following the visit of experts to the Netherlands.\n"))
    assert doc.category == "cahrom"
    assert doc.identifiers["coe_reference"] == "CAHROM(2013)13"
    assert doc.identifiers["canonical"] == "coe:CAHROM(2013)13-en"
    assert doc.date == "2013-05-16" and doc.language == "en"


def test_koop_meta_fields_are_all_kept_and_cited_dossier_becomes_a_reference():
    doc = extract(record_for(CORPUS / "html" / "h-tk-20232024-13-19.html"))
    assert doc.extra["OVERHEIDop.behandeldDossier"] == "32824;405"
    assert doc.extra["OVERHEIDop.publicationIssue"] == "13"
    assert "kst-32824-405" in doc.references
    assert "OVERHEIDop.configuratie" not in doc.extra


@pytest.mark.parametrize("broken, joined", [
    ("criminali-\nteit", "criminaliteit\n"),
    ("Noord-\nBrabant", "Noord-Brabant\n"),
    ("’s-\nGravenhage", "’s-Gravenhage\n"),
    ("hbo-\nopleiding", "hbo-opleiding\n"),
    ("e-\nmail", "e-mail\n"),
    ("niet-\nversleutelde", "niet-versleutelde\n"),
    ("bron-\nen contactonderzoek", "bron- en\ncontactonderzoek"),
    ("COVID-\n19", "COVID-19\n"),
    ("woonom-\ngeving, zeer", "woonomgeving,\nzeer"),
    ("professionali\u00ad\nsering", "professionalisering\n"),
])
def test_line_end_hyphenation(broken, joined):
    from indexer.extract.hyphenation import dehyphenate

    assert dehyphenate(broken) == joined


def test_letter_filed_in_two_dossiers_keeps_the_second():
    """The page-1 head of the typeset seed letter (its PDF layout; the corpus text lacks page 1's head)."""
    head = ("Tweede Kamer der Staten-Generaal\n2\nVergaderjaar 2016–2017\n32 824 Integratiebeleid\n"
            "28 638 Mensenhandel\nNr. 193 BRIEF VAN DE MINISTERS VAN VEILIGHEID EN JUSTITIE EN VAN SOCIALE\n"
            "ZAKEN EN WERKGELEGENHEID\nAan de Voorzitter van de Tweede Kamer der Staten-Generaal\n"
            "Den Haag, 4 april 2017\n")
    body = SEED.read_bytes().decode("utf-8")
    doc = extract(Record(source="t", native_id="kst-32824-193", url="file:///x.txt",
                         body=(head + body).encode("utf-8"), content_type="text/plain"))
    assert doc.identifiers["dossier"] == "32824" and doc.identifiers["canonical"] == "kst-32824-193"
    assert doc.extra["dossier_title"] == "Integratiebeleid"
    assert doc.extra["other_dossiers"] == "28638 Mensenhandel"
    assert doc.doc_type == "brief" and doc.date == "2017-04-04"


def test_protocol_metadata_in_other_spellings_is_normalised():
    doc = extract(record_for(SEED, {"date": "4 april 2017", "language": "dut", "authors": "S.A. Blok; L.F. Asscher",
                                    "vergaderjaar": "2016–2017", "series": "Brieven", "kenmerk": ["a", "b"]}))
    assert doc.date == "2017-04-04" and doc.language == "nl"
    assert doc.authors == ("S.A. Blok", "L.F. Asscher")
    assert doc.identifiers["vergaderjaar"] == "2016-2017" and doc.identifiers["series"] == "Brieven"
    assert doc.extra["kenmerk"] == "a; b"
