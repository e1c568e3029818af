"""Defensive parsing of remote answers: nothing a remote sends is trusted.

* JSON: size-capped before parsing and nesting depth checked before ``json.loads``
  (a ``[[[[…`` bomb never reaches the recursive parser).
* XML: lxml with entity resolution, DTD loading and network access off, so
  "billion laughs" and external entities (XXE) expand to nothing.
* Text: remote strings are cut to a length and stripped of control characters;
  snippets keep only ``<mark>`` and everything else is re-escaped; links must be
  http(s) so a ``javascript:`` URL can never reach an ``href``.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

MAX_JSON_DEPTH = 20
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
JSON_BRACKETS = re.compile(rb"[\[\]{}]")
MARK_TAG = re.compile(r"(</?mark>)", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]*>?")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TEXT = 2000
MAX_SNIPPET = 4000


class UnsafeAnswer(ValueError):
    """A remote answer that cannot be parsed safely; the message is the reason."""


def parse_json(body: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    depth = json_depth(body)
    if depth > max_depth:
        raise UnsafeAnswer(f"JSON te diep genest ({depth} > {max_depth})")
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise UnsafeAnswer(f"geen geldige JSON: {str(exc)[:120]}") from None


def json_depth(body: bytes) -> int:
    """Deepest bracket nesting outside strings (an upper bound for any JSON text)."""
    depth = deepest = 0
    for bracket in JSON_BRACKETS.findall(JSON_STRING.sub(b"", body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_pis=True, remove_comments=True)


def parse_xml(body: bytes) -> etree._Element:
    try:
        root = etree.fromstring(body, parser=xml_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UnsafeAnswer(f"geen geldige XML: {str(exc)[:120]}") from None
    if root is None:
        raise UnsafeAnswer("lege XML")
    return root


def text(value: Any, limit: int = MAX_TEXT) -> str:
    """A remote scalar as a clean one-line string (other types become "")."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return " ".join(CONTROL.sub(" ", str(value)).split())[:limit]


def texts(value: Any, limit: int = 50) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(t for t in (text(v, 300) for v in value[:limit]) if t)


def string_map(value: Any, limit: int = 50) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    pairs = ((text(k, 60), text(v, 500)) for k, v in list(value.items())[:limit])
    return {k: v for k, v in pairs if k and v}


def clean_snippet(raw: Any) -> str:
    """Remote snippet HTML -> safe HTML: all tags dropped but balanced ``<mark>``, text re-escaped."""
    out: list[str] = []
    open_mark = False
    for part in MARK_TAG.split(text(raw, MAX_SNIPPET)):
        lowered = part.lower()
        if lowered == "<mark>" and not open_mark:
            out.append("<mark>")
            open_mark = True
        elif lowered == "</mark>" and open_mark:
            out.append("</mark>")
            open_mark = False
        elif lowered not in ("<mark>", "</mark>"):
            out.append(html.escape(html.unescape(ANY_TAG.sub("", part)), quote=True))
    if open_mark:
        out.append("</mark>")
    return "".join(out)


def safe_link(value: Any) -> str:
    """An absolute http(s) URL, or "" (``javascript:``, ``data:``, relative links are dropped)."""
    url = text(value, 2000)
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else ""
