"""`outreach server ...`: run the reference central API and manage its devices and records."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from outreach_tui.commands.common import Context, fail, output_file, pass_context, safe_output

_DB_HELP = (
    "The central database: a SQLite file (`run` creates it when missing) or a "
    "postgresql://user@host/dbname URL (also OUTREACH_CENTRAL_DB)."
)
_EXISTING_DB_HELP = (
    "The central database made by 'outreach server run/migrate': a SQLite file or a "
    "postgresql:// URL (also OUTREACH_CENTRAL_DB)."
)
_DB_ENV = "OUTREACH_CENTRAL_DB"


@contextlib.contextmanager
def _central(db: str, *, create: bool = False) -> Iterator[Any]:
    """The central storage for the length of a command.

    Only `server run` and `server migrate` create a database; every other command on a
    missing, empty or foreign file stops with a message and creates nothing.
    """
    from sync.server import CentralDbError, describe, open_central

    try:
        storage = open_central(db, create=create)
    except CentralDbError as exc:
        fail(exc.code, code=2, **{"path": describe(db), **exc.params})
    try:
        yield storage
    finally:
        storage.close()


def _files(db: str) -> list[Path]:
    """The database files an output must not overwrite (none for a PostgreSQL URL)."""
    from sync.server import is_postgres

    return [] if is_postgres(db) else [Path(db)]


def _shown(db: str) -> str:
    """The database as messages name it (a URL without its password)."""
    from sync.server import describe

    return describe(db)


@click.group()
def server() -> None:
    """The reference central API of a branch: serve it, issue device tokens, export, payments."""


@server.command("forget")
@click.option("--db", envvar=_DB_ENV, required=True, help=_EXISTING_DB_HELP)
@click.option("--record", "record_id", required=True, help="The record id to forget.")
@click.option("--reason", default="", help="Why (kept in the audit log): the request and its date.")
@click.option("--by", "by", default=None, help="Who decided (default: the system user).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_context
def forget(ctx: Context, db: str, record_id: str, reason: str, by: str | None, yes: bool) -> None:
    """Forget any record of the branch centrally (UU 27/2022): a branch staff action, audited.

    Devices may forget only their own officer's records; this command is for the others.
    Exit 0 forgotten; 1 unknown record; 2 bad input.
    """
    import getpass

    from sync.server.central import utc_stamp
    from sync.server.forget import staff_forget

    if not reason.strip():
        fail("server.forget.reason_required", code=2)
    if not yes:
        if not sys.stdin.isatty():
            fail("server.forget.needs_yes", code=2)
        click.confirm(ctx.t("server.forget.confirm", record_id=record_id), abort=True, err=True)
    actor = f"staff:{(by or getpass.getuser()).strip()[:64]}"
    with _central(db) as storage:
        state, moved = staff_forget(storage, record_id, utc_stamp(), actor=actor, reason=reason)
    if state is None:
        fail("server.forget.not_found", code=1, record_id=record_id)
    click.echo(
        ctx.t("server.forget.done", record_id=state.record_id, actor=actor, moved=len(moved))
    )


@server.command("add-device")
@click.option("--db", envvar=_DB_ENV, required=True, help=_EXISTING_DB_HELP)
@click.option("--officer-id", required=True, help="The officer's or Perisai agent's id.")
@click.option(
    "--branch", required=True, help="Kantor cabang code: the device sees only its records."
)
@click.option("--json", "as_json", is_flag=True, help='Print {"token": ..., "device_id": ...}.')
@pass_context
def add_device(ctx: Context, db: str, officer_id: str, branch: str, as_json: bool) -> None:
    """Register a laptop and print its token, once (the database keeps only a hash of it)."""
    from sync.server.auth import issue_device
    from sync.server.central import utc_stamp

    if not officer_id.strip() or not branch.strip():
        fail("server.device.invalid", code=2)
    with _central(db) as storage:
        issued = issue_device(storage, officer_id, branch, at=utc_stamp())
    device = issued.device
    if as_json:
        click.echo(json.dumps({"token": issued.token, "device_id": device.device_id}))
        return
    click.echo(
        ctx.t(
            "server.device.added",
            device_id=device.device_id,
            officer_id=device.officer_id,
            branch=device.branch,
        )
    )
    click.echo(ctx.t("server.device.token", token=issued.token))


@server.command("add-staff")
@click.option("--db", envvar=_DB_ENV, required=True, help=_EXISTING_DB_HELP)
@click.option("--branch", required=True, help="Kantor cabang code: all the person sees.")
@click.option("--username", required=True, help="The sign-in name (letters, digits, . _ -).")
@click.option(
    "--role",
    type=click.Choice(["supervisor", "admin"]),
    required=True,
    help="supervisor: works the review queue; admin: also devices and staff.",
)
@click.option("--new-code", is_flag=True, help="An existing account: a new first sign-in code.")
@pass_context
def add_staff(ctx: Context, db: str, branch: str, username: str, role: str, new_code: bool) -> None:
    """Add a branch console account and print its one-time code (24 h): the person opens
    /console/welcome, enters it and chooses a password (never known to anyone else)."""
    from sync.server.console.store import ConsoleStore, Refused

    with _central(db) as storage:
        console = ConsoleStore(storage)
        try:
            if new_code:
                code = console.new_staff_code(username, by="cli")
            else:
                code = console.add_staff(branch, username, role, by="cli")
        except Refused as exc:
            fail(exc.key, code=2, **exc.params)
    click.echo(ctx.t("server.staff.added", username=username.strip().lower(), code=code))


@server.command("arrears")
@click.option("--db", envvar=_DB_ENV, required=True, help=_EXISTING_DB_HELP)
@click.option("--branch", default=None, help="Only this kantor cabang (default: every branch).")
@pass_context
def arrears_command(ctx: Context, db: str, branch: str | None) -> None:
    """Make participants with 3 or more unpaid months inactive (run daily, e.g. from cron);
    their officers' laptops learn it with their next sync."""
    from sync.server.arrears import sweep

    with _central(db) as storage:
        count = sweep(storage, today=dt.date.today(), branch=branch)
    click.echo(ctx.t("server.arrears.done", count=count))


@server.command("revoke-device")
@click.option("--db", envvar=_DB_ENV, required=True, help=_EXISTING_DB_HELP)
@click.option("--device", "device_id", required=True, help="The device id printed by add-device.")
@pass_context
def revoke_device(ctx: Context, db: str, device_id: str) -> None:
    """Withdraw a device's token (a lost or returned laptop): its requests get 401 from now on."""
    from sync.server.central import utc_stamp

    at = utc_stamp()
    with _central(db) as storage:
        device = storage.revoke_device(device_id.strip(), at)
    if device is None:
        fail("server.device.unknown", code=1, device_id=device_id)
    if device.revoked_at != at:  # revoking keeps the first time: this one was already revoked
        click.echo(
            ctx.t("server.device.already_revoked", device_id=device_id, at=device.revoked_at)
        )
        return
    click.echo(ctx.t("server.device.revoked", device_id=device.device_id))


@server.command("export")
@click.option("--db", envvar=_DB_ENV, required=True, help=_EXISTING_DB_HELP)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True,
    help="Output format.",
)  # fmt: skip
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="File to write (default: standard output).",
)  # fmt: skip
@click.option("--branch", default=None, help="Only this kantor cabang's records.")
@click.option("--plain", is_flag=True, help="CSV without spreadsheet guards (for scripts).")
@pass_context
def export(
    ctx: Context, db: str, fmt: str, out: Path | None, branch: str | None, plain: bool
) -> None:
    """Export the central records, one per id (latest version, central status, KPJ, flags).

    A file is written atomically, mode 0600 (it holds personal data); never over a database.
    """
    safe_output(ctx, out, databases=_files(db))
    with _central(db) as storage:
        if out is None:
            _write_export(storage, sys.stdout, fmt, branch, plain)
            return
        with output_file(out, newline="") as stream:
            count = _write_export(storage, stream, fmt, branch, plain)
    click.echo(ctx.t("server.export.done", count=count, path=str(out)), err=True)


def _write_export(storage: Any, stream: IO[str], fmt: str, branch: str | None, plain: bool) -> int:
    """Write the export in `fmt`; returns how many records were written."""
    from sync.server.export import central_rows, write_csv, write_json

    rows = central_rows(storage, branch.strip() if branch else None)
    return write_csv(rows, stream, plain=plain) if fmt == "csv" else write_json(rows, stream)


@server.command("device-report")
@click.option("--db", envvar=_DB_ENV, required=True, help=_EXISTING_DB_HELP)
@click.option("--device", "device_id", required=True, help="The device id printed by add-device.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
    show_default=True, help="Output format.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option(
    "--names", is_flag=True,
    help="Add each person's name (for the branch's notification letters; personal data).",
)  # fmt: skip
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="File to write (default: standard output).",
)  # fmt: skip
@click.option("--plain", is_flag=True, help="CSV without spreadsheet guards (for scripts).")
@pass_context
def device_report(
    ctx: Context,
    db: str,
    device_id: str,
    fmt: str,
    as_json: bool,
    names: bool,
    out: Path | None,
    plain: bool,
) -> None:
    """List the records a device held (the lost-laptop drill): fields, last sent/received, branch.

    Exit 0: report written; 1: the device is unknown; 2: the database file is missing.
    """
    from sync.server.device_report import device_report as make_report

    fmt = "json" if as_json else fmt
    safe_output(ctx, out, databases=_files(db))
    with _central(db) as storage:
        report = make_report(storage, device_id.strip(), names=names)
    if report is None:
        fail("server.device.unknown", code=1, device_id=device_id)
    if out is None:
        _write_report(ctx, report, sys.stdout, fmt, plain)
        return
    with output_file(out, newline="") as stream:
        count = _write_report(ctx, report, stream, fmt, plain)
    click.echo(ctx.t("server.device_report.done", count=count, path=str(out)), err=True)


def _write_report(ctx: Context, report: Any, stream: IO[str], fmt: str, plain: bool) -> int:
    """Write a device report in `fmt`; returns how many records it lists."""
    from sync.server.device_report import write_csv, write_json

    if fmt == "json":
        return write_json(report, stream)
    if fmt == "csv":
        return write_csv(report, stream, plain=plain)
    device, none = report.device, ctx.t("server.device_report.none")
    header = ctx.t(
        "server.device_report.header",
        device_id=device.device_id,
        officer_id=device.officer_id,
        branch=device.branch,
        created_at=device.created_at,
        revoked_at=device.revoked_at or ctx.t("server.device_report.not_revoked"),
        count=len(report.held),
    )
    stream.write(header + "\n")
    for row in report.rows():
        line = ctx.t(
            "server.device_report.row",
            record_id=row["record_id"],
            branch=row["branch"],
            last_sent_at=row["last_sent_at"],
            last_received_at=row["last_received_at"] or none,
            fields=", ".join(row["personal_fields"]) or none,
        )
        name = row.get("full_name")
        stream.write(line + (f"  {name}" if name else "") + "\n")
    stream.write(ctx.t("server.device_report.limits") + "\n")
    if device.revoked_at is None:
        stream.write(ctx.t("server.device_report.still_active", device_id=device.device_id) + "\n")
    return len(report.held)


@server.command("mark-paid")
@click.option("--db", envvar=_DB_ENV, required=True, help=_EXISTING_DB_HELP)
@click.argument("record_id")
@pass_context
def mark_paid(ctx: Context, db: str, record_id: str) -> None:
    """Record a participant's first payment: enrolled becomes active, and laptops pull it."""
    from sync.server.central import mark_paid as record_payment

    with _central(db) as storage:
        result = record_payment(storage, record_id, today=dt.date.today())
    if result.outcome == "paid":
        click.echo(
            ctx.t("server.paid.done", record_id=result.record_id, kpj_number=result.kpj_number)
        )
    elif result.outcome == "already_active":
        click.echo(ctx.t("server.paid.already_active", record_id=result.record_id))
    elif result.outcome == "refused":
        reason = " ".join(problem.message(ctx.lang) for problem in result.problems)
        fail("server.paid.refused", code=1, record_id=result.record_id, reason=reason)
    else:
        fail(f"server.paid.{result.outcome}", code=1, record_id=result.record_id)


# `run`/`migrate` (serving, workers, schema) and `backup`/`restore` live in their own modules.
from outreach_tui.commands import server_backup, server_run  # noqa: E402, F401
