"""Index fields analysed ahead of the writer: in the extraction workers, not the crawl process.

Analysing a document's text (tokens, lemmas, compound parts, the positions and weights of
every term) costs the crawl process as much as writing its postings. The crawl therefore
asks each extraction worker to do it too (:func:`index_fields`): the worker hands back,
with the document, its index fields in which every text field is an :class:`Analysed`
value, the very ``(term, frequency, weight, positions)`` items Whoosh's writer would have
computed from the text. :class:`AnalysedText`, the schema's text field, gives those items
to the writer as they are, and analyses a plain string as before (rebuilds, tests, an
index written without workers). The items come from the same schema and the same analysis
code, so the index is the same either way (``tests/test_analysed_fields.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.fields import TEXT, Schema

from indexer.index.term_plans import FieldItems
from indexer.model import Document

#: what Whoosh's writer takes for one term of one field of one document
Item = tuple[bytes, int, float, bytes]


class Analysed:
    """A text field's value, analysed: the writer's items for it (the text is not needed)."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[Item, ...]) -> None:
        self.items = items

    def __reduce__(self) -> tuple[type[Analysed], tuple[tuple[Item, ...]]]:
        return (Analysed, (self.items,))

    def __repr__(self) -> str:
        return f"Analysed({len(self.items)} terms)"


class AnalysedText(TEXT):  # type: ignore[misc]
    """Whoosh's TEXT field that also takes an :class:`Analysed` value as it is."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[Item]:
        if isinstance(value, Analysed):
            return iter(value.items)
        return super().index(value, **kwargs)  # type: ignore[no-any-return]


def analyse(schema: Schema, fields: dict[str, Any], terms: FieldItems | None = None) -> dict[str, Any]:
    """The fields with every text field's string replaced by its analysed items (through
    ``terms``, which remembers what each token becomes, when given)."""
    out = dict(fields)
    for name, value in fields.items():
        field = schema[name]
        if isinstance(field, AnalysedText) and isinstance(value, str):
            out[name] = Analysed(tuple(terms.items(field, value) if terms else field.index(value)))
    return out


@lru_cache(maxsize=1)
def _schema() -> Schema:
    from indexer.index.schema import build_schema

    return build_schema()


@lru_cache(maxsize=1)
def _terms() -> FieldItems:
    return FieldItems()


def index_fields(doc: Document, keys: Callable[[Document], set[str]]) -> dict[str, Any]:
    """A document's index fields, analysed (what an extraction worker hands the crawl)."""
    from indexer.index.schema import document_fields

    return analyse(_schema(), document_fields(doc, keys(doc)), _terms())


def warm_up() -> None:
    """Load the lexicons and the schema before the extraction workers fork: they then share
    them, instead of each new worker reading them again (about a second each)."""
    from indexer.index.compounds import dictionary
    from indexer.index.lemmas import lemma_table

    dictionary()
    lemma_table()
    _schema()
