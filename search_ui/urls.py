"""The URLs the app hands out to other places: redirect targets after a POST and the
links in the API, feeds and the OpenSearch description.

A redirect target (``next``) is accepted only as a path on this site: browsers drop
tabs and line breaks from URLs, so ``/\\t/evil.example`` would become
``//evil.example`` (another site), and a CR/LF would break the ``Location`` header.

Absolute links are built from the ``public_url`` setting (``[settings] public_url`` in
the sources file, ``$BRONZOEKER_PUBLIC_URL`` wins). Without it, the request's ``Host``
header is trusted only for a link back to the very page that was asked for (a feed's
``self``); every other link is a root-relative path that the client resolves against
the URL it used, so a forged ``Host`` header can never put another site into a
response that a cache or a feed reader keeps.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app, request, url_for

PUBLIC_URL_KEY = "PUBLIC_URL"  # app.config key (set by search_ui.settings)
MAX_NEXT = 2000


def is_local_path(target: str) -> bool:
    """A path on this site that a browser cannot read as another site.

    >>> [is_local_path(t) for t in ("/?q=a", "//evil", "/\\t/evil", "/\\\\evil", "http://x/", "/a\\r\\nX: 1")]
    [True, False, False, False, False, False]
    """
    if not target.startswith("/") or len(target) > MAX_NEXT:
        return False
    if target[1:2] in ("/", "\\") or "\\" in target:
        return False
    if any(char.isspace() or unicodedata.category(char).startswith("C") for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(default: str) -> str:
    """Where to go after a POST: the form's ``next`` when it is a local path, else ``default``."""
    target = request.form.get("next", "")
    return target if is_local_path(target) else default


def public_base() -> str:
    """The configured public URL without a trailing slash ("" when unset)."""
    return str(current_app.config.get(PUBLIC_URL_KEY) or "").rstrip("/")


def external_url(endpoint: str, **values: Any) -> str:
    """A link to another page: absolute under ``public_url``, else a root-relative path."""
    return external_path(url_for(endpoint, **values))


def external_path(path: str) -> str:
    """A root-relative ``path`` of this app (as ``url_for`` gives it) made absolute under
    ``public_url``; unchanged without one."""
    base = public_base()
    if not base:
        return path
    root = request.script_root
    return base + (path[len(root):] if root and path.startswith(root) else path)


def self_url() -> str:
    """This very page, absolute: under ``public_url`` when set, else from the request."""
    base = public_base()
    if not base:
        return request.url
    query = request.query_string.decode("latin-1")
    return base + request.path + (f"?{query}" if query else "")


def feed_entry_id(endpoint: str, **values: Any) -> str:
    """An Atom entry id (an absolute IRI): the public link, else a URN of the path."""
    if public_base():
        return external_url(endpoint, **values)
    return "urn:bronzoeker:" + quote(url_for(endpoint, **values).lstrip("/"), safe="/:")
