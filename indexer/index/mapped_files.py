"""Whoosh's segment files read from the memory map, without a copy in memory.

A segment is one compound file that Whoosh memory-maps; each file inside it (postings,
terms, columns) is handed out as a ``BufferFile``, which Whoosh-Reloaded builds with
``BytesIO(memoryview)``, and that copies the whole sub-file into the process's
memory. At 100,000 documents every new searcher, so every commit a server sees,
copied some 320 MB and took 0.3 s before its first query. :func:`install` gives
``BufferFile`` a file object that reads straight from the memory map instead: the
operating system's page cache holds the data once for every process and searcher.

This module owns the replacement; :mod:`indexer.index.whoosh_compat` installs it when an
index is opened, after :func:`replaceable` has confirmed that the installed constructor
is the one of the pinned Whoosh-Reloaded (which sets exactly the attributes below).
"""

from __future__ import annotations

from typing import Any, Iterator

LINE_CHUNK = 256  # bytes looked at per step when a line is read (Whoosh reads few lines, if any)
#: What the pinned ``BufferFile.__init__`` does that :func:`mapped_init` does instead.
REPLACED_LINES = ("BytesIO(buf)", "self._buf = buf")


class ViewFile:
    """The file interface Whoosh uses (read, readline, seek, tell, close) over a memoryview.

    >>> f = ViewFile(memoryview(b"first line\\nsecond"))
    >>> f.readline(), f.tell(), f.read(3), f.seek(-2, 2), f.read()
    (b'first line\\n', 11, b'sec', 15, b'nd')
    """

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        data = self._view[self._pos:end].tobytes()
        self._pos = max(self._pos, end)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        end = self._pos
        while end < limit:
            found = self._view[end:min(limit, end + LINE_CHUNK)].tobytes().find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end = min(limit, end + LINE_CHUNK)
        return self.read(end - self._pos)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        """Nothing to release: the memory map belongs to the segment's storage."""

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


def mapped_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    """``BufferFile.__init__`` without the copy: the same attributes, a view for a file."""
    self._buf = buf
    self._name = name
    self.file = ViewFile(memoryview(buf))
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def replaceable(source: str) -> bool:
    """Whether a ``BufferFile.__init__`` (its source) is the copying one :func:`mapped_init` replaces."""
    return all(line in source for line in REPLACED_LINES)
