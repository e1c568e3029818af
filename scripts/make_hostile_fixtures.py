"""Build the broken and hostile files the extraction tests feed to the extractor.

Writes small files into tests/fixtures/extract/hostile/ (committed; rerun to rebuild):
truncated.pdf (a real Kamerstuk cut at 40 %), encrypted.pdf (user password),
owner-only-encrypted.pdf (empty user password: must still be read), empty.pdf (zero
bytes), deflate-bomb.pdf (a content stream that inflates to ~1 GB through two Flate
layers), nested-arrays.pdf (page contents nested 50,000 arrays deep), page-tree-loop.pdf
(a /Pages node that is its own kid), html-as-pdf.pdf (an HTML error page),
invalid-utf8.txt (cp1252 Dutch text), garbage.bin (random bytes), billion-laughs.xml
(entity expansion bomb), deep-nesting.xml (5,000 nested elements; lxml stops at 256).

Usage: .venv/bin/python scripts/make_hostile_fixtures.py
"""

from __future__ import annotations

import io
import random
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PDF = ROOT / "corpus" / "kamerstukken" / "kst-21501-02-3121-motie-ceder.pdf"
OUT = ROOT / "tests" / "fixtures" / "extract" / "hostile"


def pdf_with(objects: list[bytes]) -> bytes:
    """A minimal PDF with the given objects (1-based numbering) and a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def page_objects(content: bytes, stream_dict: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s >>\nstream\n" % (len(content), stream_dict) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def deflate_bomb(size_mb: int = 1024) -> bytes:
    """Text operators repeated to ``size_mb`` MB, deflated twice (~1000:1 per layer)."""
    chunk = b"BT /F1 12 Tf 72 720 Td (bom) Tj ET\n" * 30_000
    inner = zlib.compressobj(9)
    parts = [inner.compress(chunk) for _ in range(size_mb * 1024 * 1024 // len(chunk))]
    once = b"".join(parts) + inner.flush()
    twice = zlib.compress(once, 9)
    return pdf_with(page_objects(twice, b"/Filter [/FlateDecode /FlateDecode]"))


def nested_arrays(depth: int = 50_000) -> bytes:
    """The page's /Contents is an array nested ``depth`` deep: parsing it recurses."""
    objects = page_objects(b"BT /F1 12 Tf 72 720 Td (diep) Tj ET")
    objects[2] = objects[2].replace(b"/Contents 4 0 R", b"/Contents " + b"[" * depth + b"4 0 R" + b"]" * depth)
    return pdf_with(objects)


def page_tree_loop() -> bytes:
    objects = page_objects(b"BT /F1 12 Tf 72 720 Td (lus) Tj ET")
    objects[1] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    return pdf_with(objects)


def billion_laughs(levels: int = 10) -> bytes:
    """The classic entity expansion bomb: 10^9 "lol"s if a parser expands entities."""
    lines = [b'<!ENTITY lol0 "lol">']
    lines += [b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, levels)]
    return (b"<?xml version='1.0'?>\n<!DOCTYPE officiele-publicatie [\n" + b"\n".join(lines) + b"\n]>\n"
            b"<officiele-publicatie><al>&lol%d;</al></officiele-publicatie>\n" % (levels - 1))


def encrypted(source: bytes, user_password: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password=user_password, owner_password="eigenaar", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    source = SOURCE_PDF.read_bytes()
    files = {
        "truncated.pdf": source[: len(source) * 4 // 10],
        "encrypted.pdf": encrypted(source, "geheim"),
        "owner-only-encrypted.pdf": encrypted(source, ""),
        "empty.pdf": b"",
        "deflate-bomb.pdf": deflate_bomb(),
        "nested-arrays.pdf": nested_arrays(),
        "page-tree-loop.pdf": page_tree_loop(),
        "html-as-pdf.pdf": b"<!DOCTYPE html>\n<html><head><title>404 Pagina niet gevonden</title></head>"
                           b"<body><h1>Pagina niet gevonden</h1></body></html>\n",
        "invalid-utf8.txt": "Het coöperatieve programma is geëvalueerd; één vraag over ‘s-Gravenhage.\n"
                            .encode("cp1252"),
        "garbage.bin": random.Random(20261128).randbytes(4096),
        "billion-laughs.xml": billion_laughs(),
        "deep-nesting.xml": b"<?xml version='1.0'?>\n<officiele-publicatie>" + b"<al>" * 5_000
                            + b"diep" + b"</al>" * 5_000 + b"</officiele-publicatie>\n",
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
