"""A crawl of the shipped corpus/sources.toml against replay servers that serve the real
recorded samples, one server per real host (the hosts in the sources file, in the regexes
and in the served bodies are rewritten to 127.0.0.1 here, in the test). The expected
records and fields below were written down by reading the samples (see
tests/fixtures/replay/PROVENANCE.md for each file), not by copying the crawl's output.

Where no recording of a file exists, the replay says so: the Tweede Kamer letters' files
answer 404 (each a recorded failure), the WODC report PDF and the CCV report are stand-ins
(their metadata comes from the protocol), the Gemeenteblad XML of gmb-2023-174296 is the
real XML of gmb-2017-100002 (so the SRU metadata must win over it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from indexer.model import Document
from tests.crawl_helpers import ROOT, by_source, crawl, documents
from tests.replay_server import FIXTURES, TEXT_TYPES, ReplayServer, Reply

XML, HTML, JSON, PDF, TEXT = ("text/xml; charset=UTF-8", "text/html; charset=UTF-8",
                              "application/json; odata.metadata=minimal", "application/pdf", "text/plain; charset=UTF-8")
HAL = "application/hal+json;charset=UTF-8"
RM = "/CoERMPublicCommonSearchServices/DisplayDCTMContent"
DSPACE_ITEM = "/server/api/core/items/4f0b6c2e-8a1d-4e57-9c3b-1d2e3f405162"
DSPACE_DRAWING = "/server/api/core/items/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"

#: real host -> [(path, query or None, file under tests/fixtures/replay or None, content type, status, headers)]
HOSTS: dict[str, list[tuple]] = {
    "repository.overheid.nl": [
        ("/sru", None, "sru/gmb_namespaced.xml", XML, 200, {}),
        ("/frbr/officielepublicaties/gmb/2023/gmb-2023-174296/1/xml/gmb-2023-174296.xml", None,
         "koop/gmb-2017-100002.xml", "application/xml", 200, {}),
    ],
    "gegevensmagazijn.tweedekamer.nl": [
        ("/OData/v4/2.0/Document", None, "tk/sources_page.json", JSON, 200, {}),
        ("/OData/v4/2.0/Document(3ccf529a-1e25-49d3-81a8-c60621884b39)/resource", None, "tk/kst-19637-3384.xml",
         "application/xml", 200, {}),
    ],
    "repository.wodc.nl": [
        ("/server/oai/request", None, "dspace7/listrecords_bracu.xml", XML, 200, {}),
        ("/server/api/pid/find", {"id": "10361/22810"}, None, TEXT, 302, {"Location": "{{BASE}}" + DSPACE_ITEM}),
        ("/server/api/pid/find", {"id": "10361/21650"}, None, TEXT, 302, {"Location": "{{BASE}}" + DSPACE_DRAWING}),
        (DSPACE_ITEM, None, "dspace7/item_22810.json", HAL, 200, {}),
        (DSPACE_ITEM + "/bundles", None, "dspace7/bundles_22810.json", HAL, 200, {}),
        ("/server/api/core/bundles/d3599177-0408-403b-9f8d-d300edd79edb/bitstreams", None,
         "dspace7/bitstreams_22810.json", HAL, 200, {}),
        ("/server/api/core/bitstreams/8d33bdfb-e7ba-43e6-a93a-f445b7e8a1e2/content", None, "dspace7/report.pdf",
         PDF, 200, {}),
        (DSPACE_DRAWING, None, "dspace7/item_21650.json", HAL, 200, {}),
        (DSPACE_DRAWING + "/bundles", None, "dspace7/bundles_no_original.json", HAL, 200, {}),
    ],
    "hetccv.nl": [
        ("/onderwerpen/multiprobleemgezinnen-met-een-roma-achtergrond/", None, "ccv/onderwerp-roma.html", HTML, 200, {}),
        ("/onderwerpen/multiprobleemgezinnen-met-een-roma-achtergrond/documenten/de-oogst-van-negen-keer-proeftuinieren/",
         None, "ccv/document-de-oogst.html", HTML, 200, {}),
        ("/fileadmin/Bestanden/Onderwerpen/Multiprobleem_gezin/Rapport_Roma_totaal__JH13.12.2016_.pdf", None,
         "ccv/stand-in-report.pdf", PDF, 200, {}),
    ],
    "www.coe.int": [
        ("/cahrom", None, None, TEXT, 302, {"Location": "{{BASE}}/en/web/roma-and-travellers/cahrom"}),
        ("/en/web/roma-and-travellers/cahrom", None, "coe/cahrom-real-documents.html", HTML, 200, {}),
        ("/en/web/roma-and-travellers/adi-rom", None, "coe/adi-rom.html", HTML, 200, {}),
    ],
    "rm.coe.int": [
        (RM, {"documentId": "09000016800893e6"}, "coe/rm-coe-09000016800893e6-CAHROM-2012-26-excerpt.txt", TEXT, 200, {}),
        (RM, {"documentId": "09000016800893e7"}, "coe/rm-coe-09000016800893e7-CAHROM-2013-13-excerpt.txt", TEXT, 200, {}),
        (RM, {"documentId": "0900001680089824"}, "coe/rm-coe-0900001680089824-CAHROM-2013-17-excerpt.txt", TEXT, 200, {}),
        (RM, {"documentId": "09000016801eac93"}, "coe/rm-coe-09000016801eac93-CAHROM-2014-16-fr-excerpt.txt", TEXT,
         200, {}),
    ],
    "search.coe.int": [],
}

TK_MOTION = "3ccf529a-1e25-49d3-81a8-c60621884b39"
TK_LETTERS = ("578902b2-b779-45ff-a02d-082deb52fb48", "6cda81a2-0e0b-418e-8829-9dd873af494d")
CCV_PAGE = "/onderwerpen/multiprobleemgezinnen-met-een-roma-achtergrond/documenten/de-oogst-van-negen-keer-proeftuinieren/"

#: (source, native id with {host} for the replay host) -> title, date, category, doc_type, canonical, language
EXPECTED: dict[tuple[str, str], tuple[str, str, str, str, str | None, str]] = {
    ("kamerstukken", "gmb-2023-174296"): (
        "Ingekomen melding, Frater Romboutsstraat 42 5571KZ Bergeijk, verwijderen van asbest van het dak",
        "2023-04-20", "bekendmaking", "omgevingsvergunning", "gmb-2023-174296", "nl"),
    ("tweedekamer", TK_MOTION): (
        "Gewijzigde motie van het lid Podt c.s. over een betere schaderegeling voor schade veroorzaakt door "
        "overlastgevende asielzoekers (t.v.v. 19637-3370)", "2025-02-18", "kamerstuk", "motie", "kst-19637-3384", "nl"),
    ("wodc", "10361/22810"): (
        "Effect of free DNA of environment surface water on bacterial biofilm formation", "2023-11", "wodc",
        "scriptie", None, "en"),
    ("wodc", "10361/21650"): (
        "Brick wall layout of toilet AT1.AT2 6F-12F (RFA-437_Rev D)", "2021-01-04", "wodc", "drawings", None, "en"),
    ("ccv", "{host}" + CCV_PAGE): (
        "De oogst van negen keer proeftuinieren", "", "ccv", "rapport", None, "nl"),
    ("cahrom", "{host}" + RM + "?documentId=09000016800893e6"): (
        "Meeting report", "2013-01-24", "cahrom", "verslag", "coe:CAHROM(2012)26-en", "en"),
    ("cahrom", "{host}" + RM + "?documentId=09000016800893e7"): (
        "Abridged meeting report (list of decisions) as approved by the Committee", "2013-05-16", "cahrom", "verslag",
        "coe:CAHROM(2013)13-en", "en"),
    ("cahrom", "{host}" + RM + "?documentId=0900001680089824"): (
        "Meeting report", "2013-06-28", "cahrom", "verslag", "coe:CAHROM(2013)17-en", "en"),
    ("cahrom", "{host}" + RM + "?documentId=09000016801eac93"): (
        "Projet de rapport", "2014-09-10", "cahrom", "verslag", "coe:CAHROM(2014)16-fr", "fr"),
}


class Replays:
    """One replay server per real host, and the rewriting of real hosts to theirs."""

    def __init__(self) -> None:
        self.servers = {host: ReplayServer() for host in HOSTS}

    def rewrite(self, text: str) -> str:
        for host, server in self.servers.items():
            local = server.base_url.split("//", 1)[1]
            text = re.sub(rf"https?://{re.escape(host)}", server.base_url, text)
            text = text.replace(re.escape(host), re.escape(local))  # hosts inside regexes
        return text

    def __enter__(self) -> Replays:
        for host, routes in HOSTS.items():
            server = self.servers[host].__enter__()
            for path, query, name, ctype, status, headers in reversed(routes):
                body = (FIXTURES / name).read_bytes() if name else b""
                if any(kind in ctype for kind in TEXT_TYPES):
                    body = self.rewrite(body.decode("utf-8")).encode("utf-8")
                server.route(path, Reply(status=status, body=body, content_type=ctype, headers=headers), query)
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers.values():
            server.__exit__(*exc)

    def host(self, real: str) -> str:
        return self.servers[real].base_url.split("//", 1)[1]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Replays, object, dict[str, Document]]]:
    tmp = tmp_path_factory.mktemp("sources")
    with Replays() as replays:
        text = (ROOT / "corpus" / "sources.toml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^delay = [\d.]+", "delay = 0.02\nbatch_size = 4", text)
        text = re.sub(r"(?m)^max_retries = \d+", "max_retries = 0", text)
        text = re.sub(r'(?m)^"[\w.]+" = [\d.]+$', "", text)  # the per-host delays of the real hosts
        config = tmp / "sources.toml"
        config.write_text(replays.rewrite(text), encoding="utf-8")
        summary, _ = crawl(config, tmp / "data")
        yield replays, summary, documents(tmp / "data")


def expected_id(replays: Replays, source: str, native: str) -> str:
    host = {"ccv": "hetccv.nl", "cahrom": "rm.coe.int"}.get(source, "")
    return f"{source}:{native.format(host=replays.host(host) if host else '')}"


def test_crawl_of_sources_toml_yields_the_expected_records_and_fields(crawled) -> None:  # type: ignore[no-untyped-def]
    replays, _, docs = crawled
    wrong = []
    for (source, native), want in EXPECTED.items():
        doc = docs.get(expected_id(replays, source, native))
        got = None if doc is None else (doc.title, doc.date, doc.category, doc.doc_type,
                                        doc.identifiers.get("canonical"), doc.language)
        if got != want:
            wrong.append((source, native, got, want))
    assert wrong == []


def test_every_record_of_every_source_keeps_its_category(crawled) -> None:  # type: ignore[no-untyped-def]
    _, _, docs = crawled
    assert {doc.source for doc in docs.values()} == {"kamerstukken", "tweedekamer", "wodc", "ccv", "cahrom"}
    assert [doc.id for doc in docs.values() if doc.category in ("", "overig")] == []
    assert all(doc.category == "ccv" for doc in docs.values() if doc.source == "ccv")  # the stand-in report too
    cahrom = [doc for doc in docs.values() if doc.source == "cahrom"]
    assert len(cahrom) == 4 and all(doc.creators == ("Council of Europe",) for doc in cahrom)


def test_failures_are_the_files_nobody_recorded_and_nothing_else(crawled) -> None:  # type: ignore[no-untyped-def]
    replays, summary, docs = crawled
    tk = by_source(summary, "tweedekamer")
    assert tk.failed == 2 and all("HTTP 404" in reason for _, reason in tk.failures)
    assert not any(doc_id.endswith(TK_LETTERS) for doc_id in docs)
    wodc = by_source(summary, "wodc")
    assert wodc.failed == 1 and "geen ORIGINAL-bundle" in wodc.failures[0][1]
    for name in ("kamerstukken", "ccv", "cahrom"):
        assert by_source(summary, name).failed == 0, by_source(summary, name).failures
    assert docs["wodc:10361/22810"].file_url.endswith("/8d33bdfb-e7ba-43e6-a93a-f445b7e8a1e2/content")
    assert docs["kamerstukken:gmb-2023-174296"].creators == ("Gemeente Bergeijk",)
    assert docs[f"tweedekamer:{TK_MOTION}"].creators == ("Tweede Kamer",)
