"""The status page: per source its last crawl, document counts, failures and when it
last changed (gathered by :mod:`indexer.crawl_status`, which ``indexer status`` shares),
and the same status where an index without documents would otherwise show nothing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from indexer.catalogue.position import replica_status
from indexer.config import ConfigError, load_config
from indexer.crawl_status import SourceStatus, source_statuses
from search_ui.views import backend


def configured_sources() -> tuple[str, ...]:
    path = current_app.config.get("CONFIG_PATH")
    if not path:
        return ()
    try:
        return tuple(source.name for source in load_config(path).sources)
    except ConfigError:
        return ()


def status_page() -> Any:
    statuses = source_statuses(current_app.config["DATA_DIR"], backend(), configured_sources())
    return render_template("status.html", statuses=statuses, total=sum(s.documents for s in statuses),
                           replica=replica_status(current_app.config["DATA_DIR"]))


def statuses_if_empty() -> list[SourceStatus] | None:
    """The sources' status when the index holds no documents yet (shown instead of "no
    results"), else None. Only asked after a search without hits, so it costs nothing
    on a normal search."""
    if backend().stats()["documents"]:
        return None
    return source_statuses(current_app.config["DATA_DIR"], backend(), configured_sources())


def register(bp: Blueprint) -> None:
    """Add this module's pages to the app's blueprint (called by ``create_app``)."""
    bp.add_url_rule("/status", view_func=status_page)
