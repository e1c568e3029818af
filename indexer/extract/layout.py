"""Page furniture: drop running headers, footers and page numbers; rejoin split URLs.

Two passes over the pages of a document: known furniture of Dutch official
publications (``Tweede Kamer, vergaderjaar 2016–2017, 32 824, nr. 193 2``, the
``kst-…`` colophon id, ``ISSN 0921 - 7371``, ``Pagina 2 van 5``) anywhere on a page;
and, for longer documents, any line that recurs (digits ignored) at the top or bottom
of at least half of the pages. Footnotes stay: they are body text of their page.
"""

from __future__ import annotations

import re
from collections import Counter

#: whole-line patterns of furniture seen in Kamerstukken, Aanhangsels and reports
FURNITURE = [
    re.compile(r"^(?:['’]s-Gravenhage \d{4}\s+)?(?:Tweede|Eerste) Kamer, vergaderjaar \d{4}\s*[–-]\s*\d{4},.{0,80}$"),
    re.compile(r"^(?:kst|ah-tk|ah-ek|h-tk|h-ek|blg|stb|stcrt|trb)-[\w-]+$"),
    re.compile(r"^ISSN \d{4}\s*-\s*\d{3}[\dX]$"),
    re.compile(r"^(?:[Pp]agina|[Pp]age|[Bb]lad|[Ss]eite)\s+\d+\s*(?:van|of|/|von)\s*\d+$"),
    re.compile(r"^[-–]\s*\d{1,4}\s*[-–]$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),  # "2/10"
]
_PAGE_NUMBER = re.compile(r"^\d{1,4}$")
_EDGE = 5  # lines at the top and bottom of a page where furniture lives
_URL_END = re.compile(r"(?:https?://|www\.)\S*$")
_URL_CONTINUES = re.compile(r"[/\-_=?&%#~]$")
_URL_PIECE = re.compile(r"^[\w/\-.=?&%#~:+]+[)\]»,;.]*$")


def is_furniture(line: str) -> bool:
    stripped = line.strip()
    return any(p.match(stripped) for p in FURNITURE)


def strip_furniture(pages: list[str]) -> list[str]:
    """Pages without running headers/footers/page numbers, same count and order."""
    repeated = _repeated_edge_lines(pages) if len(pages) >= 3 else set()
    return [_clean_page(page, number, repeated) for number, page in enumerate(pages, 1)]


def _clean_page(page: str, number: int, repeated: set[str]) -> str:
    lines = page.split("\n")
    edges = _edge_indexes(lines)
    kept = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if is_furniture(stripped):
            continue
        if index in edges and _is_edge_furniture(stripped, number, repeated):
            continue
        kept.append(line)
    return "\n".join(kept)


def _is_edge_furniture(stripped: str, number: int, repeated: set[str]) -> bool:
    if _PAGE_NUMBER.match(stripped) and abs(int(stripped) - number) <= 2:
        return True
    return bool(stripped) and _shape(stripped) in repeated


def _edge_indexes(lines: list[str]) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:_EDGE] + filled[-_EDGE:])


def _shape(line: str) -> str:
    """A line compared for repetition: exact text, case and spacing ignored. Digits are
    not masked: ``Vraag 3`` at the top of several pages is content, not a header
    (numbered furniture such as ``Pagina 3 van 6`` is in :data:`FURNITURE`)."""
    return re.sub(r"\s+", " ", line.strip().lower())


def _repeated_edge_lines(pages: list[str]) -> set[str]:
    counts: Counter[str] = Counter()
    for page in pages:
        lines = page.split("\n")
        shapes = {_shape(lines[i]) for i in _edge_indexes(lines)}
        counts.update(s for s in shapes if len(s) >= 3 and not s.isdigit())
    threshold = max(3, len(pages) // 2)
    return {shape for shape, count in counts.items() if count >= threshold}


def rejoin_urls(text: str) -> str:
    """Glue URLs that a line break (footnotes!) split: ``…/Multiprobleem_gezin/⏎⏎Rapport….pdf``."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        nxt = _next_filled(lines, index)
        if nxt is not None and _continues_url(line.rstrip(), lines[nxt].strip()):
            piece, _, rest = lines[nxt].strip().partition(" ")
            lines[nxt] = line.rstrip() + piece + (" " + rest if rest else "")
            index = nxt
            continue
        out.append(line)
        index += 1
    return "\n".join(out)


def _next_filled(lines: list[str], index: int) -> int | None:
    """The next non-empty line, looking past at most one blank line."""
    for candidate in (index + 1, index + 2):
        if candidate < len(lines) and lines[candidate].strip():
            return candidate
    return None


def _continues_url(line: str, following: str) -> bool:
    match = _URL_END.search(line)
    if not match:
        return False
    if re.fullmatch(r"https?://", match.group(0)):
        return bool(following.strip())  # "https://" ⏎ "www.example.nl/…"
    if match.group(0).endswith((".", ",", ";", ")")):
        return False  # the URL ended with the sentence
    first = following.split(" ")[0]
    if not _URL_PIECE.match(first) or first.lower().startswith("http"):
        return False
    # URL punctuation inside the next token: the rest of the URL
    if re.search(r"[/_=?&%#]|\.(?=.)", first.rstrip(".,;:)")):
        return True
    # a URL cut after a separator, continued by a lowercase path word
    return bool(_URL_CONTINUES.search(match.group(0))) and first[0].islower()
