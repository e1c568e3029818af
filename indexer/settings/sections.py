"""The sections of the settings tree, each field declared once: type, default, Dutch help
text, bounds; its environment variable is ``BRONZOEKER_`` and its ``[settings]`` key in
capitals (see :mod:`indexer.settings`). Frozen: a run's settings never change under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.settings.fields import setting

#: the PDF text engines :mod:`indexer.extract.pdf` knows (its ``ENGINES`` registry); ''
#: is the automatic choice: pypdfium2 when installed, pypdf for what PDFium cannot open
PDF_ENGINES = ("", "pypdfium2", "pypdf")


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = setting(30.0, "seconden per verzoek", minimum=0.01)
    max_bytes: int = setting(100 * 1024 * 1024, "grootste antwoord in bytes; groter wordt geweigerd", minimum=1)
    max_redirects: int = setting(5, "hoogstens zoveel doorverwijzingen per verzoek", minimum=0)
    user_agent: str = setting("", "User-Agent van de crawler (leeg: de ingebouwde)")
    obey_robots: bool = setting(True, "robots.txt van elke host volgen")


@dataclass(frozen=True)
class PolitenessSettings:
    """How gently to crawl (:mod:`indexer.fetch.politeness`)."""

    delay: float = setting(1.0, "seconden tussen twee verzoeken aan dezelfde host", minimum=0.0)
    max_retries: int = setting(3, "extra pogingen na een 5xx, 429 of verbindingsfout", minimum=0)
    backoff: float = setting(2.0, "eerste wachttijd in seconden bij een nieuwe poging, verdubbeld per poging",
                             minimum=0.0)
    max_retry_after: float = setting(120.0, "bovengrens op de Retry-After van een server, in seconden",
                                     minimum=0.0)
    slowdown_cap: float = setting(30.0, "na 429's nooit trager dan zoveel seconden per verzoek", minimum=0.0)
    host_delay: dict[str, float] = setting({}, "seconden tussen verzoeken per host (tabel host = seconden)",
                                           env=False)


@dataclass(frozen=True)
class CrawlSettings:
    # documents per index commit: on 2,000 bulk motions 1000 crawled in 18.5 s against 22.0 s
    # for 200, into a 17 MB index against 26 MB (fewer segments); a kill redoes one batch
    batch_size: int = setting(1000, "documenten per indexcommit", minimum=1)
    gone_recheck_days: float = setting(30.0, "dagen waarna een verdwenen (404/410) adres opnieuw wordt gevraagd",
                                       minimum=0.0)


@dataclass(frozen=True)
class ExtractionSettings:
    """Passed to :func:`indexer.extract.extract` and its guarded workers."""

    extract_timeout: float = setting(120.0, "seconden tekstextractie per document", minimum=0.01)
    extract_memory_mb: int = setting(2048, "geheugen per extractieproces in MB", minimum=16)
    extract_workers: int = setting(0, "extractieprocessen naast elkaar (0: één per kern)", minimum=0)
    # records sent to each worker ahead of the one the crawl indexes, so the workers go on while
    # the crawl commits (~2 s per 1,000 motions; a worker extracts one in ~6 ms): see docs/ingest.md
    extract_run_ahead: int = setting(400, "documenten per extractieproces vooruit (1: één tegelijk)", minimum=1)
    pdf_engine: str = setting("", "PDF-tekstmotor (leeg: pypdfium2, met pypdf voor wat PDFium niet opent)",
                              choices=PDF_ENGINES)
    no_ocr: bool = setting(False, "geen OCR (Tesseract) op gescande pagina's")


@dataclass(frozen=True)
class FleetSettings:
    """Crawl workers sharing a PostgreSQL catalogue (:mod:`indexer.catalogue`)."""

    # its environment variable (BRONZOEKER_DATABASE_URL) is read by indexer.catalogue.database_url
    database: str = setting("", "de gedeelde PostgreSQL-catalogus (postgresql://…); leeg: alles in de datamap",
                            env=False)
    # a live worker renews its lease every third of this: how soon a killed worker's work is taken over
    lease_seconds: float = setting(60.0, "seconden dat een werker een geclaimde taak vasthoudt", minimum=1.0)
    crawl_every: float = setting(0.0, "seconden voordat de vloot een bron opnieuw begint", minimum=0.0)


@dataclass(frozen=True)
class FederationSettings:
    deadline: float = setting(8.0, "seconden voor de hele gefedereerde zoekvraag, eigen index inbegrepen",
                              minimum=0.05, maximum=120.0)
    local_weight: float = setting(1.0, "gewicht van de eigen index in de fusie", minimum=0.0, maximum=100.0)
    # the usual constant of reciprocal rank fusion (Cormack et al. 2009)
    rrf_k: int = setting(60, "constante k van reciprocal rank fusion", minimum=1)
    local_hits: int = setting(20, "treffers uit de eigen index in de fusie", minimum=1, maximum=1000)


@dataclass(frozen=True)
class QuerySettings:
    """How much work one query may cost (:mod:`indexer.index.limits` says why)."""

    max_query_clauses: int = setting(32, "delen (woorden, zinnen, voorvoegsels) per zoekvraag", minimum=1)
    max_prefix_terms: int = setting(300, "woorden waarvoor één voorvoegsel* mag staan", minimum=1)
    max_expanded_terms: int = setting(1000, "woorden waarvoor alle voorvoegsels samen mogen staan", minimum=1)
    query_time_budget: float = setting(2.0, "seconden rekentijd voor het zoeken en de fragmenten", minimum=0.0)


@dataclass(frozen=True)
class ServeSettings:
    public_url: str = setting("", "schema, host (en pad) van absolute links; leeg: links vanaf de wortel")
    # eight full exports at once delayed a normal query by 9 s
    max_exports: int = setting(2, "downloads tegelijk (daarna 429)", minimum=1)
    secret_key: str = setting("", "sleutel voor het mandje-cookie (leeg: een sleutel in de datamap)")
    # a cold 100k index answered rare-term queries at p95 1.6 s, a warm one at 19 ms (indexer.index.page_cache)
    preload: bool = setting(True, "index en documentopslag bij het starten van `indexer serve` op de achtergrond "
                                  "inlezen, zodat de eerste zoekvragen niet op de schijf wachten")


@dataclass(frozen=True)
class MailSettings:
    """The SMTP server that sends saved-search e-mails (:mod:`indexer.alerts`); without a host
    and a sender no subscription is offered. The password is read from the environment
    only (``BRONZOEKER_SMTP_PASSWORD``), never from a file that may be shared."""

    host: str = setting("", "SMTP-server voor attenderingsmails (leeg: geen attenderingen)")
    port: int = setting(587, "poort van de SMTP-server", minimum=1, maximum=65535)
    sender: str = setting("", "afzenderadres van de attenderingsmails (From)")
    starttls: bool = setting(True, "de verbinding met STARTTLS versleutelen")
    username: str = setting("", "gebruikersnaam bij de SMTP-server (leeg: niet inloggen)")
