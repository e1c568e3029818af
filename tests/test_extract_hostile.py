"""Broken and hostile files end as an ExtractionError with a reason, or a flagged document.

Fixtures come from scripts/make_hostile_fixtures.py (tests/fixtures/extract/hostile/);
the bomb runs only through extract_guarded, the way the pipeline calls it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.extract import ExtractionError, extract, extract_guarded
from indexer.model import Record
from tests.documents import document_path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
HOSTILE = FIXTURES / "hostile"


def record(path: Path, content_type: str = "") -> Record:
    return Record(source="hostile", native_id=path.stem, url=path.as_uri(), body=path.read_bytes(),
                  content_type=content_type)


@pytest.mark.parametrize("name, content_type, reason", [
    ("empty.pdf", "application/pdf", "empty file"),
    ("encrypted.pdf", "application/pdf", "encrypted PDF"),
    ("truncated.pdf", "application/pdf", "unreadable PDF"),
    ("page-tree-loop.pdf", "", "unreadable PDF"),
    ("nested-arrays.pdf", "", "unreadable PDF"),
    ("html-as-pdf.pdf", "application/pdf", "not a PDF: starts with b'<!DOC'"),
    ("garbage.bin", "", "unrecognised binary format"),
])
def test_broken_files_fail_with_a_reason(name, content_type, reason, monkeypatch):
    monkeypatch.setenv("BRONZOEKER_PDF_ENGINE", "pypdf")
    with pytest.raises(ExtractionError) as info:
        extract(record(HOSTILE / name, content_type))
    assert info.value.reason.startswith(reason)


@pytest.mark.parametrize("engine", ["pypdf", "pypdfium2"])
@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.iterdir() if p.name != "deflate-bomb.pdf"))
def test_every_hostile_file_ends_as_a_reason_or_a_document(name, engine, monkeypatch):
    """Both PDF engines: a recorded failure or a (possibly flagged) document, nothing else.
    (pypdfium2 reads the page-tree loop and the nested arrays that pypdf rejects.)"""
    pytest.importorskip(engine)
    monkeypatch.setenv("BRONZOEKER_PDF_ENGINE", engine)
    try:
        doc = extract(record(HOSTILE / name, "application/pdf" if name.endswith(".pdf") else ""))
    except ExtractionError as exc:
        assert exc.reason
    else:
        assert doc.body.strip() or {"no-text-layer", "no-text", "page-error"} & set(doc.flags)


def test_pdf_encrypted_for_the_owner_only_is_read():
    doc = extract(record(HOSTILE / "owner-only-encrypted.pdf", "application/pdf"))
    assert doc.identifiers["canonical"] == "kst-21501-02-3121"


def test_invalid_utf8_is_decoded_and_flagged():
    doc = extract(record(HOSTILE / "invalid-utf8.txt", "text/plain"))
    assert "invalid-utf8" in doc.flags
    assert "coöperatieve programma is geëvalueerd; één vraag" in doc.body


def test_deflate_bomb_is_stopped_by_the_memory_limit():
    with pytest.raises(ExtractionError) as info:
        extract_guarded(record(HOSTILE / "deflate-bomb.pdf", "application/pdf"), timeout=60, max_memory_mb=512)
    assert info.value.reason.startswith(("exceeded memory limit", "timed out after", "unreadable PDF"))


def test_deflate_bomb_is_stopped_by_the_timeout_when_memory_allows():
    with pytest.raises(ExtractionError) as info:
        extract_guarded(record(HOSTILE / "deflate-bomb.pdf"), timeout=0.5, max_memory_mb=16_000)
    assert info.value.reason in ("timed out after 0.5 s",) or info.value.reason.startswith("exceeded memory")


def test_guarded_returns_the_same_document_as_extract():
    path = document_path("kst-28286-1366-motie-holman-van-campen.pdf")
    assert extract_guarded(record(path), fetched_at="x") == extract(record(path), fetched_at="x")


def test_guarded_reports_extraction_errors():
    with pytest.raises(ExtractionError) as info:
        extract_guarded(record(HOSTILE / "encrypted.pdf"))
    assert info.value.reason == "encrypted PDF"


def test_image_only_page_without_tesseract_is_flagged(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # hide the tesseract binary
    doc = extract(record(document_path("ic-scan-no-textlayer.pdf")))
    assert "no-text-layer" in doc.flags and "ocr" not in doc.flags
    assert len(doc.pages) == 2
    assert doc.pages[0].strip() == ""  # the scanned page stays empty, in its place
    assert "Knops" in doc.pages[1]  # the page with a text layer keeps its text


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_image_only_page_is_read_with_ocr():
    doc = extract(record(document_path("ic-scan-no-textlayer.pdf")))
    assert "ocr" in doc.flags and "no-text-layer" not in doc.flags
    assert "Ministerie" in doc.pages[0]


def test_guarded_worker_recovers_after_a_timeout():
    bomb = record(HOSTILE / "deflate-bomb.pdf")
    with pytest.raises(ExtractionError):
        extract_guarded(bomb, timeout=0.5, max_memory_mb=16_000)
    path = document_path("kst-28638-238.xml")
    assert extract_guarded(record(path)).identifiers["canonical"] == "kst-28638-238"


def test_guarded_worker_follows_a_changed_setting(monkeypatch):
    """The worker is reused between documents, but not across a changed BRONZOEKER_* setting."""
    pytest.importorskip("pypdfium2")
    nested = record(HOSTILE / "nested-arrays.pdf")
    monkeypatch.setenv("BRONZOEKER_PDF_ENGINE", "pypdf")
    with pytest.raises(ExtractionError):
        extract_guarded(nested)
    monkeypatch.setenv("BRONZOEKER_PDF_ENGINE", "pypdfium2")  # PDFium opens it: a flagged empty document
    assert "no-text" in extract_guarded(nested).flags


def test_worker_does_not_outlive_a_killed_crawler():
    """A crawler killed with SIGKILL leaves no worker holding its stdout/stderr open."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        import pathlib, time
        from indexer.model import Record
        from indexer.extract import extract_guarded
        path = pathlib.Path({str(document_path("kst-28638-238.xml"))!r})
        extract_guarded(Record(source="b", native_id="x", url="x", body=path.read_bytes()))
        print("ready", flush=True)
        time.sleep(120)
    """)
    crawler = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=Path(__file__).resolve().parent.parent)
    assert crawler.stdout.readline() == b"ready\n"
    crawler.kill()
    crawler.communicate(timeout=30)  # EOF only once the worker has gone too


def test_pdf_sent_as_html_is_read_as_pdf_and_flagged():
    doc = extract(record(document_path("kst-21501-02-3121-motie-ceder.pdf"), "text/html; charset=utf-8"))
    assert "content-type-mismatch" in doc.flags
    assert doc.identifiers["canonical"] == "kst-21501-02-3121"


@pytest.mark.parametrize("name", ["billion-laughs.xml", "deep-nesting.xml"])
def test_xml_bombs_are_not_expanded(name):
    doc = extract_guarded(record(HOSTILE / name, "application/xml"), timeout=30)
    assert "lollol" not in doc.body and len(doc.body) < 10_000
    assert doc.body.strip() or "no-text" in doc.flags


def test_pypdfium2_is_the_default_engine(monkeypatch):
    """Without a choice PDFium reads the file: it opens the page-tree loop pypdf rejects."""
    monkeypatch.delenv("BRONZOEKER_PDF_ENGINE", raising=False)
    doc = extract(record(HOSTILE / "page-tree-loop.pdf", "application/pdf"))
    assert len(doc.pages) == 2


def test_what_pdfium_cannot_open_goes_to_pypdf(monkeypatch):
    """The default engine hands a file PDFium rejects to pypdf, whose reason is recorded."""
    monkeypatch.delenv("BRONZOEKER_PDF_ENGINE", raising=False)
    with pytest.raises(ExtractionError) as info:
        extract(record(HOSTILE / "truncated.pdf", "application/pdf"))
    assert info.value.reason == "unreadable PDF: Stream has ended unexpectedly"
