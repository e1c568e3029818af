"""The Whoosh schema and the mapping from a Document to index fields.

The index keeps what searching needs and nothing to show, and stores no fields (schema 12):
the id, the content hash (crawls and ``indexer check`` compare it,
:mod:`indexer.index.stored_fields`), facets and dates are columns; the keys a document can be
cited by are indexed and, for "wordt aangehaald door", taken from the document itself. The Document itself (metadata and page
texts) has one copy, in the document store (:mod:`indexer.docstore`, compressed), which
result lists, exports and document pages read by id (:mod:`indexer.index.records`) and
``indexer index --rebuild`` rebuilds from (schema 9, issue #18). An index of schema 8 or
older stored the metadata as JSON in ``record``, and one of schema 5 or older the texts
in ``content``: :func:`stored_document` reads them, so such an index fills a new store once.
"""

from __future__ import annotations

import json
from typing import Any

from whoosh.analysis import Analyzer, LowercaseFilter, RegexTokenizer
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, Schema

from indexer.index.analysed import AnalysedText
from indexer.index.analysis import (
    DEFAULT_LANGUAGE,
    LANGUAGE_ANALYZERS,
    TOKEN_PATTERN,
    identifier_analyzer,
    name_analyzer,
)
from indexer.model import Document

#: Bump when the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 12  # 2: the unstemmed "spell" field for "Bedoelde u …?" and stop-word queries; 3: compound and hyphen parts, nn -> n; 4: stop words indexed as marked terms for exact phrases; 5: Dutch lemmas from OpenTaal instead of dutch_porter, runs of compound parts; 6: page texts only in the document store; 7: text fields take items analysed in the extraction workers; 8: flat postings of docnum gaps, narrowest counts (flat postings version 2); 9: the metadata record only in the document store (stored: id, hash, keys); 10: postings and term statistics in the compact codec (varints, zstd); 11: the term dictionary a front-coded table in blocks (TableCodec, indexer.index.term_table) instead of W3's ordered hash table; 12: no stored id (the id column) and the content hash a column of raw bytes (:class:`HashColumn`), the keys not stored: 1.28 MB of stored fields on the motions -> none
#: The stored field that held the page texts up to schema 5 (read only to fill a store).
LEGACY_TEXT_FIELD = "content"
#: The stored field that held the metadata JSON up to schema 8 (read only to fill a store).
LEGACY_RECORD_FIELD = "record"
#: The field with the document's content hash: stored (schema 9 to 11), a column (12 and later).
HASH_FIELD = "hash"
#: how :func:`pack_hash` marks a hash of 64 hex digits (32 raw bytes follow) and any other text
HEX_HASH, TEXT_HASH = b"x", b"t"

#: Facet fields: one sortable column each, so counting over all matches is an array lookup.
FACET_FIELDS = ("source", "category", "doc_type", "year", "language", "dossier")
TITLE_BOOST = 3.0
IDENT_BOOST = 4.0
#: characters of the body that feed the spelling field (the vocabulary of suggestions)
SPELL_CHARS = 50_000


def pack_hash(value: str) -> bytes:
    """A content hash as the hash column holds it: a SHA-256 in hex as its 32 bytes."""
    if len(value) == 64 and value == value.lower():
        try:
            return HEX_HASH + bytes.fromhex(value)
        except ValueError:
            pass  # not hex after all
    return TEXT_HASH + value.encode("utf-8")


def unpack_hash(value: bytes) -> str:
    if value.startswith(HEX_HASH):
        return value[1:].hex()
    return value[1:].decode("utf-8")


class HashColumn(COLUMN):  # type: ignore[misc]
    """The content hash as a column of bytes (:func:`pack_hash`): not indexed, not stored."""

    def __init__(self) -> None:
        super().__init__(VarBytesColumn())

    def to_column_value(self, value: str) -> bytes:
        return pack_hash(value)

    def from_column_value(self, value: bytes) -> str:
        return unpack_hash(value)


def plain_analyzer() -> Analyzer:
    """Words as written, lowercased: no stemming, no stop words, accents kept.

    Suggestions ("Bedoelde u …?") come from this field, so they are real words.

    >>> [t.text for t in plain_analyzer()("De gemeenten hebben het geëvalueerd")]
    ['de', 'gemeenten', 'hebben', 'het', 'geëvalueerd']
    """
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()


def build_schema() -> Schema:
    fields: dict[str, Any] = {
        "id": ID(unique=True, sortable=True),  # the last tie-break of every order; its column names a hit
        HASH_FIELD: HashColumn(),
        "date": ID(sortable=True),
        "ident": AnalysedText(analyzer=identifier_analyzer(), field_boost=IDENT_BOOST, phrase=True),
        "author": AnalysedText(analyzer=name_analyzer(), phrase=True),
        "refs": KEYWORD(commas=True, lowercase=False),
        "keys": KEYWORD(commas=True, lowercase=False),  # "cited by" takes them from the document
        "spell": AnalysedText(analyzer=plain_analyzer(), phrase=False),
    }
    for name in FACET_FIELDS:
        fields[name] = ID(sortable=True)
    for lang, recipe in LANGUAGE_ANALYZERS.items():
        fields[f"title_{lang}"] = AnalysedText(analyzer=recipe(), field_boost=TITLE_BOOST, phrase=True)
        fields[f"body_{lang}"] = AnalysedText(analyzer=recipe(), phrase=True)
    return Schema(**fields)


def text_language(doc: Document) -> str:
    """The analyzer language of a document: its own if we have a recipe for it."""
    return doc.language if doc.language in LANGUAGE_ANALYZERS else DEFAULT_LANGUAGE


def document_fields(doc: Document, keys: set[str]) -> dict[str, Any]:
    """The index fields for one document (``keys``: the ids it can be cited by)."""
    lang = text_language(doc)
    fields: dict[str, Any] = {
        "id": doc.id,
        HASH_FIELD: doc.content_hash,
        "date": doc.date,
        "ident": " ".join([doc.id, *doc.identifiers.values()]),
        "author": " ; ".join([*doc.authors, *doc.creators]),
        "refs": ",".join(sorted(doc.references)),
        "keys": ",".join(sorted(keys)),
        "spell": " ".join([doc.title, doc.summary, doc.body[:SPELL_CHARS]]),
        f"title_{lang}": doc.title,
        # the dossier title is metadata (no longer in the text since its masthead went), but
        # a paper of dossier "Mensenhandel" is about mensenhandel: searched, not shown
        f"body_{lang}": " ".join([doc.summary, doc.extra.get("dossier_title", ""), doc.body]),
    }
    for name, value in facet_values(doc).items():
        if value:
            fields[name] = value
    return fields


def facet_values(doc: Document) -> dict[str, str]:
    return {
        "source": doc.source,
        "category": doc.category,
        "doc_type": doc.doc_type,
        "year": doc.year,
        "language": doc.language,
        "dossier": doc.identifiers.get("dossier", ""),
    }


def stored_hash(stored: dict[str, Any]) -> str:
    """The content hash of a document's stored fields (of an index of any schema)."""
    if HASH_FIELD in stored:
        return str(stored[HASH_FIELD])
    return str(json.loads(stored[LEGACY_RECORD_FIELD]).get("content_hash", ""))


def stored_document(stored: dict[str, Any]) -> Document:
    """The Document of a document's stored fields in an index of schema 8 or older (the
    fill of a new store): without pages, except from schema 5 or older, which stored them."""
    record = json.loads(stored[LEGACY_RECORD_FIELD])
    content = stored.get(LEGACY_TEXT_FIELD) or ""
    record["pages"] = content.split("\f") if content else []
    return Document.from_dict(record)
