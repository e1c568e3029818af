"""The server's settings: the ``serve`` and ``query`` sections of the settings tree
(:mod:`indexer.settings`), read once from the sources file and the environment when the
app is made; app config given to ``create_app`` wins.

========================  ==========================  =========================================
``[settings]`` key        environment                 meaning
========================  ==========================  =========================================
``public_url``            ``BRONZOEKER_PUBLIC_URL``   scheme, host (and path prefix) of absolute
                                                      links; unset: root-relative links
``max_exports``           ``BRONZOEKER_MAX_EXPORTS``  downloads streamed at once (then 429)
``secret_key``            ``BRONZOEKER_SECRET_KEY``   signs the basket cookie
``max_query_clauses``,    ``BRONZOEKER_MAX_…``        see :mod:`indexer.index.limits`
``max_prefix_terms``, …
``smtp_host``, …          ``BRONZOEKER_SMTP_…``       saved searches by e-mail (docs/alerts.md)
========================  ==========================  =========================================

A sources file with an unknown key or a bad value stops the server before it starts
(:class:`~indexer.config.ConfigError`), like every other command.
"""

from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import urlsplit

from flask import Flask

from indexer.config import ConfigError, load_settings
from indexer.settings import ServeSettings, Settings
from search_ui.urls import PUBLIC_URL_KEY

#: app.config key -> the field of the serve section that fills it
SERVER_SETTINGS: dict[str, str] = {PUBLIC_URL_KEY: "public_url", "MAX_EXPORTS": "max_exports",
                                   "PRELOAD": "preload"}


def server_settings(config_path: str | None) -> Settings:
    """The settings tree of the sources file (or of the environment alone without one)."""
    return load_settings(config_path)


def apply_settings(app: Flask, given: Mapping[str, Any], settings: Settings) -> None:
    """Fill the app config from the serve settings (``given`` wins), and give the backend
    its query limits."""
    serve: ServeSettings = settings.serve
    for key, name in SERVER_SETTINGS.items():
        if key not in given and getattr(serve, name) not in (None, ""):
            app.config[key] = getattr(serve, name)
    check_public_url(str(app.config.get(PUBLIC_URL_KEY) or ""))
    app.extensions["bronzoeker.backend"].limits = settings.query
    app.config.setdefault("ALERT_MAIL", settings.mail)  # offered only when complete (search_ui.alerts)


def check_public_url(value: str) -> None:
    """``https://zoek.example.nl`` or ``http://host:8000/prefix``; nothing else."""
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"public_url must look like https://host[:port][/path], not {value!r}")
