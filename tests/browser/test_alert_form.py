"""The saved-search form (/attendering) in a real headless Chromium on waitress, with a real
SMTP server (aiosmtpd) on 127.0.0.1: reached from the search page, a bad address gets its
message by the field (and keeps focusable), a good one sends the confirmation mail; axe-core
on the form, its error state and the outcome pages; screenshots at 1280 and 390 px.
Nothing here confirms a subscription, so the shared demo data directory stays unwritten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from indexer.settings import MailSettings
from tests.browser.helpers import axe_violations, needs_chromium, screenshot
from tests.browser.server import serve_ui
from tests.smtp_server import Mailbox, smtp_server, wait_for

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def mail_site(demo_data: Path) -> Iterator[tuple[str, Mailbox]]:
    with smtp_server() as (mailbox, port):
        mail = MailSettings(host="127.0.0.1", port=port, sender="attendering@bronzoeker.test", starttls=False)
        with serve_ui(demo_data, ALERT_MAIL=mail, PUBLIC_URL="http://zoek.bronzoeker.test") as url:
            yield url, mailbox


def test_subscribe_form_from_the_search_page(page: Any, mail_site: tuple[str, Mailbox]) -> None:
    url, mailbox = mail_site
    page.goto(url + "/?q=roma&doc_type=brief")
    page.get_by_role("link", name="Attendering per e-mail").click()
    assert "“roma” · doc_type: brief" in page.locator(".alert-label").inner_text()
    page.get_by_label("Uw e-mailadres").fill("geen-adres")
    page.get_by_role("button", name="Aanmelden").click()
    field = page.get_by_label("Uw e-mailadres")
    assert field.get_attribute("aria-invalid") == "true"
    assert "geen bruikbaar e-mailadres" in page.locator("#email-fout").inner_text()
    screenshot(page, "alert-form-error-1280", full_page=True)
    field.fill("adviseur@ministerie.test")
    page.get_by_label("dagelijks").check()
    page.get_by_role("button", name="Aanmelden").click()
    assert "adviseur@ministerie.test" in page.locator(".alert-outcome").inner_text()
    [mail] = wait_for(mailbox, 1)
    assert mail["To"] == "adviseur@ministerie.test" and "roma" in mail["Subject"]


@pytest.mark.parametrize("width", [1280, 390])
def test_alert_pages_are_axe_clean(browser: Any, mail_site: tuple[str, Mailbox], width: int) -> None:
    url, _ = mail_site
    for name, path in (("alert-form", "/attendering?q=roma"), ("alert-bad-link", "/attendering/bevestigen/x")):
        assert axe_violations(browser, url + path, name=f"{name}-{width}", width=width) == []


def test_the_error_state_is_axe_clean(browser: Any, mail_site: tuple[str, Mailbox]) -> None:
    url, _ = mail_site
    context = browser.new_context(bypass_csp=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(url + "/attendering?q=roma")
    page.get_by_label("Uw e-mailadres").fill("a@@b")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_selector("#email-fout")
    screenshot(page, "alert-form-error-390", full_page=True)
    page.add_script_tag(path=str(Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"))
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'tag', values: "
                           "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    context.close()
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []
