"""Export formats: golden files, and every export read back by an independent reader.

Documents: tests/fixtures/export/documents.json (real metadata, see PROVENANCE.md): a
Kamerbrief, a motie, an Aanhangsel, Handelingen, two WODC reports, a CCV evaluation and
two CAHROM documents (EN, FR). Regenerate the golden files after a deliberate change with
``BRONZOEKER_UPDATE_GOLDEN=1 pytest tests/test_export_formats.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from pylatexenc.latex2text import LatexNodes2Text

from indexer.export import FORMATS, UnknownFormat, export, leidraad
from indexer.export.csv_table import COLUMNS
from indexer.export.names import parse_name
from indexer.export.public_url import public_file_url, public_url
from indexer.model import Document

FIXTURES = Path(__file__).parent / "fixtures" / "export"
GOLDEN = Path(__file__).parent / "golden" / "export"
ACCESSED = "2026-11-28"
EXTENSIONS = {name: fmt.extension for name, fmt in FORMATS.items()}


def documents() -> list[Document]:
    data = json.loads((FIXTURES / "documents.json").read_text(encoding="utf-8"))
    return [Document.from_dict(item) for item in data]


def exported(fmt: str, docs: list[Document] | None = None) -> str:
    out = io.StringIO(newline="")
    docs = documents() if docs is None else docs
    assert export(docs, fmt, out, accessed=ACCESSED) == len(docs)
    return out.getvalue()


def test_fixtures_cover_every_kind() -> None:
    kinds = {doc.category for doc in documents()}
    assert kinds == {"kamerstuk", "aanhangsel", "handelingen", "wodc", "ccv", "cahrom", "regelgeving", "overig"}
    assert any(doc.doc_type == "motie" for doc in documents())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden_file(fmt: str) -> None:
    path = GOLDEN / f"documents.{EXTENSIONS[fmt]}"
    text = exported(fmt)
    if os.environ.get("BRONZOEKER_UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert text.encode("utf-8") == path.read_bytes()


def test_registry_and_unknown_format() -> None:
    assert set(FORMATS) == {"ris", "bibtex", "csl-json", "csv", "leidraad"}
    assert FORMATS["ris"].label == "RIS (Zotero, EndNote)"
    with pytest.raises(UnknownFormat) as error:
        export(documents(), "endnote-xml", io.StringIO())
    assert isinstance(error.value, ValueError)
    assert "ris" in str(error.value) and "csl-json" in str(error.value)


# --- RIS ---------------------------------------------------------------------------------

def test_ris_is_strict_crlf_and_typed() -> None:
    text = exported("ris")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    types = [line[6:] for line in lines if line.startswith("TY  - ")]
    assert len(types) == len(documents()) == sum(line == "ER  - " for line in lines)
    assert types == [
        "GOVDOC", "GOVDOC", "GOVDOC", "GOVDOC", "RPRT", "RPRT", "RPRT", "RPRT", "RPRT", "GEN", "GEN",
    ]
    assert not text.startswith("1.")


def test_ris_round_trip() -> None:
    records = rispy.loads(exported("ris"))
    assert len(records) == len(documents())
    for doc, record in zip(documents(), records, strict=True):
        assert record["title"] == doc.title
        assert record["notes"] == [leidraad.cite(doc)]
        assert record.get("abstract", "") == doc.summary
        assert record["language"] == doc.language
        assert record.get("year", "") == doc.year
        assert record.get("urls", []) == ([public_url(doc)] if public_url(doc) else [])
        assert record.get("file_attachments1", "") == public_file_url(doc)
        assert record["access_date"] == "2026/11/28"
        persons = [parse_name(name).inverted for name in doc.authors]
        assert record.get("authors", [])[: len(persons)] == persons


def test_ris_kamerstuk_fields() -> None:
    record = rispy.loads(exported("ris"))[0]
    assert record["authors"] == ["Blok, S.A.", "Asscher, L.F."]
    assert record["date"] == "2017/04/04"
    assert record["publisher"] == "Tweede Kamer der Staten-Generaal"
    assert record["issn"] == "32824, nr. 193"
    assert record["secondary_title"] == "Integratiebeleid"
    assert "geëvalueerde" in record["title"] and "–" in record["title"]


# --- BibTeX ------------------------------------------------------------------------------

def parsed_bibtex() -> bibtexparser.Library:
    return bibtexparser.parse_string(
        exported("bibtex"), append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )


def latex_text(value: str) -> str:
    return LatexNodes2Text().latex_to_text(value)


def test_bibtex_parses_without_failed_blocks() -> None:
    library = parsed_bibtex()
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == [
        "kst32824-193", "ahtk20232024-1481", "htk20172018-50-1", "kst28638-239",
        "Huijbregts2001model", "Dongen2019middelengebruik", "CCV2016oogst",
        "CAHROM2013abridged", "CAHROM2014projet", "BWBR0034176", "Ministerraad2025besluitenlijst",
    ]
    assert [entry.entry_type for entry in library.entries] == ["techreport"] * 9 + ["misc"] * 2


def test_bibtex_round_trip() -> None:
    for doc, entry in zip(documents(), parsed_bibtex().entries, strict=True):
        fields = entry.fields_dict
        assert latex_text(fields["title"].value) == doc.title
        assert latex_text(fields["note"].value) == leidraad.cite(doc)
        assert (fields["year"].value if "year" in fields else "") == doc.year
        assert fields["language"].value == doc.language
        url = fields["url"].value if "url" in fields else ""
        assert url == (public_url(doc) or public_file_url(doc))
        if doc.summary:
            assert latex_text(fields["abstract"].value) == doc.summary


def test_bibtex_names_keep_tussenvoegsels() -> None:
    entries = {entry.key: entry for entry in parsed_bibtex().entries}
    authors = entries["Huijbregts2001model"].fields_dict["author"].value
    assert [(a.first, a.von, a.last) for a in authors] == [
        (["G.L.A.M."], [], ["Huijbregts"]), (["F.P."], ["van"], ["Tulder"]), (["D.E.G."], [], ["Moolenaar"]),
    ]
    institution = entries["CCV2016oogst"].fields_dict["author"].value
    assert [a.last for a in institution] == [["{Centrum voor Criminaliteitspreventie en Veiligheid (CCV)}"]]


def test_bibtex_keys_are_unique_and_stable() -> None:
    twice = documents()[4:5] * 3
    library = bibtexparser.parse_string(exported("bibtex", twice))
    assert [entry.key for entry in library.entries] == ["Huijbregts2001model", "Huijbregts2001modela",
                                                        "Huijbregts2001modelb"]
    assert library.failed_blocks == []


def test_bibtex_escapes_latex_specials() -> None:
    doc = documents()[4].replace(title="Kosten & baten: 100% _zeker_ #1 {x} ~ ^ \\ $5")
    library = bibtexparser.parse_string(exported("bibtex", [doc]))
    assert library.failed_blocks == []
    # pylatexenc renders \\textasciicircum (the right LaTeX for ^) as U+02C6; map it back
    decoded = latex_text(library.entries[0].fields_dict["title"].value).replace("\u02c6", "^")
    assert decoded == "Kosten & baten: 100% _zeker_ #1 {x} ~ ^ \\ $5"


# --- CSL-JSON, rendered with citeproc-py in APA ---------------------------------------------

APA_BIBLIOGRAPHY = [
    "Blok, S. A., & Asscher, L. F. (2017). Afronding programma Aanpak uitbuiting Roma kinderen – opbrengsten "
    "en geëvalueerde proeftuinen (Kamerstuk 32824, nr. 193; Integratiebeleid). Tweede Kamer der Staten-Generaal. "
    "https://zoek.officielebekendmakingen.nl/kst-32824-193.html",
    "Van Huffelen. (2024). Antwoord op vragen van het lid Koekkoek over de (toegang tot) zorg voor "
    "ongedocumenteerde personen op Aruba, Sint-Maarten en Curaçao (Aanhangsel Handelingen 2023/24, nr. 1481). Tweede "
    "Kamer der Staten-Generaal. https://zoek.officielebekendmakingen.nl/ah-tk-20232024-1481.html",
    "Tweede Kamer der Staten-Generaal. (2018). Opening (Handelingen 2017/18, nr. 50, item 1). Tweede Kamer der "
    "Staten-Generaal. https://zoek.officielebekendmakingen.nl/h-tk-20172018-50-1.html",
    "Podt, & Van Nispen. (2023). Motie van de leden Podt en Van Nispen over de beleidswijziging van de "
    "B8/3-regeling terugdraaien (Kamerstuk 28638, nr. 239; Mensenhandel). Tweede Kamer der Staten-Generaal. "
    "https://zoek.officielebekendmakingen.nl/kst-28638-239.html",
    "Huijbregts, G. L. A. M., van Tulder, F. P., & Moolenaar, D. E. G. (2001). Model van justitiële "
    "jeugdvoorzieningen voor prognoses van de capaciteit (Rapport No. 192; Onderzoek en beleid). "
    "Wetenschappelijk Onderzoek- en Documentatiecentrum (WODC).",
    "van Dongen, J. D. M., Sergiou, C. S., & Franken, I. H. A. (2019). Middelengebruik en geweld: ontwikkeling "
    "en validatie van een testbatterij [Rapport]. Wetenschappelijk Onderzoek- en Documentatiecentrum (WODC). "
    "https://hdl.handle.net/20.500.12832/2363",
    "Centrum voor Criminaliteitspreventie en Veiligheid (CCV). (2016). De oogst van negen keer proeftuinieren "
    "[Evaluatie]. Centrum voor Criminaliteitspreventie en Veiligheid (CCV). https://hetccv.nl/onderwerpen/"
    "multiprobleemgezinnen-met-een-roma-achtergrond/documenten/de-oogst-van-negen-keer-proeftuinieren/",
    "Ad hoc Committee of Experts on Roma Issues (CAHROM). (2013). Abridged meeting report (list of decisions) "
    "as approved by the Committee (CAHROM (2013)13; 5th Meeting, Strasbourg, 14-16 May 2013). Council of "
    "Europe. http://rm.coe.int/CoERMPublicCommonSearchServices/DisplayDCTMContent?documentId=09000016800893e7",
    "Comité ad hoc d'experts sur les questions roms (CAHROM). (2014). Projet de rapport (CAHROM (2014)16; 8e "
    "réunion du Bureau, Bureau de liaison du Conseil de l'Europe à Bruxelles, 9 septembre 2014). Conseil de "
    "l'Europe. http://rm.coe.int/CoERMPublicCommonSearchServices/DisplayDCTMContent?documentId=09000016801eac93",
    "Wet Nationaal rapporteur mensenhandel en seksueel geweld tegen kinderen. Retrieved November 28, 2026, "
    "from https://wetten.overheid.nl/BWBR0034176",
    "Ministerraad. (2025, January 10). Besluitenlijst van de vergadering gehouden op vrijdag 10 januari 2025 "
    "(No. 4436061). Ministerraad.",
]
APA_IN_TEXT = [
    "(Blok & Asscher, 2017)", "(Van Huffelen, 2024)", "(Tweede Kamer der Staten-Generaal, 2018)",
    "(Podt & Van Nispen, 2023)", "(Huijbregts et al., 2001)", "(van Dongen et al., 2019)",
    "(Centrum voor Criminaliteitspreventie en Veiligheid (CCV), 2016)",
    "(Ad hoc Committee of Experts on Roma Issues (CAHROM), 2013)",
    "(Comité ad hoc d'experts sur les questions roms (CAHROM), 2014)",
    "(Wet Nationaal rapporteur mensenhandel en seksueel geweld tegen kinderen, n.d.)",
    "(Ministerraad, 2025)",
]


def render_apa(items: list[dict]) -> tuple[list[str], list[str], list[str]]:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    style = CitationStylesStyle(str(FIXTURES / "apa.csl"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    citations = [Citation([CitationItem(item["id"])]) for item in items]
    for citation in citations:
        bibliography.register(citation)
    warnings: list[str] = []
    in_text = [
        "".join(map(str, bibliography.cite(citation, lambda item: warnings.append(item.key))))
        for citation in citations
    ]
    return [str(entry) for entry in bibliography.bibliography()], in_text, warnings


def test_csl_json_renders_in_apa() -> None:
    entries, in_text, warnings = render_apa(json.loads(exported("csl-json")))
    assert warnings == []
    assert entries == APA_BIBLIOGRAPHY
    assert in_text == APA_IN_TEXT


def test_csl_json_round_trip() -> None:
    items = json.loads(exported("csl-json"))
    for doc, item in zip(documents(), items, strict=True):
        assert item["title"] == doc.title
        assert item["note"] == leidraad.cite(doc)
        assert item["language"] == doc.language
        assert item.get("abstract", "") == doc.summary
        issued = item["issued"]["date-parts"][0] if "issued" in item else []
        assert issued == [int(part) for part in doc.date.split("-") if part]
        assert item["accessed"] == {"date-parts": [[2026, 11, 28]]}
    assert items[0]["type"] == "report" and items[0]["number"] == "32824, nr. 193"
    assert items[4]["author"][1] == {"family": "Tulder", "given": "F.P.", "non-dropping-particle": "van"}
    assert items[6]["author"] == [{"literal": "Centrum voor Criminaliteitspreventie en Veiligheid (CCV)"}]


def test_csl_json_empty_is_valid() -> None:
    assert json.loads(exported("csl-json", [])) == []


# --- CSV ---------------------------------------------------------------------------------

def test_csv_round_trip() -> None:
    raw = exported("csv").encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(documents()) + 1
    for doc, values in zip(documents(), rows[1:], strict=True):
        row = dict(zip(COLUMNS, values, strict=True))
        assert row["title"] == doc.title
        assert row["citation"] == leidraad.cite(doc)
        assert row["authors"] == "; ".join(doc.authors)
        assert row["summary"] == doc.summary
        assert all(row[key] == value for key, value in doc.identifiers.items())
        assert all(row.get(f"extra_{key}", value) == value for key, value in doc.extra.items())


def test_csv_columns_are_unique() -> None:
    assert len(set(COLUMNS)) == len(COLUMNS)


def test_csv_quotes_every_value_and_defuses_formulas() -> None:
    doc = documents()[0].replace(title="=HYPERLINK(\"http://x\")")
    text = exported("csv", [doc])
    row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";"))[1]
    assert row[COLUMNS.index("title")] == "'=HYPERLINK(\"http://x\")"
    assert text.splitlines()[1].startswith('"officielebekendmakingen:kst-32824-193";"')


def test_extractor_style_names_give_short_keys_and_eerste_kamer_publisher() -> None:
    ccv = documents()[6].replace(creators=("Centrum voor Criminaliteitspreventie en Veiligheid",))
    eerste_kamer = documents()[0].replace(
        authors=(), identifiers={"canonical": "kst-35913-F", "dossier": "35913", "ondernummer": "F",
                                 "vergaderjaar": "2021-2022", "kamer": "I"})
    library = bibtexparser.parse_string(exported("bibtex", [ccv, eerste_kamer]))
    assert [entry.key for entry in library.entries] == ["CCV2016oogst", "kst35913-F"]
    record = rispy.loads(exported("ris", [eerste_kamer]))[0]
    assert record["publisher"] == "Eerste Kamer der Staten-Generaal"
    assert record["authors"] == ["Eerste Kamer der Staten-Generaal"]
    assert record["notes"] == ["Kamerstukken I 2021/22, 35913, F"]


def test_ris_carries_the_canonical_id_as_accession_number() -> None:
    records = rispy.loads(exported("ris"))
    assert [record["accession_number"] for record in records[:2]] == ["kst-32824-193", "ah-tk-20232024-1481"]


def test_every_written_field_survives_each_reader() -> None:
    from indexer.export.bibtex import base_key, bibtex_entry
    from indexer.export.csl_json import csl_item
    from indexer.export.csv_table import row
    from indexer.export.fields import citation_fields
    from indexer.export.ris import ris_record

    docs = documents()
    fields = [citation_fields(doc, ACCESSED) for doc in docs]
    assert rispy.loads(exported("ris")) == [ris_record(f) for f in fields]
    assert json.loads(exported("csl-json")) == [csl_item(f) for f in fields]
    rows = list(csv.DictReader(io.StringIO(exported("csv").lstrip("\ufeff"), newline=""), delimiter=";"))
    assert rows == [row(doc, ACCESSED) for doc in docs]
    for f, entry in zip(fields, parsed_bibtex().entries, strict=True):
        written = bibtex_entry(f, base_key(f)).fields_dict
        read = entry.fields_dict
        assert set(read) == set(written)
        for name in set(written) - {"author"}:
            assert latex_text(read[name].value) == latex_text(written[name].value), name
