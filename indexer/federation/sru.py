"""Remote kind ``sru``: SRU ``searchRetrieve`` (2.0, or 1.2 for legacy servers) with CQL
built from the user's query.

Records in the ``gzd`` schema of repository.overheid.nl are read with the crawler's own
``record_metadata`` (same identifiers, types and dossier numbers as crawled documents,
so de-duplication by canonical id works); other records as plain Dublin Core. An SRU
diagnostic (which these servers send with HTTP 200) is a failure, never "no results".

Options: ``schema`` (``gzd`` default for repository.overheid.nl, else ``dc``; it picks
the default CQL index, records are recognised by their namespace), ``version`` (default ``2.0``),
``cql_index`` (default ``cql.textAndIndexes`` for gzd, else ``cql.serverChoice``),
``cql_filter`` (ANDed in front, e.g. ``c.product-area==officielepublicaties``),
``date_index`` (e.g. ``dt.date``, for the request's date range), ``params`` (extra
request parameters such as ``x-connection`` or ``recordSchema``).
"""

from __future__ import annotations

from typing import Iterator
from urllib.parse import urlencode

from lxml import etree

from indexer.citekeys import Category, category_of_koop_id, last_segment, url_key
from indexer.citekeys.koop import record_identifiers
from indexer.federation.config import RemoteConfig, hits_wanted
from indexer.federation.cql import build_cql
from indexer.federation.http import RemoteError, get
from indexer.federation.model import RemoteAnswer, SourceHit
from indexer.federation.safe import parse_xml, safe_link, text
from indexer.index.backend import SearchRequest
from indexer.model import IDENTIFIER_KEYS, Document
from indexer.sources.sru import NS as GZD_NS
from indexer.sources.sru import record_metadata

SRU_NAMESPACES = ("http://docs.oasis-open.org/ns/search-ws/sruResponse", "http://www.loc.gov/zing/srw/")
DIAG_NAMESPACES = ("http://docs.oasis-open.org/ns/search-ws/diagnostic", "http://www.loc.gov/zing/srw/diagnostic/")
DC_NAMESPACES = ("http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/")
GZD = "{http://standaarden.overheid.nl/sru}gzd"


def search(remote: RemoteConfig, request: SearchRequest) -> RemoteAnswer:
    body = get(request_url(remote, request), remote.timeout, remote.max_bytes, "application/xml, text/xml")
    return parse_answer(remote, body, hits_wanted(remote, request.page_size))


def is_gzd(remote: RemoteConfig) -> bool:
    schema = str(remote.options.get("schema", ""))
    return schema == "gzd" or (not schema and "repository.overheid.nl" in remote.url)


def build_query(remote: RemoteConfig, request: SearchRequest) -> str:
    default_index = "cql.textAndIndexes" if is_gzd(remote) else "cql.serverChoice"
    cql = build_cql(request.query, str(remote.options.get("cql_index", default_index)),
                    str(remote.options.get("cql_filter", "")))
    date_index = str(remote.options.get("date_index", ""))
    dates = [f"{date_index}>={d}" for d in (request.date_from,) if d and date_index]
    dates += [f"{date_index}<={d}" for d in (request.date_to,) if d and date_index]
    return " AND ".join([f"({cql})" if dates else cql, *dates])


def request_url(remote: RemoteConfig, request: SearchRequest) -> str:
    version = str(remote.options.get("version", "2.0"))
    params = {"operation": "searchRetrieve", "version": version, "query": build_query(remote, request),
              "startRecord": "1", "maximumRecords": str(hits_wanted(remote, request.page_size))}
    if version.startswith("2"):
        params["httpAccept"] = "application/xml"
    extra = remote.options.get("params", {})
    params.update({str(k): str(v) for k, v in extra.items()} if isinstance(extra, dict) else {})
    joiner = "&" if "?" in remote.url else "?"
    return remote.url + joiner + urlencode(params)


def parse_answer(remote: RemoteConfig, body: bytes, wanted: int | None = None) -> RemoteAnswer:
    root = parse_xml(body)
    if etree.QName(root).namespace not in SRU_NAMESPACES:
        raise RemoteError("geen SRU-antwoord")
    diagnostics = [_diagnostic_text(d) for ns in DIAG_NAMESPACES for d in root.iter(f"{{{ns}}}diagnostic")]
    if diagnostics:
        raise RemoteError("SRU-diagnose: " + "; ".join(diagnostics)[:300])
    count = _sru_text(root, "numberOfRecords")
    if not count.isdigit():
        raise RemoteError("SRU-antwoord zonder numberOfRecords")
    hits = [hit for hit in (_hit(remote, data, rank) for rank, data in enumerate(_record_data(root), 1)) if hit]
    return RemoteAnswer(total=max(int(count), len(hits)), hits=tuple(hits[:wanted or remote.max_hits]))


def _sru_text(root: etree._Element, name: str) -> str:
    for ns in SRU_NAMESPACES:
        found = root.find(f"{{{ns}}}{name}")
        if found is not None:
            return (found.text or "").strip()
    return ""


def _record_data(root: etree._Element) -> Iterator[etree._Element]:
    for ns in SRU_NAMESPACES:
        yield from root.iter(f"{{{ns}}}recordData")


def _hit(remote: RemoteConfig, data: etree._Element, rank: int) -> SourceHit | None:
    gzd = data.find(GZD)
    document = gzd_document(remote.name, gzd) if gzd is not None else dc_document(remote.name, data)
    if document is None:
        return None
    return SourceHit(endpoint=remote.name, rank=rank, document=document, link=document.url)


def gzd_document(endpoint: str, gzd: etree._Element) -> Document | None:
    meta = record_metadata(gzd)
    canonical = text(meta.get("canonical"), 200)
    if not canonical:
        return None
    items = {el.get("manifestation", ""): safe_link(el.text) for el in gzd.iterfind("gzd:enrichedData/gzd:itemUrl", GZD_NS)}
    return Document(
        id=f"{endpoint}:{canonical}", source=endpoint,
        url=safe_link(meta.get("url")) or safe_link(gzd.findtext("gzd:enrichedData/gzd:url", "", GZD_NS)),
        file_url=items.get("pdf") or items.get("xml") or "",
        creators=tuple(text(c, 300) for c in meta.get("creators", [])),
        authors=tuple(text(a, 300) for a in meta.get("authors", [])),
        identifiers={k: text(v, 200) for k, v in meta.items() if k in IDENTIFIER_KEYS},
        extra={"dossier_title": text(meta["dossier_title"], 500)} if meta.get("dossier_title") else {},
        title=text(meta.get("title"), 1000), date=text(meta.get("date"), 1000),
        doc_type=text(meta.get("doc_type"), 1000), category=text(meta.get("category"), 1000),
    )


def dc_document(endpoint: str, data: etree._Element) -> Document | None:
    """Plain Dublin Core (``dc:`` or ``dcterms:``) inside recordData."""
    values = _dc_values(data)
    identifiers = values.get("identifier", [])
    link = next((safe_link(i) for i in identifiers if safe_link(i)), "")
    native = next((last_segment(i) for i in identifiers if not safe_link(i)), "") or (last_segment(link) if link else "")
    if not native:
        return None
    ids = record_identifiers(native) if category_of_koop_id(native) else {"canonical": _url_key(link, native)}
    category = ids.pop("category", Category.OVERIG.value)
    first = {name: (values.get(name) or [""])[0] for name in ("title", "date", "type", "language", "description")}
    return Document(id=f"{endpoint}:{native}", source=endpoint, url=link, title=first["title"], category=category,
                    doc_type=first["type"].lower(), date=first["date"][:10], language=first["language"][:2] or "nl",
                    creators=tuple(values.get("creator", [])), summary=first["description"],
                    identifiers={k: v for k, v in ids.items() if k in IDENTIFIER_KEYS})


def _dc_values(data: etree._Element) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for ns in DC_NAMESPACES:
        for element in data.iter(f"{{{ns}}}*"):
            value = text(element.text, 1000)
            if value:
                values.setdefault(etree.QName(element).localname, []).append(value)
    return values


def _url_key(link: str, native: str) -> str:
    return url_key(link) if link else native


def _diagnostic_text(diagnostic: etree._Element) -> str:
    parts = [text(child.text, 200) for child in diagnostic if etree.QName(child).localname in ("uri", "message", "details")]
    return " ".join(p for p in parts if p)
