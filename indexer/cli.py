"""The ``indexer`` command: a thin click group over the pipeline, the index and export.

Exit codes: 0 ok, 1 some documents failed, 2 could not run (bad config, another crawl
running, a damaged index or state, a full disk, ...). Whatever stops a command is shown as
one Dutch line (:func:`indexer.errors.explain`); the traceback only with ``indexer --debug``.
The shared options are in :mod:`indexer.cli_options`; ``indexer alerts`` and ``indexer eval``
in their own modules, added to the group here.
"""

from __future__ import annotations

import json
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import click

from indexer import __version__
from indexer.catalogue import database_url
from indexer.cli_alerts import alerts
from indexer.cli_eval import eval_command
from indexer.cli_fleet import configured_database, fleet_check, fleet_status
from indexer.cli_options import backend_call, config_option, data_dir_option, fail, optional_config
from indexer.config import ConfigError, load_config, resolve_config_path, resolve_data_dir
from indexer.errors import EXIT_COULD_NOT_RUN, explain
from indexer.export.search_json import result_json
from indexer.index import FACET_FIELDS, SORTS, SchemaMismatch, SearchRequest, open_backend
from indexer.index.request import BadRequest, cli_params, parse_request
from indexer.model import Document


class ExplainingGroup(click.Group):
    """Turns any error that escapes a command into one Dutch line and exit 2 (with
    ``--debug`` the traceback first); click's own exits and usage errors pass unchanged."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - every failure gets its one line (EOFError too)
            if ctx.meta.get("debug"):
                traceback.print_exc()  # printed, not raised: click would turn EOFError into "Aborted!"
            fail(explain(exc))


@click.group(cls=ExplainingGroup)
@click.version_option(__version__, prog_name="indexer")
@click.option("--debug", is_flag=True, envvar="BRONZOEKER_DEBUG",
              help="Show the full traceback when a command fails.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """bronzoeker: crawl, index, search and export Dutch policy documents."""
    ctx.meta["debug"] = debug


@main.command()
@config_option
@data_dir_option
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option("--refetch", is_flag=True,
              help="Fetch every document in full and every listing from the start (after an upgrade).")
def crawl(config_path: Path | None, data_dir: Path | None, sources: tuple[str, ...], refetch: bool) -> None:
    """Fetch the configured sources and bring the index up to date."""
    from indexer.pipeline import CrawlLocked, run_crawl

    try:
        config = load_config(resolve_config_path(config_path))
        log = lambda line: click.echo(line, err=True)  # noqa: E731
        if url := database_url(setting=config.settings.fleet.database):  # a fleet: the catalogue's work queue
            from indexer.catalogue.worker import run_fleet_crawl

            chosen = [config.source(name) for name in sources] if sources else list(config.sources)
            summary = run_fleet_crawl(config, url, chosen, log=log, refetch=refetch)
        else:
            summary = run_crawl(config, resolve_data_dir(data_dir), only=sources or None, log=log, refetch=refetch)
    except (ConfigError, SchemaMismatch, CrawlLocked) as exc:
        fail(str(exc))
    for source in summary.sources:
        for url, reason in source.failures:
            click.echo(f"mislukt: {url}: {reason}", err=True)
    sys.exit(summary.exit_code)


@main.command(name="check")
@data_dir_option
@click.option("--repair", is_flag=True, help="Rebuild what is damaged from what is not.")
@click.option("--database", default="", metavar="URL",
              help="Check this PostgreSQL catalogue (default [settings] database, or $BRONZOEKER_DATABASE_URL).")
@config_option
def check_command(data_dir: Path | None, repair: bool, database: str, config_path: Path | None) -> None:
    """Verify the index, the document store and the crawl state, or a fleet's catalogue (exit 2 when
    damaged); with a catalogue and --data-dir, a node's data directory too."""
    from indexer.check import check
    from indexer.check import repair as repair_data_dir
    from indexer.citekeys import canonical_keys

    if url := configured_database(database, config_path):
        damaged = fleet_check(url, repair)
        if data_dir is None:
            sys.exit(EXIT_COULD_NOT_RUN if damaged else 0)
    else:
        damaged = False
    resolved = resolve_data_dir(data_dir)
    if repair:  # a running crawl (CrawlLocked) stops it with one line, exit 2
        report = repair_data_dir(resolved, canonical_keys, log=lambda line: click.echo(line, err=True))
    else:
        report = check(resolved)
    for line in report.lines():
        click.echo(line)
    sys.exit(EXIT_COULD_NOT_RUN if report.damaged or damaged else 0)


def database_option(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--database", default="", metavar="URL",
                        help="The PostgreSQL catalogue (default [settings] database, or $BRONZOEKER_DATABASE_URL).")(func)
    return config_option(func)


def _database(database: str, config_path: Path | None) -> str:
    """--database, else the sources file's [settings] database, else the environment."""
    path = None if database else optional_config(config_path)
    setting = database or (load_config(path).settings.fleet.database if path else "")
    url = database_url(setting=setting)
    if not url:
        fail("geen catalogus ingesteld: geef --database postgresql://… of zet BRONZOEKER_DATABASE_URL")
    return url


@main.group()
def db() -> None:
    """The shared PostgreSQL catalogue of a fleet of workers and search nodes."""


@db.command(name="upgrade")
@database_option
def db_upgrade(database: str, config_path: Path | None) -> None:
    """Create the catalogue's tables, or bring them to this version's schema."""
    from indexer.catalogue import connect, redact
    from indexer.catalogue.migrations import LATEST, upgrade

    url = _database(database, config_path)
    with connect(url) as conn:
        applied = upgrade(conn)
    done = f"migratie(s) {', '.join(map(str, applied))} toegepast" if applied else "niets te doen"
    click.echo(f"catalogus {redact(url)}: schemaversie {LATEST} ({done})")


@main.command(name="index")
@data_dir_option
@click.option("--rebuild", is_flag=True, help="Rebuild the index from the document store (no refetching).")
@click.option("--follow", is_flag=True, help="Keep the index a replica of the catalogue (a search node).")
@click.option("--once", is_flag=True, help="With --follow: stop once caught up.")
@database_option
def index_command(data_dir: Path | None, rebuild: bool, follow: bool, once: bool, database: str,
                  config_path: Path | None) -> None:
    """Maintain the index."""
    from indexer.citekeys import canonical_keys
    from indexer.fetch.lock import CrawlLock
    from indexer.index import rebuild as rebuild_index
    from indexer.index.store import clean_leftovers

    if follow:
        from indexer.catalogue.follow import follow as follow_catalogue

        applied = follow_catalogue(_database(database, config_path), resolve_data_dir(data_dir), once=once,
                                   log=lambda line: click.echo(line, err=True))
        click.echo(f"index bij tot wijziging {applied}")
        return
    if not rebuild:
        fail("say what to do, e.g. `indexer index --rebuild` or `indexer index --follow`")
    resolved = resolve_data_dir(data_dir)
    with CrawlLock(resolved):  # a crawl cleaning leftovers must not take this build for one
        clean_leftovers(resolved)
        count = rebuild_index(resolved, canonical_keys)
    click.echo(f"index herbouwd: {count} documenten")


def search_request(query: str, filters: tuple[str, ...], sort: str, limit: int, page: int = 1,
                   date_from: str = "", date_to: str = "") -> SearchRequest:
    """The request of the search options, read by the same parser as a URL (strictly:
    a bad value stops with exit 2 instead of falling back)."""
    try:
        return parse_request(cli_params(query, filters, sort, page, date_from, date_to), limit, strict=True)
    except BadRequest as exc:
        fail(str(exc))
        raise  # fail() exits; this keeps the type checker informed


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE",
                        help=f"Facet filter ({', '.join(FACET_FIELDS)}); repeatable.")(func)
    func = click.option("--sort", type=click.Choice(SORTS), default="relevance")(func)
    func = click.option("--from", "date_from", default="", help="Date from (YYYY[-MM[-DD]]).")(func)
    return click.option("--to", "date_to", default="", help="Date to (YYYY[-MM[-DD]]).")(func)


@main.command()
@click.argument("query")
@data_dir_option
@filter_options
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--page", default=1, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON: the shape of /api/v1/search (without server links).")
def search(query: str, data_dir: Path | None, filters: tuple[str, ...], sort: str, date_from: str,
           date_to: str, limit: int, page: int, as_json: bool) -> None:
    """Search the index."""
    request = search_request(query, filters, sort, limit, page, date_from, date_to)
    result = backend_call(data_dir, lambda b: b.search(request))
    for cut in result.notices:  # the query limits cut something: say what was not searched
        click.echo(f"let op: {cut.message}", err=True)
    if as_json:
        click.echo(json.dumps(result_json(result), ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.total} resultaten")
    if result.partial:
        click.echo(partial_notice(result.complete_total))
    if not result.total:
        _explain_empty_index(data_dir)
    for number, hit in enumerate(result.hits, start=request.offset + 1):
        doc = hit.document
        click.echo(f"{number:3}. {doc.title or doc.id}")
        click.echo(f"     {doc.id} · {doc.doc_type or doc.category} · {doc.date or 'geen datum'}")
        if hit.missing:
            click.echo(f"     Ontbreekt: {', '.join(hit.missing)}")


def partial_notice(complete: int) -> str:
    """The line that says a result goes on past the documents holding every word."""
    if complete == 0:
        return "Geen documenten met alle woorden; dit zijn de beste gedeeltelijke treffers."
    return f"Slechts {complete} met alle woorden; daarna volgen de beste gedeeltelijke treffers."


NO_DOCUMENTS = "nog geen documenten in de index: draai eerst `indexer crawl --config …`"


def _explain_empty_index(data_dir: Path | None) -> None:
    """An empty index is a normal state: say so, with what the crawls of each source did."""
    from indexer.crawl_status import describe, source_statuses

    resolved = resolve_data_dir(data_dir)
    backend = open_backend(resolved)
    if backend.stats()["documents"]:
        return
    click.echo(NO_DOCUMENTS)
    for line in (line for s in source_statuses(resolved, backend) for line in describe(s)):
        click.echo(line)


@main.command()
@click.argument("doc_id")
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole stored record as JSON.")
def show(doc_id: str, data_dir: Path | None, as_json: bool) -> None:
    """Show one document's stored record."""
    doc = backend_call(data_dir, lambda b: b.get(doc_id))
    if doc is None:
        fail(f"no document with id {doc_id!r}")
    if as_json:
        click.echo(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_document(doc)


def _print_document(doc: Document) -> None:
    data = doc.to_dict()
    pages = data.pop("pages")
    for name, value in data.items():
        if value not in ("", [], {}, None):
            click.echo(f"{name}: {value}")
    click.echo(f"pages: {len(pages)}")


@main.command()
@click.argument("query", default="")
@data_dir_option
@filter_options
@click.option("--format", "fmt", default="ris", show_default=True, help="ris, bibtex, csl-json, csv, leidraad")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
def export(query: str, data_dir: Path | None, filters: tuple[str, ...], sort: str, date_from: str,
           date_to: str, fmt: str, output: Path | None) -> None:
    """Export all matches of QUERY as a citation list."""
    from indexer.export import FORMATS
    from indexer.export import export as write_export

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    request = search_request(query, filters, sort, 10, 1, date_from, date_to)
    probe = replace(request, page_size=1, facets=False, snippets=False)
    if (counted := backend_call(data_dir, lambda b: b.search(probe))).partial:
        click.echo(f"let op: {partial_notice(counted.complete_total)}", err=True)
    documents = backend_call(data_dir, lambda b: b.iter_documents(request))
    if output is None:
        count = write_export(documents, fmt, sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as out:
            count = write_export(documents, fmt, out)
        click.echo(f"{count} documenten geschreven naar {output}", err=True)


@main.command()
@config_option
@data_dir_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Requests handled at once.")
@click.option("--connection-limit", default=1000, show_default=True, type=click.IntRange(1),
              help="Open connections (idle ones too); past it new ones wait.")
@click.option("--channel-timeout", default=30.0, show_default=True, type=click.FloatRange(1),
              help="Seconds an idle connection is kept open.")
@click.option("--access-log", default="-", show_default=True, metavar="FILE",
              help="Access log in common log format: a file to append to, '-' for stderr, '' for none.")
def serve(config_path: Path | None, data_dir: Path | None, host: str, port: int, threads: int,
          connection_limit: int, channel_timeout: float, access_log: str) -> None:
    """Serve the web UI and JSON API with a production WSGI server (waitress)."""
    from indexer.index.page_cache import preload_in_background
    from indexer.ports import check_free
    from search_ui import create_app
    from search_ui.server import ServerOptions
    from search_ui.server import serve as run_server

    check_free(host, port)  # before anything else: a taken port is one line, not a traceback
    resolved = resolve_data_dir(data_dir)
    app = create_app({"DATA_DIR": str(resolved), "CONFIG_PATH": optional_config(config_path)})
    if app.config.get("PRELOAD"):  # from the settings create_app read and checked
        preload_in_background(resolved, lambda done: click.echo(done.describe(), err=True))
    options = ServerOptions(host, port, threads, connection_limit, channel_timeout, access_log)
    run_server(app, options, lambda url: click.echo(f"bronzoeker op {url} (Ctrl-C stopt)", err=True))


@main.group(name="config")
def config_group() -> None:
    """Check the sources file and show the effective settings."""


@config_group.command(name="check")
@config_option
def config_check(config_path: Path | None) -> None:
    """Read the sources file as a crawl would: every setting, source and remote checked;
    print the effective settings (file and environment). Exit 2 on anything wrong."""
    from indexer.federation import federation_from_config
    from indexer.settings import describe

    config = load_config(resolve_config_path(config_path))  # a ConfigError ends here: one line, exit 2
    click.echo(f"# {config.path}: {len(config.sources)} bronnen, {len(config.remotes)} remotes")
    for source in config.sources:
        click.echo(f"# bron {source.name} ({source.kind})")
    for line in describe(config.settings):
        click.echo(line)
    problems = federation_from_config(config).problems
    if problems:
        fail("; ".join(f"[[remote]] {p.name}: {p.reason}" for p in problems) + f" (in {config.path})")


@main.command()
@config_option
def sources(config_path: Path | None) -> None:
    """List the configured sources."""
    try:
        config = load_config(resolve_config_path(config_path))
    except ConfigError as exc:
        fail(str(exc))
    for source in config.sources:
        where = source.options.get("path") or source.options.get("url") or source.options.get("base_url", "")
        click.echo(f"{source.name}\t{source.kind}\t{where}")


@main.command()
@config_option
@data_dir_option
@click.option("--json", "as_json", is_flag=True)
@click.option("--database", default="", metavar="URL",
              help="Read this PostgreSQL catalogue (default [settings] database, or $BRONZOEKER_DATABASE_URL).")
def status(config_path: Path | None, data_dir: Path | None, as_json: bool, database: str) -> None:
    """Show what is in the index and what the last crawls did, per source (of a fleet: the catalogue's
    documents, queue, leases, rounds and search nodes)."""
    from indexer.crawl_status import describe, source_statuses

    if url := configured_database(database, config_path):
        fleet_status(url, _configured_sources(config_path), as_json)
        return
    resolved, configured = resolve_data_dir(data_dir), _configured_sources(config_path)
    stats, statuses = backend_call(data_dir, lambda b: (b.stats(), source_statuses(resolved, b, configured)))
    if as_json:
        click.echo(json.dumps({**stats, "crawl": [s.to_dict() for s in statuses]}, ensure_ascii=False, indent=2))
        return
    index = stats.get("index", {})
    click.echo(f"documenten: {stats['documents']}" if stats["documents"] else NO_DOCUMENTS)
    if index:
        click.echo(f"index: {index['bytes'] / 1e6:.1f} MB op schijf, {index['segments']} segment(en) "
                   f"({index['flat_postings']} met snelle postings), "
                   f"{index['deleted']} verwijderde documenten nog niet opgeruimd")
        mapped = index["mapped_files"]
        click.echo(f"segmenten uit het geheugen gemapt: {mapped['state']} ({mapped['reason']})")
    for line in (line for s in statuses for line in describe(s)):
        click.echo(line)


def _configured_sources(config_path: Path | None) -> tuple[str, ...]:
    """The sources file's source names, so a source never crawled is listed too; () without one."""
    path = optional_config(config_path)
    try:
        return tuple(source.name for source in load_config(path).sources) if path else ()
    except ConfigError:
        return ()


main.add_command(alerts)
main.add_command(eval_command)


if __name__ == "__main__":
    main()
