"""`outreach doctor`: check the data file and rescue what is readable from a damaged one.

It reads the file with a bare keyed connection (not the store), so it works where every other
command stops on a damaged page. The old file is never deleted: `--replace` keeps it aside.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import click

from outreach_tui.commands.common import Context, fail, pass_context
from outreach_tui.store.connection import Error as StoreError
from outreach_tui.store.connection import WrongKeyError, connect
from outreach_tui.store.errors import EXIT_DAMAGED, MESSAGES, classify_sqlite_error
from outreach_tui.store.salvage import integrity_problems, lost_ranges, salvage

EXIT_HEALTHY = 0
EXIT_DAMAGE_FOUND = 1


def _check(ctx: Context, key: bytes) -> tuple[list[str], int]:
    """Integrity problems of the data file and how many records could be counted."""
    path = ctx.paths.db_path
    try:
        conn = connect(path, key=key)
    except WrongKeyError:
        return ["the first page cannot be read with this laptop's key"], 0
    except StoreError as exc:
        kind = classify_sqlite_error(exc)
        if kind in MESSAGES:
            key_name, code = MESSAGES[kind]
            fail(key_name, code=code, path=str(path))
        raise
    try:
        problems = integrity_problems(conn)
        try:
            records = int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
        except StoreError:
            records = 0
            problems = problems or ["records cannot be counted"]
    finally:
        conn.close()
    return problems, records


@click.command("doctor")
@click.option("--salvage", "do_salvage", is_flag=True, help="Copy readable data into a new file.")
@click.option(
    "--replace", is_flag=True, help="With --salvage: use the new file, keep the old aside."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
@pass_context
def doctor(ctx: Context, do_salvage: bool, replace: bool, as_json: bool) -> None:
    """Check the data file (SQLCipher page HMACs, then SQLite integrity); rescue with --salvage.

    Exit 0: healthy; 1: damage found (with --salvage: readable data was copied); 10: the new
    file could not be written or verified.
    """
    key = ctx.data_key
    problems, records = _check(ctx, key)
    result: dict[str, Any] = {"healthy": not problems, "problems": len(problems)}
    if not problems and not do_salvage:
        result["records"] = records
        click.echo(json.dumps(result) if as_json else ctx.t("doctor.healthy", records=records))
        return
    if not do_salvage:
        click.echo(json.dumps(result) if as_json else ctx.t("doctor.damaged", count=len(problems)))
        raise SystemExit(EXIT_DAMAGE_FOUND)
    db = ctx.paths.db_path
    stamp = time.strftime("%Y%m%d-%H%M%S")
    new_path = db.with_name(f"{db.stem}.salvaged-{stamp}{db.suffix}")
    old_path = db.with_name(f"{db.stem}.damaged-{stamp}{db.suffix}")
    try:
        report = salvage(db, new_path, key)
    except StoreError as exc:
        kind = classify_sqlite_error(exc)
        key_name, code = MESSAGES.get(kind, ("store.damaged", EXIT_DAMAGED))
        fail(key_name, code=code, path=str(new_path))
    tables = [
        {
            "table": part.table,
            "saved": part.saved,
            "unreadable_rowids": lost_ranges(part.lost_rowids),
            "table_unreadable": part.unreadable,
        }
        for part in report
    ]
    result.update({"tables": tables, "salvaged_to": str(new_path)})
    if replace:
        os.replace(db, old_path)
        for suffix in ("-wal", "-shm"):
            side = db.with_name(db.name + suffix)
            if side.exists():
                os.replace(side, old_path.with_name(old_path.name + suffix))
        os.replace(new_path, db)
        result.update({"salvaged_to": str(db), "old_kept_at": str(old_path)})
    if as_json:
        click.echo(json.dumps(result))
    else:
        for part in report:
            lost = len(part.lost_rowids)
            click.echo(ctx.t("doctor.table", table=part.table, saved=part.saved, lost=lost))
            if lost:
                ids = ", ".join(lost_ranges(part.lost_rowids))
                click.echo(ctx.t("doctor.unreadable_ids", table=part.table, ids=ids))
        if replace:
            click.echo(ctx.t("doctor.replaced", old=str(old_path)))
        else:
            click.echo(ctx.t("doctor.salvaged", path=str(new_path), old=str(old_path)))
    raise SystemExit(EXIT_DAMAGE_FOUND if problems else EXIT_HEALTHY)
