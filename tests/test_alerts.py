"""Saved searches with e-mail, end to end against a real SMTP server on 127.0.0.1
(aiosmtpd): subscribe on the search page, the confirmation mail and its link (double
opt-in), ``indexer alerts send`` with a digest of exactly the new documents, a crawl that
adds one, the one-click unsubscribe link. Documents are real officiële-publicatie XML from
the bundled corpus; what a digest must hold is read from the XML files themselves."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from indexer.alerts.mail import digest
from indexer.alerts.store import ALERTS_FILE
from indexer.cli import main
from indexer.export.dates import dutch
from indexer.model import Document
from search_ui import create_app
from search_ui.access_log import request_line
from tests.crawl_helpers import crawl, write_config
from tests.smtp_server import Mailbox, smtp_server, wait_for

PUBLIC = "http://zoek.bronzoeker.test"
WORD = "bikker"  # a co-signer of some of the 28638 motions, not of others
FIRST = ("kst-28638-238.xml", "kst-28638-239.xml", "kst-28638-241.xml", "kst-32824-424.xml")
LATER = "kst-28638-242.xml"


def xml_facts(path: Path) -> tuple[str, str, bool]:
    """(dossier-qualified id, ISO date, holds WORD) read from an officiële-publicatie XML file."""
    tree = lxml.etree.parse(str(path))
    text = " ".join(tree.getroot().itertext())
    date = tree.xpath("string(//datum/@isodatum)")
    return path.stem, date, WORD in text.lower()


@pytest.fixture()
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture()
def site(tmp_path: Path, corpus_dir: Path, mailbox: tuple[Mailbox, int]) -> dict[str, Path]:
    folder = tmp_path / "stukken"
    folder.mkdir()
    for name in FIRST:
        shutil.copy(corpus_dir / "xml" / name, folder)
    config = write_config(tmp_path / "sources.toml", [{"name": "stukken", "kind": "folder", "path": str(folder),
                                                      "include": ["*.xml"]}],
                          public_url=PUBLIC, smtp_host="127.0.0.1", smtp_port=mailbox[1],
                          smtp_sender="attendering@bronzoeker.test", smtp_starttls=False)
    data = tmp_path / "data"
    summary, _ = crawl(config, data)
    assert summary.exit_code == 0
    return {"folder": folder, "config": config, "data": data}


def client_for(site: dict[str, Path]) -> FlaskClient:
    app = create_app({"DATA_DIR": str(site["data"]), "CONFIG_PATH": str(site["config"]), "TESTING": True})
    return app.test_client()


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def form_params(html: str) -> str:
    found = re.search(r'name="params" value="([^"]*)"', html)
    assert found
    return lxml.html.fromstring(f"<p>{found.group(1)}</p>").text_content()


def local(link: str) -> str:
    """A link of a mail, as a path the test client can ask for."""
    assert link.startswith(PUBLIC + "/"), link
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_in(text: str) -> list[str]:
    return re.findall(re.escape(PUBLIC) + r"/\S+", text)


def send(site: dict[str, Path], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["alerts", "send", "--config", str(site["config"]),
                                       "--data-dir", str(site["data"]), *args])
    return result.exit_code, result.stdout, result.stderr


def subscribe(client: FlaskClient, address: str, query: str) -> None:
    form = client.get(f"/attendering?{query}").get_data(as_text=True)
    answer = client.post("/attendering", data={"csrf": csrf(form), "params": form_params(form),
                                                "email": address, "frequency": "dagelijks"})
    assert answer.status_code == 200 and address in answer.get_data(as_text=True)


def confirm_from(mailbox: Mailbox, client: FlaskClient, address: str) -> None:
    [mail] = wait_for(mailbox, 1)
    assert mail["To"] == address and "Bevestig" in mail["Subject"]
    [link] = links_in(mail.get_content())
    logged = request_line({"REQUEST_METHOD": "GET", "PATH_INFO": local(link), "SERVER_PROTOCOL": "HTTP/1.1"})
    assert logged == "GET /attendering/bevestigen/*** HTTP/1.1"  # the token names the address
    page = client.get(local(link))
    assert page.status_code == 200 and "Bevestigd" in page.get_data(as_text=True)


def digest_parts(mail: EmailMessage) -> tuple[str, str]:
    text = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def digest_ids(html: str) -> set[str]:
    tree = lxml.html.fromstring(html)
    return {href.rsplit("/", 1)[1] for href in tree.xpath("//li/a/@href")}


def test_subscribe_confirm_send_crawl_send_unsubscribe(site: dict[str, Path], mailbox: tuple[Mailbox, int],
                                                        corpus_dir: Path) -> None:
    box, client = mailbox[0], client_for(site)
    search_page = client.get(f"/?q={WORD}").get_data(as_text=True)
    assert f'href="/attendering?q={WORD}"' in search_page  # offered next to the Atom feed
    subscribe(client, "adviseur@ministerie.test", f"q={WORD}")
    assert not (site["data"] / ALERTS_FILE).exists()  # nothing stored before consent
    confirm_from(box, client, "adviseur@ministerie.test")
    assert _rows(site["data"]) == [("adviseur@ministerie.test", f"q={WORD}", "dagelijks")]

    code, out, _ = send(site, "--frequency", "dagelijks")
    assert code == 0 and "1 attendering(en) verstuurd" in out
    [mail] = wait_for(box, 1)
    facts = [xml_facts(site["folder"] / name) for name in FIRST]
    expected = {f"stukken:{stem}" for stem, _, holds in facts if holds}
    assert expected == {"stukken:kst-28638-238", "stukken:kst-28638-241"}  # the files say so, not the index
    text, html = digest_parts(mail)
    assert digest_ids(html) == expected
    for stem, date, holds in facts:
        assert (f"/document/stukken:{stem}" in text) == holds
        assert not holds or (dutch(date) in text and dutch(date) in html)
    assert dutch(facts[0][1]) == "21 december 2023"  # "4 april 2017" style, read from the XML's isodatum
    assert "Kamerstukken II 2023/24, 28638, nr. 238" in text  # the Dutch citation
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    assert unsubscribe in text and mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    code, out, _ = send(site, "--frequency", "dagelijks")  # nothing new: no mail
    assert code == 0 and "0 attendering(en) verstuurd" in out and "1 zonder nieuws" in out
    assert wait_for(box, 1, seconds=0.5) == []

    shutil.copy(corpus_dir / "xml" / LATER, site["folder"])
    assert crawl(site["config"], site["data"])[0].exit_code == 0
    assert send(site, "--frequency", "dagelijks")[0] == 0
    [second] = wait_for(box, 1)
    assert digest_ids(digest_parts(second)[1]) == {"stukken:kst-28638-242"}
    assert xml_facts(site["folder"] / LATER)[2]

    page = client.get(local(unsubscribe))  # one click, another browser: no session, no login
    assert page.status_code == 200 and "afgemeld" in page.get_data(as_text=True)
    assert _rows(site["data"]) == []
    shutil.copy(corpus_dir / "xml" / "kst-28638-244.xml", site["folder"])
    crawl(site["config"], site["data"])
    code, out, _ = send(site, "--frequency", "dagelijks")
    assert code == 0 and wait_for(box, 1, seconds=0.5) == []


def test_a_dossier_subscription_holds_only_the_dossier(site: dict[str, Path], mailbox: tuple[Mailbox, int]) -> None:
    box, client = mailbox[0], client_for(site)
    page = client.get("/dossier/32824").get_data(as_text=True)
    assert 'href="/attendering?dossier=32824"' in page
    subscribe(client, "dossier@ministerie.test", "dossier=32824")
    confirm_from(box, client, "dossier@ministerie.test")
    assert send(site)[0] == 0  # without --frequency: a never-sent subscription is due
    [mail] = wait_for(box, 1)
    assert digest_ids(digest_parts(mail)[1]) == {"stukken:kst-32824-424"}
    code, out, _ = send(site)  # just sent: not due again for a day
    assert code == 0 and "1 nog niet aan de beurt" in out and wait_for(box, 1, seconds=0.5) == []


def test_a_refused_address_is_counted_and_the_others_still_get_mail(site: dict[str, Path],
                                                                     mailbox: tuple[Mailbox, int]) -> None:
    box, client = mailbox[0], client_for(site)
    for address in ("weg@ministerie.test", "blijft@ministerie.test"):
        subscribe(client, address, f"q={WORD}")
        confirm_from(box, client, address)
    box.refused.add("weg@ministerie.test")
    code, out, err = send(site, "--frequency", "dagelijks")
    assert code == 1 and "mislukt: weg@ministerie.test: de SMTP-server weigerde" in err
    assert [m["To"] for m in wait_for(box, 1)] == ["blijft@ministerie.test"]
    box.refused.clear()  # the refused one gets its documents next time; the other nothing twice
    assert send(site, "--frequency", "dagelijks")[0] == 0
    assert [m["To"] for m in wait_for(box, 1)] == ["weg@ministerie.test"]


def test_a_bad_address_gets_a_message_by_the_field_and_nothing_is_sent(site: dict[str, Path],
                                                                        mailbox: tuple[Mailbox, int]) -> None:
    client = client_for(site)
    form = client.get(f"/attendering?q={WORD}").get_data(as_text=True)
    answer = client.post("/attendering", data={"csrf": csrf(form), "params": form_params(form),
                                                "email": "adviseur@@ministerie", "frequency": "wekelijks"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'aria-invalid="true"' in html
    field = lxml.html.fromstring(html).get_element_by_id("email-fout")
    assert "geen bruikbaar e-mailadres" in field.text_content()
    assert 'value="adviseur@@ministerie"' in html and 'value="wekelijks" checked' in html
    assert wait_for(mailbox[0], 1, seconds=0.5) == []
    forged = client.post("/attendering", data={"params": f"q={WORD}", "email": "a@b.test"})
    assert forged.status_code == 400  # no CSRF token


def test_a_line_break_in_the_query_cannot_reach_a_mail_header(site: dict[str, Path],
                                                              mailbox: tuple[Mailbox, int]) -> None:
    client = client_for(site)
    form = client.get("/attendering").get_data(as_text=True)
    answer = client.post("/attendering", data={"csrf": csrf(form), "params": "q=roma%0D%0ABcc:+x@evil.test",
                                                "email": "a@ministerie.test", "frequency": "dagelijks"})
    assert answer.status_code == 200
    [mail] = wait_for(mailbox[0], 1)
    assert mail["Bcc"] is None and mail["Subject"] == "Bevestig uw attendering: “roma Bcc: x@evil.test”"


def test_a_forged_or_altered_link_does_nothing(site: dict[str, Path], mailbox: tuple[Mailbox, int]) -> None:
    client = client_for(site)
    assert client.get("/attendering/bevestigen/eyJlbWFpbCI6ImFAYi50ZXN0In0.x.y").status_code == 400
    assert client.get("/attendering/afmelden/MQ.bad").status_code == 400
    assert not (site["data"] / ALERTS_FILE).exists()


def test_the_html_digest_escapes_titles() -> None:
    title = '<script>alert("x")</script> & <b>vet</b>'
    doc = Document(id="t:1", source="t", category="rapport", title=title, date="2017-04-04")
    mail = digest("a@b.test", "c@d.test", "<i>zoek</i>", [doc], PUBLIC, PUBLIC + "/attendering/afmelden/x")
    _, html = digest_parts(mail)
    assert "<script>" not in html and "<b>vet</b>" not in html and "<i>zoek</i>" not in html
    tree = lxml.html.fromstring(html)
    assert tree.xpath("string(//li/a)") == title  # escaped, so a parser reads the title back whole
    assert tree.xpath("string(//li/time)") == "4 april 2017"


def test_without_smtp_settings_nothing_is_offered_and_send_says_so(tmp_path: Path, demo_data: Path) -> None:
    client = create_app({"DATA_DIR": str(demo_data), "TESTING": True}).test_client()
    assert "/attendering" not in client.get("/?q=roma").get_data(as_text=True)
    assert client.get("/attendering?q=roma").status_code == 404
    result = CliRunner().invoke(main, ["alerts", "send", "--data-dir", str(demo_data)])
    assert result.exit_code == 2
    assert result.stderr.startswith("fout: geen attenderingen ingesteld") and result.stderr.count("\n") == 1


def _rows(data: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(data / ALERTS_FILE) as db:
        return list(db.execute("SELECT email, params, frequency FROM subscriptions ORDER BY id"))
