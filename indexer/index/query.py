"""The user's query string to a Whoosh query: AND by default, phrases, OR, -exclude,
``field:value`` with Dutch and English field names, prefix ``*``.

Text is searched in every language's title and body field, each analysed with its
own recipe, plus identifiers and names. User errors are forgiven: the parser never
raises, it falls back to the plain words.
"""

from __future__ import annotations

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.query import Query

from indexer.index.analysis import LANGUAGE_ANALYZERS

TEXT_FIELDS = tuple(f"{part}_{lang}" for lang in LANGUAGE_ANALYZERS for part in ("title", "body"))
DEFAULT_FIELDS = (*TEXT_FIELDS, "ident", "author")

#: query-language field name -> index field
FIELD_ALIASES = {
    "source": ["bron"],
    "doc_type": ["type", "soort"],
    "year": ["jaar"],
    "language": ["taal", "lang"],
    "dossier": [],
    "category": ["categorie", "kind"],
    "author": ["auteur", "door"],
    "ident": ["id", "nummer"],
    "title_nl": ["titel", "title"],
}


def make_parser(schema: Schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.add_plugin(qparser.PlusMinusPlugin())
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(qparser.PrefixPlugin())
    return parser


def parse_query(parser: qparser.QueryParser, text: str) -> Query:
    """Parse, or fall back to the words alone when the syntax is broken."""
    try:
        return parser.parse(text)
    except Exception:  # noqa: BLE001 - any parser failure falls back to plain words
        cleaned = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in text)
        return parser.parse(cleaned)
