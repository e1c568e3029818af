"""Exports stream: 10,000 documents from a generator, each written before the next is made.

The generator checks, before it produces document *k*, that document *k-1* is already in
the output; a writer that collected all documents first would fail that check.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from indexer.export import FORMATS, export
from indexer.model import Document

COUNT = 10_000


class CountingOutput(io.StringIO):
    """A text stream that counts writes and keeps the last few thousand characters."""

    def __init__(self) -> None:
        super().__init__(newline="")
        self.writes = 0
        self.tail = ""

    def write(self, text: str) -> int:
        self.writes += 1
        self.tail = (self.tail + text)[-4000:]
        return super().write(text)


def generated(out: CountingOutput, marker: str) -> Iterator[Document]:
    for index in range(COUNT):
        if index:
            assert f"{marker} {index - 1} " in out.tail, "previous document not written yet"
        yield Document(
            id=f"test:{index}",
            source="test",
            title=f"{marker} {index} – geëvalueerd",
            category="wodc",
            date="2019-05-01",
            authors=("J.D.M. van Dongen",),
            identifiers={"report_number": str(index), "series": "Cahier"},
        )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_ten_thousand_documents_stream(fmt: str) -> None:
    out = CountingOutput()
    marker = "Rapport"
    assert export(generated(out, marker), fmt, out, accessed="2026-11-28") == COUNT
    assert out.writes >= COUNT
    assert f"{marker} {COUNT - 1} – geëvalueerd" in out.getvalue()


def test_csl_json_stream_is_one_valid_array() -> None:
    out = CountingOutput()
    documents = (Document(id=f"t:{i}", source="t", title=f"Titel {i}", category="ccv") for i in range(50))
    export(documents, "csl-json", out)
    items = json.loads(out.getvalue())
    assert [item["title"] for item in items] == [f"Titel {i}" for i in range(50)]
