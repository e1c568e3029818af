"""The server's settings from the sources file's ``[settings]`` and the environment:
the query limits (:mod:`indexer.index.limits`), the concurrent-export limit and the
public URL. Read once when the app is made; app config given to ``create_app`` wins.

========================  ==========================  =========================================
``[settings]`` key        environment                 meaning
========================  ==========================  =========================================
``public_url``            ``BRONZOEKER_PUBLIC_URL``   scheme, host (and path prefix) of absolute
                                                      links; unset: root-relative links
``max_exports``           ``BRONZOEKER_MAX_EXPORTS``  downloads streamed at once (then 429)
``max_query_clauses``,                                see :mod:`indexer.index.limits`
``max_prefix_terms``, …
========================  ==========================  =========================================
"""

from __future__ import annotations

import os
from typing import Any, Mapping
from urllib.parse import urlsplit

from flask import Flask

from indexer.config import ConfigError, load_config
from indexer.index.limits import QueryLimits
from search_ui.urls import PUBLIC_URL_KEY

DEFAULT_MAX_EXPORTS = 2  # eight full exports at once delayed a normal query by 9 s
#: app.config key -> (settings key, environment variable, type)
SERVER_SETTINGS: dict[str, tuple[str, str, type]] = {
    PUBLIC_URL_KEY: ("public_url", "BRONZOEKER_PUBLIC_URL", str),
    "MAX_EXPORTS": ("max_exports", "BRONZOEKER_MAX_EXPORTS", int),
}


def file_settings(config_path: str | None) -> Mapping[str, Any]:
    """The ``[settings]`` of the sources file as a flat mapping ({} without a file)."""
    if not config_path:
        return {}
    try:
        settings = load_config(config_path).settings
    except ConfigError:
        return {}  # the status page reports a broken sources file; serving goes on
    return {**{k: v for k, v in vars(settings).items() if k != "extra"}, **settings.extra}


def apply_settings(app: Flask, given: Mapping[str, Any]) -> None:
    """Fill the app config from the environment and the sources file (``given`` wins), and
    give the backend its query limits."""
    settings = file_settings(app.config.get("CONFIG_PATH"))
    for key, (name, variable, cast) in SERVER_SETTINGS.items():
        if key in given:
            continue
        value = os.environ.get(variable) or settings.get(name)
        if value not in (None, ""):
            try:
                app.config[key] = cast(value)
            except ValueError:
                raise ConfigError(f"{name} ({variable}) must be a {cast.__name__}, not {value!r}") from None
    app.config.setdefault("MAX_EXPORTS", DEFAULT_MAX_EXPORTS)
    check_public_url(str(app.config.get(PUBLIC_URL_KEY) or ""))
    try:
        limits = QueryLimits.from_settings(settings)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    app.extensions["bronzoeker.backend"].limits = limits


def check_public_url(value: str) -> None:
    """``https://zoek.example.nl`` or ``http://host:8000/prefix``; nothing else."""
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"public_url must look like https://host[:port][/path], not {value!r}")
