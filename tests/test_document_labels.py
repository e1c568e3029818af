"""The document page of an old Handelingen: its citation by issue and page, and plain Dutch and
English labels for every metadata field the page shows (no raw ``OVERHEIDop.*`` names)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from indexer.index import SearchRequest, open_backend
from search_ui import create_app
from search_ui.document_pages import EXTRA_LABELS, IDENTIFIER_LABELS
from search_ui.i18n import table

OLD_HANDELINGEN = "kamerstukken-html:h-tk-20052006-3563-3563"


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "SECRET_KEY": "test"}).test_client()


def metadata_labels(html: str) -> list[str]:
    block = re.search(r'<dl class="metadata">(.*?)</dl>', html, re.S).group(1)
    return re.findall(r"<dt>(.*?)</dt>", block)


def test_old_handelingen_are_cited_by_issue_and_page(client: FlaskClient) -> None:
    html = client.get(f"/document/{OLD_HANDELINGEN}?lang=nl").get_data(as_text=True)
    assert "Handelingen II 2005/06, nr. 54, p. 3563<" in html
    assert "item 3563" not in html
    # its KOOP id holds pages, not a meeting and item number
    labels = metadata_labels(html)
    assert "Vergadering" not in labels and "Item" not in labels and "Eerste pagina" in labels


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_raw_metadata_names_on_the_page(client: FlaskClient, lang: str) -> None:
    labels = metadata_labels(client.get(f"/document/{OLD_HANDELINGEN}?lang={lang}").get_data(as_text=True))
    assert not [label for label in labels if re.search(r"OVERHEID|[a-z][A-Z]|_|\.", label)], labels
    expected = {"nl": ("Nummer van de uitgave", "Eerste pagina", "Behandeld dossier"),
                "en": ("Issue number", "First page", "File discussed")}[lang]
    assert set(expected) <= set(labels)


def test_every_field_of_the_demo_corpus_has_a_label_in_both_languages(demo_data: Path) -> None:
    documents = list(open_backend(demo_data).iter_documents(SearchRequest()))
    extra_keys = {key for doc in documents for key in doc.extra}
    identifier_keys = {key for doc in documents for key in doc.identifiers}
    assert extra_keys <= set(EXTRA_LABELS), extra_keys - set(EXTRA_LABELS)
    assert identifier_keys <= set(IDENTIFIER_LABELS)
    labels = [EXTRA_LABELS[k] for k in extra_keys] + [IDENTIFIER_LABELS[k] for k in identifier_keys]
    untranslated = [label for label in labels if table("en").get(label, label) == label and label not in ("ISBN", "Handle", "Item")]
    assert not untranslated
