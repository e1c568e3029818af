"""The basket without a reload: the same POST forms answer JSON when the script asks for
it (new count, ids, a message in the UI language), and "alles op deze pagina" adds every
result of the page, with or without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from search_ui import basket, create_app

SEED = "kamerstukken:kst-32824-193"
JSON = {"Accept": "application/json"}


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "SECRET_KEY": "test"}).test_client()


def page_form(html: str, css_class: str) -> tuple[str, list[str]]:
    """The action and the ids of the first POST form with ``css_class``."""
    form = re.search(rf'<form class="{css_class}" method="post" action="([^"]+)".*?</form>', html, re.S)
    assert form, css_class
    return form.group(1), re.findall(r'name="id" value="([^"]+)"', form.group(0))


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_the_script_gets_the_new_basket_as_json(client: FlaskClient) -> None:
    token = csrf(client.get("/?q=motie").get_data(as_text=True))
    response = client.post("/mandje/toevoegen", data={"csrf": token, "id": SEED, "next": "/?q=motie"}, headers=JSON)
    assert response.status_code == 200 and response.is_json
    assert response.json == {"count": 1, "ids": [SEED], "full": False,
                             "message": "1 toegevoegd aan het mandje (1 in totaal)."}
    english = client.post("/mandje/verwijderen?lang=en", data={"csrf": token, "id": SEED}, headers=JSON)
    assert english.json["count"] == 0 and english.json["message"] == "Removed from the basket (0 in total)."


def test_the_json_answer_still_needs_the_csrf_token(client: FlaskClient) -> None:
    client.get("/")
    assert client.post("/mandje/toevoegen", data={"id": SEED}, headers=JSON).status_code == 400


def test_a_plain_form_still_goes_back_to_the_page(client: FlaskClient) -> None:
    token = csrf(client.get("/?q=motie").get_data(as_text=True))
    response = client.post("/mandje/toevoegen", data={"csrf": token, "id": SEED, "next": "/?q=motie"},
                           headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 303 and response.headers["Location"] == "/?q=motie"


def test_add_all_puts_every_result_of_the_page_in_the_basket(client: FlaskClient) -> None:
    html = client.get("/?q=motie&pagina=2").get_data(as_text=True)
    action, ids = page_form(html, "basket-all")
    shown = re.findall(r'<li class="hit">.*?name="id" value="([^"]+)"', html, re.S)
    assert action == "/mandje/toevoegen" and ids == shown and len(ids) == 10
    response = client.post(action, data={"csrf": csrf(html), "id": ids, "next": "/?q=motie&pagina=2"})
    assert response.status_code == 303
    basket = client.get("/mandje").get_data(as_text=True)
    assert re.findall(r'name="id" value="([^"]+)"', basket) == ids
    again = client.post(action, data={"csrf": csrf(html), "id": ids}, headers=JSON).json
    assert again["count"] == 10 and again["message"].startswith("0 toegevoegd")


def test_a_full_basket_says_so(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(basket, "MAX_BASKET", 4)  # the demo holds fewer documents than a full basket
    html = client.get("/?q=motie").get_data(as_text=True)
    ids = page_form(html, "basket-all")[1]
    answer = client.post("/mandje/toevoegen", data={"csrf": csrf(html), "id": ids}, headers=JSON).json
    assert answer == {"count": 4, "ids": ids[:4], "full": True, "message": "Het mandje is vol (4 documenten)."}


def test_buttons_carry_both_states_for_the_script(client: FlaskClient) -> None:
    html = client.get("/?q=motie").get_data(as_text=True)
    form = re.search(r'<form class="basket-form".*?</form>', html, re.S).group(0)
    assert 'data-add="/mandje/toevoegen"' in form and 'data-remove="/mandje/verwijderen"' in form
    assert 'data-add-label="+ In mandje"' in form and 'data-remove-label="✓ In mandje – verwijderen"' in form
    english = client.get("/?q=motie&lang=en").get_data(as_text=True)
    assert "+ Add to basket" in english and "+ Add all on this page to the basket" in english
    assert 'id="mandje-status"' in html and 'aria-live="polite"' in html
