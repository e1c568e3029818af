"""The one exception extraction raises: a document that cannot be turned into text."""

from __future__ import annotations


class ExtractionError(Exception):
    """Extraction failed; ``reason`` is a short plain-English reason for the crawl log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
