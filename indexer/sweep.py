"""Per-URL sweeps: which documents a listing source no longer reaches, and which of those
may really go.

A complete run of a listing kind (a website, a folder) reaches everything the source
holds, so a known document it did not reach has gone. A URL that fails proves nothing,
and neither do the URLs below it: a failing page hides the links it would have given.
So every run records its request tree (which response led to which request); a sweep
keeps each document that the previous tree puts under a URL that failed this time, and
removes the other unreached ones. Without a previous tree (the first run after an
upgrade) a failure still stops the whole sweep, as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from indexer.fetch.state import Link


class Sweep:
    """One source run's request tree and failed URLs."""

    def __init__(self, previous: list[Link] | None) -> None:
        self.previous = previous
        self.links: set[Link] = set()
        self.failed: set[str] = set()

    def requested(self, parent: str, url: str, doc_id: str) -> None:
        self.links.add(Link(parent, url, doc_id))

    def fail(self, url: str) -> None:
        self.failed.add(url)

    def removable(self, known: Iterable[str], reached: set[str]) -> list[str]:
        """Known document ids to remove: not reached, and not hidden by a failure."""
        unreached = set(known) - reached
        if not self.failed:
            return sorted(unreached)
        if self.previous is None:
            return []
        hidden_docs, _ = self._hidden()
        return sorted(unreached - hidden_docs)

    def links_to_save(self) -> set[Link]:
        """This run's tree, plus the previous tree's branches under a failed URL (so a page
        that keeps failing keeps protecting what it linked to)."""
        if not self.failed or not self.previous:
            return set(self.links)
        _, hidden_urls = self._hidden()
        return self.links | {link for link in self.previous if link.parent in hidden_urls}

    def _hidden(self) -> tuple[set[str], set[str]]:
        """Document ids and URLs below a failed URL in the previous tree."""
        children: dict[str, list[Link]] = defaultdict(list)
        for link in self.previous or ():
            children[link.parent].append(link)
        urls, docs, stack = set(self.failed), set(), list(self.failed)
        while stack:
            for link in children.get(stack.pop(), ()):
                if link.doc_id:
                    docs.add(link.doc_id)
                if link.url not in urls:
                    urls.add(link.url)
                    stack.append(link.url)
        return docs, urls
