"""`outreach purge` and `outreach forget`: keeping less personal data on the laptop (UU 27/2022)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from outreach_tui.commands.common import Context, fail, pass_context


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option(
    "--days",
    type=click.IntRange(0, 3650),
    default=None,
    help="Retention period in days (default: retention_days of the settings, 30).",
)
@pass_context
def purge_command(ctx: Context, dry_run: bool, as_json: bool, days: int | None) -> None:
    """Remove the personal data of records the branch received long enough ago.

    Name, NIK, birth date, sex, phone, street, notes and income of records the central API
    acknowledged more than the retention period ago are removed, with every old version and
    the notes of their visits. Status, area, KPJ number and dates stay for reports. Records
    with changes not yet sent are never touched.
    """
    period = ctx.settings.retention_days if days is None else days
    with ctx.store() as store:
        report = store.purge_expired(datetime.now(UTC), period, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2))
        return
    key = "privacy.purge.dry_run" if dry_run else "privacy.purge.done"
    click.echo(ctx.t(key, records=len(report.records), visits=report.visits, days=period))
    if report.kept_unsent:
        click.echo(ctx.t("privacy.purge.kept_unsent", count=report.kept_unsent), err=True)


@click.command("forget")
@click.argument("record_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_context
def forget_command(ctx: Context, record_id: str, yes: bool) -> None:
    """Remove one person's personal data now, on their request (UU PDP).

    The same fields as `purge` are removed at once, with every version of the record, even
    when it was never sent; the audit log records it (field names only) and the central API
    is told at the next `outreach sync`. Asks for confirmation unless --yes.
    """
    if not yes:
        try:
            agreed = click.confirm(ctx.t("privacy.forget.confirm", record_id=record_id), err=True)
        except click.Abort:  # no answer (end of input)
            agreed = False
        if not agreed:
            fail("privacy.forget.cancelled", code=1)
    with ctx.store() as store:
        done = store.forget_record(record_id, actor=ctx.actor)
    if not done:
        fail("privacy.forget.not_found", code=1, record_id=record_id[:64])
    click.echo(ctx.t("privacy.forget.done"))
