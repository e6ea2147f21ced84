"""`outreach server backup` / `outreach server restore`: the central database, sealed.

The passphrase comes from OUTREACH_BACKUP_PASSPHRASE (scripts, cron) or is asked twice on a
terminal; without it the file is useless. Exit 2: bad input or a refused target; 5: wrong
passphrase; 12: the database could not be dumped or restored.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from outreach_tui.commands import common
from outreach_tui.commands.common import Context, fail, pass_context, safe_output
from outreach_tui.commands.server import _DB_ENV, _EXISTING_DB_HELP, _shown, server

PASSPHRASE_ENV = "OUTREACH_BACKUP_PASSPHRASE"
MIN_PASSPHRASE = 12
_CODES = {"server.backup.wrong_passphrase": 5, "server.backup.dump_failed": 12,
          "server.backup.restore_failed": 12}  # fmt: skip


def _passphrase(ctx: Context, *, confirm: bool) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value is None:
        if not common.can_prompt():
            fail("server.backup.no_passphrase", code=2, env=PASSPHRASE_ENV)
        value = str(click.prompt(ctx.t("server.backup.prompt"), hide_input=True,
                                 confirmation_prompt=confirm, err=True))  # fmt: skip
    if confirm and len(value) < MIN_PASSPHRASE:
        fail("server.backup.short_passphrase", code=2, min=MIN_PASSPHRASE)
    return value


@server.command("backup")
@click.option("--db", envvar=_DB_ENV, required=True, help=_EXISTING_DB_HELP)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The backup file to write (0600); never the database itself.")  # fmt: skip
@pass_context
def backup(ctx: Context, db: str, out: Path) -> None:
    """Write a sealed copy of the central database (SQLite backup API or pg_dump)."""
    from sync.server.backup import BackupError, write_backup
    from sync.server.database import is_postgres

    # As every --out: never the database (nor its -wal/-shm), the laptop's store, keys or
    # settings, a folder or a link.
    safe_output(ctx, out, databases=[] if is_postgres(db) else [Path(db)])
    passphrase = _passphrase(ctx, confirm=True)
    try:
        size = write_backup(db, out, passphrase)
    except BackupError as exc:
        fail(exc.code, code=_CODES.get(exc.code, 2), **{"path": _shown(db), **exc.params})
    click.echo(ctx.t("server.backup.done", path=str(out), size=f"{size / 1e6:.1f} MB"))


@server.command("restore")
@click.option("--db", envvar=_DB_ENV, required=True,
              help="Where to restore: a SQLite file not there yet, or an empty PostgreSQL "
                   "database (its URL).")  # fmt: skip
@click.option("--from", "source", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              required=True, help="The backup file.")  # fmt: skip
@pass_context
def restore(ctx: Context, db: str, source: Path) -> None:
    """Bring a sealed backup back into a new central database."""
    from sync.server.backup import BackupError, restore_backup

    passphrase = _passphrase(ctx, confirm=False)
    try:
        kind = restore_backup(source, db, passphrase)
    except BackupError as exc:
        fail(exc.code, code=_CODES.get(exc.code, 2), **{"path": str(source), **exc.params})
    click.echo(ctx.t("server.backup.restored", db=_shown(db), kind=kind))
