"""HTML pages to main text + metadata (beautifulsoup4 with lxml).

Metadata from ``DC.*``/``DCTERMS.*`` (also lowercase ``dcterms.*``), ``citation_*``
(Highwire), OpenGraph ``og:*`` and KOOP ``OVERHEIDop.*`` meta tags, then ``<title>``.
Main content: the first of ``#broodtekst``, ``main``, ``[role=main]``, ``article``,
``#content-reader``, ``#content``, else ``<body>``, with navigation, headers,
footers, scripts and forms removed.
"""

from __future__ import annotations

import re
import warnings
from collections import defaultdict

from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning

from indexer.extract import dates
from indexer.extract.koop_meta import apply_koop_meta
from indexer.extract.result import Extracted

MAIN_SELECTORS = ("#broodtekst", "main", "[role=main]", "#content-reader", "article", "#content", "body")
BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "form", "aside", "button",
                    "iframe", "svg", "template")
BOILERPLATE_HINT = re.compile(r"\b(?:nav|menu|breadcrumb|cookie|skip|footer|header|sidebar|share|delen|"
                              r"modal|pageactions|search-?box|zoekbalk)", re.I)
BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "table", "section", "dd", "dt",
              "blockquote", "pre")
#: field -> meta names in order of preference (lowercased)
FIELD_META = {
    "title": ("citation_title", "dc.title", "dcterms.title", "og:title"),
    "date": ("citation_publication_date", "citation_date", "dcterms.issued", "dc.date", "dcterms.date",
             "dcterms.created", "article:published_time"),
    "language": ("citation_language", "dc.language", "dcterms.language", "og:locale"),
    "summary": ("citation_abstract", "dcterms.abstract", "dc.description", "description", "og:description"),
}
LIST_META = {"authors": ("citation_author", "dc.creator.personalname"),
             "creators": ("citation_technical_report_institution", "dc.publisher", "citation_publisher")}


def extract_html(body: bytes) -> Extracted:
    with warnings.catch_warnings():
        # KOOP's pages are XHTML with an XML declaration: they are meant to be read as HTML
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(body, "lxml")
    result = Extracted(format="html")
    meta = _meta_tags(soup)
    koop = any(name.startswith("OVERHEIDop.") for name in meta)
    if koop:
        apply_koop_meta(meta, result)
    _apply_generic_meta({k.lower(): v for k, v in meta.items()}, result)
    page_title = _page_title(soup)
    result.raw_pages = [main_text(soup)]
    meta_title = result.fields.get("title", "")
    if not koop and page_title and (not _share_words(page_title, meta_title)
                                    or _unseen_words(meta_title, page_title, result.raw_pages[0])):
        # a CMS meta title that has nothing in common with the page's own <title>, or names
        # what neither that <title> nor the page's text mention, is stale
        result.fields["title"] = page_title
    if soup.html is not None and soup.html.get("lang"):
        result.set_default("language", str(soup.html.get("lang"))[:2].lower())
    return result


def _unseen_words(meta_title: str, page_title: str, text: str) -> bool:
    """Whether the meta title has words of its own that the page never mentions."""
    own = {w.lower() for w in re.findall(r"\w{4,}", meta_title)} - {w.lower() for w in re.findall(r"\w{4,}", page_title)}
    return bool(own) and not own & {w.lower() for w in re.findall(r"\w{4,}", text)}


def _meta_tags(soup: BeautifulSoup) -> dict[str, list[str]]:
    values: dict[str, list[str]] = defaultdict(list)
    for tag in soup.find_all("meta"):
        name = tag.get("name") or tag.get("property")
        content = tag.get("content")
        if name and content is not None:
            values[str(name)].append(str(content))
            scheme = tag.get("scheme") or tag.get("data-scheme")
            if scheme:
                values[f"{name}@{scheme}"].append(str(content))
    return values


def _apply_generic_meta(meta: dict[str, list[str]], result: Extracted) -> None:
    for field, names in FIELD_META.items():
        for name in names:
            value = next((v.strip() for v in meta.get(name, []) if v.strip()), "")
            if value:
                result.set_default(field, _field_value(field, value))
                break
    for field, names in LIST_META.items():
        for name in names:
            values = [v.strip() for v in meta.get(name, []) if v.strip()]
            if values:
                result.set_default(field, values)
                break
    if number := next(iter(meta.get("citation_technical_report_number", [])), ""):
        result.set_identifier("report_number", number.strip())
    if pdf := next(iter(meta.get("citation_pdf_url", [])), ""):
        result.extra.setdefault("pdf_url", pdf.strip())


def _field_value(field: str, value: str) -> str:
    if field == "date":
        if match := re.match(r"(\d{4})[-/](\d{2})[-/](\d{2})", value):
            return "-".join(match.groups())
        return dates.parse_dutch_date(value) or (value[:4] if re.fullmatch(r"\d{4}", value[:4]) else "")
    if field == "language":
        return value[:2].lower()
    return " ".join(value.split())


def _share_words(first: str, second: str) -> bool:
    """Whether two titles share a word of four letters or more (or ``second`` is empty)."""
    words = {w.lower() for w in re.findall(r"\w{4,}", first)}
    return not second or bool(words & {w.lower() for w in re.findall(r"\w{4,}", second)})


def _page_title(soup: BeautifulSoup) -> str:
    if soup.title is None or not soup.title.string:
        return ""
    title = " ".join(soup.title.string.split())
    return re.split(r"\s+[|–—]\s+", title)[0]


def main_text(soup: BeautifulSoup) -> str:
    main = next((found for sel in MAIN_SELECTORS if (found := soup.select_one(sel)) is not None), soup)
    for tag in main.find_all(BOILERPLATE_TAGS):
        tag.decompose()
    for tag in main.find_all(_is_boilerplate_block):
        tag.decompose()
    for tag in main.find_all(BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (" ".join(line.split()) for line in main.get_text().split("\n"))
    return "\n".join(line for line in lines if line)


def _is_boilerplate_block(tag: Tag) -> bool:
    if tag.name not in ("div", "ul", "section", "span", "p", "a", "ol") or tag.attrs is None:
        return False
    marks = " ".join([str(tag.get("id") or "")] + list(tag.get("class") or []))
    return bool(marks.strip()) and bool(BOILERPLATE_HINT.search(marks)) and tag.get("id") != "broodtekst"
