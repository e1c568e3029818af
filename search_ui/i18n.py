"""The UI language: Dutch by default, English on request (``?lang=en`` or the ``taal`` cookie).

Templates call ``_("Dutch text")``; the Dutch text is the key, and
``translations/<lang>.json`` maps it to the other language. A missing entry falls
back to Dutch, so a forgotten translation shows Dutch rather than an error.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import g, request

DEFAULT_LANGUAGE = "nl"
LANGUAGES = {"nl": "Nederlands", "en": "English"}
LANGUAGE_COOKIE = "taal"
LANGUAGE_PARAM = "lang"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


@cache
def table(lang: str) -> dict[str, str]:
    """The translation table of ``lang`` (empty for Dutch, the source language)."""
    path = TRANSLATIONS_DIR / f"{lang}.json"
    if lang == DEFAULT_LANGUAGE or not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def chosen_language() -> str:
    """The language of this request: URL parameter, then cookie, then Dutch."""
    for candidate in (request.args.get(LANGUAGE_PARAM), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def current_language() -> str:
    if "lang" not in g:
        g.lang = chosen_language()
    return g.lang


def translate(text: str, **values: object) -> str:
    """``text`` in the current language, with ``{name}`` placeholders filled in."""
    translated = table(current_language()).get(text, text)
    return translated.format(**values) if values else translated
