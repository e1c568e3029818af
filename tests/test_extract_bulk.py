"""A sample of the 8,041 bulk KOOP motion XMLs: every file extracts, ids match the metadata URL.

The full set is checked by scripts/check_bulk_extraction.py (not at test time: it reads
the shared folder). Here: 50 files copied into tests/fixtures/extract/bulk-sample/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.citekeys import identifiers_of
from indexer.extract import extract
from indexer.extract.officiele_publicatie import body_identifiers, parse_xml
from indexer.extract.result import Extracted
from indexer.model import Record
from scripts.check_bulk_extraction import extern_id

SAMPLE = sorted((Path(__file__).resolve().parent / "fixtures" / "extract" / "bulk-sample").glob("*.xml"))


def extracted(path: Path):
    return extract(Record(source="bulk", native_id=path.stem, url=path.as_uri(), body=path.read_bytes(),
                          content_type="application/xml"))


def test_sample_is_there():
    assert len(SAMPLE) == 50


@pytest.mark.parametrize("path", SAMPLE, ids=[p.stem[:8] for p in SAMPLE])
def test_bulk_xml_extracts_with_identifiers(path):
    doc = extracted(path)
    assert doc.category == "kamerstuk"
    assert doc.doc_type == "motie"
    assert doc.title and doc.date and doc.body
    koop_id = extern_id(path.read_bytes())
    if koop_id:  # only externMetadataRecord: the body alone must give the same identifiers
        expected = identifiers_of(koop_id)
        from_body = body_identifiers(parse_xml(path.read_bytes(), Extracted(format="test")))
        assert {k: from_body.get(k) for k in expected} == expected
        assert {k: doc.identifiers.get(k) for k in expected} == expected
        assert "identifier-mismatch" not in doc.flags
    else:
        assert doc.identifiers["canonical"].startswith("kst-")


def test_double_encoded_source_text_is_repaired_and_flagged():
    doc = extracted(next(p for p in SAMPLE if p.name.startswith("99a8990c")))
    assert "mojibake-repaired" in doc.flags
    assert "financiële sector" in doc.body and "Ã" not in doc.body


def test_date_written_without_space_is_read():
    doc = extracted(next(p for p in SAMPLE if p.name.startswith("366649e9")))
    assert doc.date == "2024-12-03"
    assert doc.identifiers["canonical"] == "kst-36600-VI-119"
