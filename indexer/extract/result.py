"""The intermediate result a format extractor hands to the metadata stages.

Format extractors (pdf, html, officiele_publicatie, text) fill an :class:`Extracted`;
the per-kind metadata, references and language stages add to it; ``assemble`` turns it
into the frozen :class:`indexer.model.Document`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Extracted:
    """Mutable working state of one extraction.

    ``fields`` holds Document fields (title, doc_type, date, category, language,
    creators, authors, summary); ``raw_pages`` keeps the page texts before running
    headers were removed, because headers carry identifiers.
    """

    format: str
    pages: list[str] = field(default_factory=list)
    raw_pages: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    def flag(self, name: str) -> None:
        if name not in self.flags:
            self.flags.append(name)

    def set_default(self, name: str, value: Any) -> None:
        """Set a field only when extraction has not found it already."""
        if value and not self.fields.get(name):
            self.fields[name] = value

    def set_identifier(self, key: str, value: str) -> None:
        if value and not self.identifiers.get(key):
            self.identifiers[key] = value

    @property
    def text(self) -> str:
        return "\n".join(self.pages)
