"""The OpenAPI 3 description of the JSON API (``/api/v1/openapi.json``), kept as data."""

from __future__ import annotations

from typing import Any

from indexer.index import FACET_FIELDS, SORTS


def _param(name: str, description: str, schema: dict[str, Any], array: bool = False) -> dict[str, Any]:
    if array:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, **({"explode": True} if array else {})}


SEARCH_PARAMS = [
    _param("q", "Zoekvraag: woorden (EN), \"frase\", OR, -uitsluiten, veld:waarde, voorvoegsel*",
           {"type": "string"}),
    *[_param(field, f"Facetfilter op {field} (herhaalbaar; waarden van één veld: OF)", {"type": "string"}, True)
      for field in FACET_FIELDS],
    _param("van", "Datum vanaf (JJJJ, JJJJ-MM of JJJJ-MM-DD), inclusief", {"type": "string"}),
    _param("tot", "Datum tot en met (JJJJ, JJJJ-MM of JJJJ-MM-DD)", {"type": "string"}),
    _param("sort", "Sortering", {"type": "string", "enum": list(SORTS), "default": "relevance"}),
    _param("pagina", "Paginanummer (vanaf 1)", {"type": "integer", "minimum": 1, "default": 1}),
    _param("page_size", "Resultaten per pagina", {"type": "integer", "minimum": 1, "maximum": 100}),
]

DOCUMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "source", "title"],
    "properties": {
        "id": {"type": "string", "example": "kamerstukken:kst-32824-193"},
        "source": {"type": "string"}, "url": {"type": "string"}, "file_url": {"type": "string"},
        "title": {"type": "string"}, "category": {"type": "string"}, "doc_type": {"type": "string"},
        "date": {"type": "string", "description": "ISO 8601 (JJJJ-MM-DD, JJJJ-MM of JJJJ)"},
        "language": {"type": "string"},
        "creators": {"type": "array", "items": {"type": "string"}},
        "authors": {"type": "array", "items": {"type": "string"}},
        "identifiers": {"type": "object", "additionalProperties": {"type": "string"}},
        "summary": {"type": "string"},
        "pages": {"type": "array", "items": {"type": "string"}, "description": "tekst per pagina"},
        "references": {"type": "array", "items": {"type": "string"}},
        "flags": {"type": "array", "items": {"type": "string"}},
        "extra": {"type": "object", "additionalProperties": {"type": "string"}},
        "html_url": {"type": "string"}, "api_url": {"type": "string"},
    },
}

FACET_VALUE = {"type": "object", "required": ["value", "count"],
               "properties": {"value": {"type": "string"}, "count": {"type": "integer"}}}

SEARCH_RESULT: dict[str, Any] = {
    "type": "object",
    "required": ["api_version", "total", "page", "page_size", "hits", "facets"],
    "properties": {
        "api_version": {"type": "integer", "enum": [1]},
        "total": {"type": "integer"}, "page": {"type": "integer"}, "page_size": {"type": "integer"},
        "pages": {"type": "integer"},
        "partial": {"type": "boolean", "description": (
            "true: minder dan 3 documenten bevatten alle woorden; de lijst gaat verder met de documenten "
            "met de meeste woorden (total, facets en export tellen die mee)")},
        "complete_total": {"type": "integer", "description": "documenten met alle woorden"},
        "hits": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Document"}, {
            "type": "object", "properties": {
                "score": {"type": "number"},
                "snippet": {"type": "string", "description": "HTML: geëscapete tekst met <mark>"},
                "snippet_page": {"type": ["integer", "null"]},
                "missing": {"type": "array", "items": {"type": "string"},
                            "description": "woorden van de zoekvraag die dit document mist (alleen bij partial)"}}}]}},
        "facets": {"type": "object", "additionalProperties": {
            "type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}},
        "suggestion": {"type": "string", "description": "Bedoelde u …?"},
        "notices": {"type": "array", "description": "delen van de zoekvraag die niet (helemaal) zijn gezocht",
                    "items": {"type": "object", "required": ["kind", "dropped", "limit", "message"], "properties": {
                        "kind": {"type": "string", "enum": ["clauses", "prefix", "expansion", "time"]},
                        "dropped": {"type": "string", "description": "het weggelaten deel, zoals getypt"},
                        "limit": {"type": "number"}, "message": {"type": "string"}}}},
    },
}


SOURCE_STATUS: dict[str, Any] = {
    "type": "object",
    "required": ["name", "documents"],
    "properties": {
        "name": {"type": "string"}, "documents": {"type": "integer"},
        "newest_date": {"type": "string"},
        "last_crawl": {"type": "string", "description": "einde van de laatste run met deze bron (ISO 8601)"},
        "last_exit_code": {"type": ["integer", "null"]},
        "last_changed": {"type": "string", "description": "laatste run met nieuwe, gewijzigde of verwijderde documenten"},
        "last_run": {"type": "object", "additionalProperties": {"type": "integer"}},
        "url_counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "errors": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
    },
}
STATUS_RESPONSE: dict[str, Any] = {
    "type": "object", "required": ["api_version", "sources"],
    "properties": {"api_version": {"type": "integer"}, "sources": {"type": "array", "items": SOURCE_STATUS},
                   "replica": {"type": "object", "description": "alleen op een zoekknooppunt dat de catalogus volgt",
                               "properties": {"applied": {"type": "integer"}, "catalogue": {"type": "integer"},
                                              "lag": {"type": "integer"}, "checked": {"type": "string"},
                                              "seconds_since_check": {"type": "number"}}}},
}

def _ok(schema_ref: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


DOC_PARAM = {"name": "doc_id", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "document-id: bron:eigen-id, bijv. kamerstukken:kst-32824-193"}
REMOTE_PARAM = {"name": "remote", "in": "query", "required": False,
                "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True,
                "description": "naam van een geconfigureerde externe bron (herhaalbaar); standaard alle"}

#: Every API path, in one table: a new API route adds its entry here.
PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/search": {"get": {"operationId": "search", "summary": "Zoeken", "parameters": SEARCH_PARAMS,
                               "responses": {"200": _ok("SearchResult", "Resultaten")}}},
    "/api/v1/documents/{doc_id}": {"get": {
        "operationId": "getDocument", "summary": "Eén document met tekst, citaat en verwijzingen",
        "parameters": [DOC_PARAM],
        "responses": {"200": _ok("DocumentResponse", "Het document"), "404": _ok("Error", "Onbekend document")}}},
    "/api/v1/status": {"get": {"operationId": "status", "summary": "Stand per bron",
                               "responses": {"200": _ok("StatusResponse", "Per bron de laatste crawl")}}},
    "/api/v1/federated": {"get": {
        "operationId": "federatedSearch",
        "summary": "Eén zoekvraag over deze index en de geconfigureerde externe bronnen (docs/api.md)",
        "parameters": [*SEARCH_PARAMS, REMOTE_PARAM],
        "responses": {
            "200": {"description": "Samengevoegde resultaten met per bron of die antwoordde",
                    "content": {"application/json": {"schema": {"type": "object", "required": ["api_version"]}}}},
            "400": {"description": "Onbekende bron of geen zoekvraag",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
}


def openapi_document(server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document for a server at ``server_url``."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "bronzoeker API", "version": "1",
                 "description": "Zoeken in Kamerstukken, WODC, CCV en Raad van Europa-documenten."},
        "servers": [{"url": server_url}],
        "paths": PATHS,
        "components": {"schemas": {
            "Document": DOCUMENT_SCHEMA, "FacetValue": FACET_VALUE, "SearchResult": SEARCH_RESULT,
            "DocumentResponse": {"type": "object", "required": ["api_version", "document"], "properties": {
                "api_version": {"type": "integer"}, "document": {"$ref": "#/components/schemas/Document"},
                "citation": {"type": "string", "description": "officiële verwijzing (Leidraad)"},
                "html_url": {"type": "string"},
                "cites": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}},
                "cited_by": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}}}},
            "StatusResponse": STATUS_RESPONSE,
            "Error": {"type": "object", "properties": {"error": {"type": "string"},
                                                       "api_version": {"type": "integer"}}},
        }},
    }
