"""Source labels for people: the publisher or collection a configured source belongs to
("Tweede Kamer", "Officiële bekendmakingen", "WODC", …), shown in the Bron facet and on
result cards with the configured source name as detail.

A source's label is its ``label = "…"`` in the sources file; else a default by the host
it reads from; else by its kind; else its own name. The filter stays on the configured
source (``source=kamerstukken-xml``): a label is a group of those, and choosing a label
chooses every source in it (values of one facet are OR-ed), so URLs, feeds and the API
keep working unchanged and a label can be renamed without breaking a saved link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, current_app, url_for

from indexer.config import ConfigError, SourceConfig, load_config
from search_ui.views import state_pairs

EXTENSION = "bronzoeker.source_labels"
#: host (or a parent domain of it) a source reads from -> label
HOST_LABELS = {
    "officielebekendmakingen.nl": "Officiële bekendmakingen", "repository.overheid.nl": "Officiële bekendmakingen",
    "zoek.officielebekendmakingen.nl": "Officiële bekendmakingen", "tweedekamer.nl": "Tweede Kamer",
    "wodc.nl": "WODC", "hetccv.nl": "CCV", "coe.int": "Raad van Europa", "rijksoverheid.nl": "Rijksoverheid",
    "wetten.overheid.nl": "Wetten.nl", "wetten.nl": "Wetten.nl", "eerstekamer.nl": "Eerste Kamer",
}
#: source kind -> label, when its host says nothing
KIND_LABELS = {"sru": "Officiële bekendmakingen", "tk_odata": "Tweede Kamer"}
#: facets shown as groups of labelled values
GROUPED_FACETS = ("source",)
#: source options that name the addresses a source reads
URL_OPTIONS = ("endpoint", "seeds", "sitemaps", "robots", "base_url", "url")


@dataclass(frozen=True)
class SourceGroup:
    """One line of the Bron facet: a label, its total and its configured sources."""

    label: str
    count: int
    values: tuple[tuple[str, int], ...]


def host_label(url: str) -> str | None:
    """The label of the host of ``url`` or of its nearest listed parent domain.

    >>> host_label("https://repository.wodc.nl/server/oai/request"), host_label("https://example.org/")
    ('WODC', None)
    """
    host = (urlsplit(url).hostname or "").lower()
    parts = host.split(".")
    for start in range(len(parts) - 1):
        label = HOST_LABELS.get(".".join(parts[start:]))
        if label:
            return label
    return None


def _addresses(options: Mapping[str, Any]) -> Iterable[str]:
    for key in URL_OPTIONS:
        value = options.get(key)
        yield from ([value] if isinstance(value, str) else value if isinstance(value, list) else [])


def source_label(source: SourceConfig) -> str:
    """The label of one configured source (see the module text for the order)."""
    given = source.options.get("label")
    if isinstance(given, str) and given.strip():
        return given.strip()
    for address in _addresses(source.options):
        if isinstance(address, str) and (label := host_label(address)):
            return label
    return KIND_LABELS.get(source.kind, source.name)


def labels_from_config(path: str | None) -> dict[str, str]:
    """Configured source name -> label ({} without a readable sources file)."""
    if not path:
        return {}
    try:
        return {source.name: source_label(source) for source in load_config(path).sources}
    except ConfigError:
        return {}


def source_labels() -> dict[str, str]:
    """The labels of this app's sources, read once from its sources file."""
    if EXTENSION not in current_app.extensions:
        current_app.extensions[EXTENSION] = labels_from_config(current_app.config.get("CONFIG_PATH"))
    labels: dict[str, str] = current_app.extensions[EXTENSION]
    return labels


def group_sources(pairs: Iterable[tuple[str, int]], labels: Mapping[str, str]) -> list[SourceGroup]:
    """Source facet counts grouped by label, biggest group first; a source without a
    label is its own group.

    >>> group_sources([("xml", 5), ("wodc", 3), ("pdf", 1)], {"xml": "OB", "pdf": "OB"})
    [SourceGroup(label='OB', count=6, values=(('xml', 5), ('pdf', 1))), SourceGroup(label='wodc', count=3, values=(('wodc', 3),))]
    """
    groups: dict[str, list[tuple[str, int]]] = {}
    for value, count in pairs:
        groups.setdefault(labels.get(value, value), []).append((value, count))
    made = [SourceGroup(label, sum(c for _, c in values), tuple(values)) for label, values in groups.items()]
    return sorted(made, key=lambda group: -group.count)


def group_url(group: SourceGroup, chosen: Iterable[str]) -> str:
    """Choose every source of ``group`` or, when all are chosen already, drop them all."""
    members = {value for value, _ in group.values}
    kept = [(k, v) for k, v in state_pairs() if k != "pagina" and not (k == "source" and v in members)]
    if not members <= set(chosen):
        kept += [("source", value) for value, _ in group.values]
    query = urlencode(kept)
    return url_for("ui.search") + (f"?{query}" if query else "")


def label_helpers() -> dict[str, Any]:
    return {"source_label": lambda name: source_labels().get(name, name), "group_url": group_url,
            "source_groups": lambda pairs: group_sources(pairs, source_labels()), "grouped_facets": GROUPED_FACETS}


def register(bp: Blueprint) -> None:
    """Add the label helpers to the app's templates (called by ``create_app``)."""
    bp.app_context_processor(label_helpers)
