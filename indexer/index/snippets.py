"""Snippets: the best passage of a document with the query's terms marked, and the
page that passage is on (pages are joined by form feeds in the stored text)."""

from __future__ import annotations

from typing import Any, Iterator

from whoosh import highlight
from whoosh.fields import Schema
from whoosh.query import Not, Query

from indexer.index.schema import text_language
from indexer.model import Document

SNIPPET_CHARS = 240
MAX_TEXT = 400_000  # long reports: look for the passage in the first 400k characters


class MarkFormatter(highlight.HtmlFormatter):
    """Escaped text with ``<mark>`` around matched terms (no classes, no attributes)."""

    def __init__(self) -> None:
        super().__init__(tagname="mark", between=" … ")

    def format_token(self, text: str, token: highlight.Token, replace: bool = False) -> str:
        return f"<mark>{highlight.htmlescape(highlight.get_text(text, token, replace))}</mark>"


def make_snippet(schema: Schema, doc: Document, query: Query) -> tuple[str, int | None]:
    """HTML snippet and its 1-based page, or the document's opening when nothing matches."""
    text = doc.body[:MAX_TEXT]
    lang = text_language(doc)
    terms = _terms(query, (f"body_{lang}", f"title_{lang}"))
    fragment = _best_fragment(schema[f"body_{lang}"].analyzer, text, terms) if terms else None
    if fragment is None:
        return highlight.htmlescape(_opening(doc)), None
    html = MarkFormatter().format_fragment(fragment, replace=True)
    return " ".join(html.split()), text.count("\f", 0, fragment.startchar) + 1


def _terms(query: Query, fields: tuple[str, ...]) -> frozenset[str]:
    found = set()
    for fieldname, value in query.iter_all_terms(phrases=True):
        if fieldname in fields and not query_is_negated(query, fieldname, value):
            found.add(value.decode("utf-8") if isinstance(value, bytes) else value)
    return frozenset(found)


def query_is_negated(query: Query, fieldname: str, value: object) -> bool:
    """Terms under a NOT are not highlighted."""
    return any(isinstance(q, Not) and (fieldname, value) in set(q.iter_all_terms())
               for q in _walk(query))


def _walk(query: Query) -> Iterator[Query]:
    yield query
    for child in query.children():
        yield from _walk(child)


def _best_fragment(analyzer: Any, text: str, terms: frozenset[str]) -> highlight.Fragment | None:
    tokens = analyzer(text, chars=True, mode="index", removestops=False)
    tokens = highlight.set_matched_filter(tokens, terms)
    fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80)
    fragments = highlight.top_fragments(fragmenter.fragment_tokens(text, tokens), 1,
                                        highlight.BasicFragmentScorer(), highlight.SCORE)
    return fragments[0] if fragments else None


def _opening(doc: Document) -> str:
    text = doc.summary or doc.body.replace("\f", " ")
    text = " ".join(text.split())
    return text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else "")
