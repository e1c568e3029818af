"""``indexer alerts``: saved searches with e-mail, sent from cron (docs/alerts.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from indexer.alerts import mail_configured
from indexer.alerts.digest import SendContext, send_digests
from indexer.cli_options import backend_call, config_option, data_dir_option, fail, optional_config
from indexer.config import load_settings, resolve_data_dir
from indexer.secret_key import secret_key


@click.group()
def alerts() -> None:
    """Saved searches with e-mail (docs/alerts.md)."""


@alerts.command(name="send")
@config_option
@data_dir_option
@click.option("--frequency", type=click.Choice(("dagelijks", "wekelijks")), default=None,
              help="Send every subscription of this frequency (one cron line each); "
                   "default: those whose period has passed.")
def alerts_send(config_path: Path | None, data_dir: Path | None, frequency: str | None) -> None:
    """Mail each due subscription a digest of the documents not sent before."""
    settings = load_settings(optional_config(config_path))
    if not mail_configured(settings.mail, settings.serve.public_url):
        fail("geen attenderingen ingesteld: zet smtp_host, smtp_sender en public_url (zie docs/alerts.md)")
    resolved = resolve_data_dir(data_dir)
    context = SendContext(settings.mail, settings.serve.public_url, settings.serve.secret_key or secret_key(resolved))
    report = backend_call(data_dir, lambda b: send_digests(resolved, b, context, frequency))
    for address, reason in report.failures:
        click.echo(f"mislukt: {address}: {reason}", err=True)
    click.echo(f"{report.sent} attendering(en) verstuurd met {report.documents} document(en); "
               f"{report.nothing_new} zonder nieuws, {report.not_due} nog niet aan de beurt, "
               f"{len(report.failures)} mislukt")
    sys.exit(report.exit_code)
