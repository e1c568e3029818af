"""``corpus/sources.toml``: the real public endpoints load, every source builds its first
requests without I/O, and the CAHROM document pattern picks the rm.coe.int files (EN and
FR) off a CoE listing page but not its navigation."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from indexer.config import load_config
from indexer.model import ROLE_DOCUMENT, Request, Response
from indexer.sources import build_source

ROOT = Path(__file__).resolve().parent.parent
REPLAY = Path(__file__).parent / "fixtures" / "replay"


def test_real_sources_file_builds_every_source() -> None:
    config = load_config(ROOT / "corpus" / "sources.toml")
    kinds = {s.name: s.kind for s in config.sources}
    assert kinds == {"kamerstukken": "sru", "tweedekamer": "tk_odata", "wodc": "oai_pmh",
                     "ccv": "website", "cahrom": "website"}
    hosts = set()
    for source_config in config.sources:
        source = build_source(source_config.name, source_config.kind, source_config.options)
        requests = list(source.start(None))
        assert requests and all(r.url.startswith("https://") for r in requests)
        hosts |= {urlsplit(r.url).netloc for r in requests}
    assert {"repository.overheid.nl", "gegevensmagazijn.tweedekamer.nl", "repository.wodc.nl",
            "hetccv.nl", "www.coe.int"} <= hosts
    assert config.settings.politeness.delay >= 1.0
    assert config.settings.politeness.host_delay["rm.coe.int"] >= 3


def test_cahrom_listing_yields_the_coe_documents_in_both_languages() -> None:
    options = next(s for s in load_config(ROOT / "corpus" / "sources.toml").sources if s.name == "cahrom").options
    source = build_source("cahrom", "website", options)
    seed = next(iter(source.start(None)))
    body = (REPLAY / "coe" / "listing.html").read_bytes()
    items = list(source.parse(Response(seed, seed.url, 200, {"content-type": "text/html"}, body)))
    documents = [i for i in items if isinstance(i, Request) and i.role == ROLE_DOCUMENT]
    assert [d.native_id for d in documents] == [
        "rm.coe.int/CoERMPublicCommonSearchServices/DisplayDCTMContent?documentId=09000016800893e7",
        "rm.coe.int/1st-progress-report-implementing-the-action-plan/168073df4e",
        "rm.coe.int/16807367ee",
        "search.coe.int/cm?i=0900001680ac627a",
    ]
    assert [d.meta.get("language") for d in documents][:3] == ["en", "en", "fr"]
    assert documents[0].meta["link_text"].startswith("CAHROM (2013)13")
    assert documents[0].meta["category"] == "cahrom"
    pages = [i.url for i in items if isinstance(i, Request) and i.role != ROLE_DOCUMENT]
    assert "https://www.coe.int/en/web/roma-and-travellers/cahrom-thematic-visits" in pages
    assert "https://www.coe.int/en/web/portal/terms-of-use" not in pages, "outside the scope"
