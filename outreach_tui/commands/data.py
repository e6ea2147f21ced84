"""`outreach import`, `outreach export` and `outreach search`: records in and out."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from outreach_tui.commands.common import Context, fail, output_file, pass_context, safe_output
from outreach_tui.domain.codes import STATUSES
from outreach_tui.domain.nik import mask_nik
from outreach_tui.domain.phone import format_phone_national
from outreach_tui.domain.reference import normalize_region_code
from outreach_tui.transfer.csvfile import UnreadableFile
from outreach_tui.transfer.exporter import FORMATS, write_csv, write_json, write_xlsx
from outreach_tui.transfer.importer import describe, import_csv


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option("--dry-run", is_flag=True, help="Validate and report; store nothing.")
@pass_context
def import_command(ctx: Context, file: Path, as_json: bool, dry_run: bool) -> None:
    """Import people from a CSV file whose header names record fields.

    Every row is validated; valid rows are stored in one go and each rejected row
    is reported with its line, field and reason. Exit 0: all stored; 1: some rows
    rejected (the others are stored); 2: the file cannot be read (nothing stored).
    """
    lang = ctx.lang
    with ctx.store() as store:
        try:
            report = import_csv(
                file,
                store,
                today=date.today(),
                actor=ctx.actor,
                officer_id=ctx.settings.officer_id or None,
                dry_run=dry_run,
            )
        except UnreadableFile as exc:
            if as_json:
                click.echo(
                    json.dumps(
                        {"error": {"code": exc.key, "message": ctx.t(exc.key, **exc.params)}}
                    )
                )
            fail(exc.key, code=2, **exc.params)
    if as_json:
        click.echo(json.dumps(report.to_json(lang), ensure_ascii=False, indent=2))
    else:
        lines = describe(report, lang)
        for line in lines[:-1]:
            click.echo(line, err=True)
        click.echo(lines[-1])
    raise SystemExit(report.exit_code)


def _check_status(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and value not in STATUSES:
        raise click.BadParameter(f"{value!r}: {', '.join(STATUSES)}")
    return value


def _check_region(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    code = normalize_region_code(value)
    if code is None:
        raise click.BadParameter(value)
    return code


def _check_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise click.BadParameter("YYYY-MM-DD") from exc


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Output file (default: stdout; required for xlsx).",
)
@click.option(
    "--status", callback=_check_status, default=None, help="Only records with this status."
)
@click.option(
    "--region",
    callback=_check_region,
    default=None,
    help="Only records in this region (province, kab/kota, kecamatan or desa code).",
)
@click.option(
    "--since",
    callback=_check_date,
    default=None,
    help="Only records changed on or after YYYY-MM-DD.",
)
@click.option(
    "--plain", is_flag=True, help="CSV with raw values for scripts (no spreadsheet guards)."
)
@click.option(
    "--kind",
    type=click.Choice(["records", "groups", "events", "attendance"]),
    default="records",
    show_default=True,
    help="What to export: records, or groups (with coverage), events (with attendance and "
    "enrolled since), attendance (status then and now).",
)
@pass_context
def export_command(
    ctx: Context,
    fmt: str,
    out: Path | None,
    status: str | None,
    region: str | None,
    since: str | None,
    plain: bool,
    kind: str,
) -> None:
    """Export records with their sync state, contribution and KPJ number.

    The file is written atomically and readable by this user only (0600): it leaves the
    encrypted store. It may never be the store, its keys or its settings.
    """
    if fmt == "xlsx" and out is None:
        fail("export.xlsx_needs_out", code=2)
    safe_output(ctx, out)
    if kind != "records":
        _export_table(ctx, kind, fmt, out, plain)
        return
    with ctx.store() as store:
        records = store.iter_records(status=status, region_code=region, since=since)
        if out is None:
            count = _write_text(fmt, records, sys.stdout, plain)
        elif fmt == "xlsx":
            with output_file(out, text=False) as handle:
                count = write_xlsx(records, handle)
        else:
            with output_file(out, newline="" if fmt == "csv" else None) as handle:
                count = _write_text(fmt, records, handle, plain)
    if out is not None:
        click.echo(ctx.t("export.done", count=count, path=str(out)), err=True)


def _export_table(ctx: Context, kind: str, fmt: str, out: Path | None, plain: bool) -> None:
    """Groups, events or attendance, in the records' export conventions."""
    from outreach_tui.transfer.tables import KINDS, write_table

    with ctx.store() as store:
        rows = {"groups": store.groups, "events": store.events,
                "attendance": store.attendance_rows}[kind]()  # fmt: skip
        if kind == "groups":  # why members declined, per group: "biaya 3; belum_butuh 1"
            reasons = store.group_decline_reasons()
            for row in rows:
                row["decline_reasons"] = "; ".join(
                    f"{reason or '-'} {count}"
                    for reason, count in reasons.get(row["id"], {}).items()
                )
    if out is None:
        write_table(rows, KINDS[kind], fmt, sys.stdout, plain=plain)
        return
    text = fmt != "xlsx"
    with output_file(out, text=text, **({"newline": ""} if fmt == "csv" else {})) as handle:
        count = write_table(rows, KINDS[kind], fmt, handle, plain=plain)
    click.echo(ctx.t("export.done", count=count, path=str(out)), err=True)


def _write_text(fmt: str, records: Any, handle: Any, plain: bool) -> int:
    if fmt == "json":
        return write_json(records, handle)
    return write_csv(records, handle, plain=plain)


@click.command("search")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the matching records as JSON.")
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    help="How many matches at most.",
)
@pass_context
def search_command(ctx: Context, query: str, as_json: bool, limit: int) -> None:
    """Find people by name, NIK (or its first digits) or phone, best matches first."""
    with ctx.store() as store:
        found = store.search(query, limit=limit)
    if as_json:
        from outreach_tui.transfer.exporter import export_row

        click.echo(json.dumps([export_row(r) for r in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(ctx.t("search.none", query=query))
        raise SystemExit(1)
    for record in found:
        nik = mask_nik(record["nik"]) if record.get("nik") else "-"
        phone = format_phone_national(record["phone"]) if record.get("phone") else "-"
        status = ctx.t("label.status." + str(record.get("status") or "prospect"))
        click.echo(
            f"{record['full_name'][:32]:<32} {nik:<17} {phone:<15} {status:<12} {record['id']}"
        )
