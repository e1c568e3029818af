"""The English UI is complete: every Dutch text the templates pass to ``_()`` and every
label table the UI translates has an entry in ``translations/en.json``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from indexer.export import FORMATS
from indexer.export.styles import STYLES
from indexer.index.limits import MESSAGES as CUT_MESSAGES
from search_ui.alerts import MESSAGES as ALERT_MESSAGES
from search_ui.basket import MESSAGES as BASKET_MESSAGES
from search_ui.document_pages import EXTRA_LABELS, IDENTIFIER_LABELS
from search_ui.formatting import CATEGORY_LABELS, DOC_TYPE_LABELS, FACET_LABELS, LANGUAGE_LABELS
from search_ui.query_help import FIELD_HELP
from search_ui.source_labels import HOST_LABELS, KIND_LABELS
from search_ui.views import SORT_LABELS

UI = Path(__file__).resolve().parents[1] / "search_ui"
ENGLISH = json.loads((UI / "translations" / "en.json").read_text(encoding="utf-8"))
#: _("…") and _('…') with a literal text in a template
MSGID = re.compile(r'''_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')''')


def template_msgids() -> set[str]:
    found: set[str] = set()
    for path in (UI / "templates").glob("*"):
        found |= {double or single for double, single in MSGID.findall(path.read_text(encoding="utf-8"))}
    return found


def table_msgids() -> set[str]:
    tables = [CATEGORY_LABELS, DOC_TYPE_LABELS, FACET_LABELS, LANGUAGE_LABELS, SORT_LABELS, IDENTIFIER_LABELS,
              EXTRA_LABELS, CUT_MESSAGES, BASKET_MESSAGES, HOST_LABELS, KIND_LABELS, ALERT_MESSAGES]
    texts = {text for table in tables for text in table.values()}
    return texts | {fmt.label for fmt in FORMATS.values()} | {text for _, text in FIELD_HELP.values()} | \
        {style.label for style in STYLES.values()}


def test_the_scan_finds_the_texts_of_the_templates() -> None:
    assert {"Zoekhulp", "+ In mandje", "+ Alles op deze pagina in het mandje", "Naar de resultaten"} <= template_msgids()


def test_every_template_text_has_an_english_entry() -> None:
    missing = sorted(text for text in template_msgids() if text not in ENGLISH)
    assert not missing, missing


def test_every_translated_label_table_has_english_entries() -> None:
    missing = sorted(text for text in table_msgids() if text not in ENGLISH)
    assert not missing, missing


def test_placeholders_survive_translation() -> None:
    for dutch, english in ENGLISH.items():
        assert set(re.findall(r"\{\w+\}", dutch)) == set(re.findall(r"\{\w+\}", english)), dutch
