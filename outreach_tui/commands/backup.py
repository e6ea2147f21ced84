"""`outreach backup` and `outreach restore`: the laptop's work in one file, and back again."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from outreach_tui.commands import common
from outreach_tui.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_KEY_PROBLEM,
    EXIT_WRONG_PASSPHRASE,
    PASSPHRASE_ENV,
    Context,
    fail,
    pass_context,
    safe_output,
)
from outreach_tui.store.backup import LAST_BACKUP_META, BackupError, read_info, write_backup
from outreach_tui.vault import VaultDamaged, WrongPassphrase
from outreach_tui.vault.restore import DataExists, has_data, restore_backup


@click.command("backup")
@click.option(
    "--to",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the backup file into (a USB stick); default: data/backups.",
)
@pass_context
def backup(ctx: Context, folder: Path | None) -> None:
    """Write one file with everything of this laptop, unreadable without the passphrase.

    A consistent copy of the encrypted store (taken while the tool may be running), the
    wrapped key, the settings and the slip keys; checked after writing. Exit 0 written.
    """
    target = folder or ctx.paths.data_dir / "backups"
    safe_output(ctx, target / "x", option="--to")
    now = dt.datetime.now().astimezone()
    with ctx.store() as store:
        try:
            info = write_backup(
                store.db.conn, ctx.paths, ctx.data_key, target,
                officer_id=ctx.settings.officer_id, now=now,
            )  # fmt: skip
        except BackupError as exc:
            fail(exc.code, code=EXIT_BAD_INPUT, **exc.params)
        except OSError as exc:
            fail("output.write_failed", code=EXIT_BAD_INPUT, path=str(target),
                 reason=common.os_reason(exc))  # fmt: skip
        store.set_meta(LAST_BACKUP_META, now.astimezone(dt.UTC).isoformat(timespec="seconds"))
    click.echo(ctx.t("backup.written", path=str(info.path), records=info.records))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Replace this laptop's data; the old files are kept aside, never deleted.",
)
@pass_context
def restore(ctx: Context, file: Path, replace: bool) -> None:
    """Bring a backup back onto this laptop (a new or reinstalled one), after its passphrase.

    Never over existing data without --replace. Exit 0 restored; 2 the file is not a good
    backup or data exists; 5 wrong passphrase.
    """
    try:
        read_info(file)
    except BackupError as exc:
        fail(exc.code, code=EXIT_BAD_INPUT, **exc.params)
    if has_data(ctx.paths) and not replace:
        fail("restore.data_exists", code=EXIT_BAD_INPUT, path=str(ctx.paths.db_path))
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        if not common.can_prompt():
            fail("vault.no_passphrase", code=common.EXIT_LOCKED, env=PASSPHRASE_ENV)
        passphrase = str(click.prompt(ctx.t("restore.prompt"), hide_input=True, err=True))
    try:
        done = restore_backup(ctx.paths, file, passphrase, replace=replace)
    except BackupError as exc:
        fail(exc.code, code=EXIT_BAD_INPUT, **exc.params)
    except DataExists:
        fail("restore.data_exists", code=EXIT_BAD_INPUT, path=str(ctx.paths.db_path))
    except WrongPassphrase as exc:
        fail("vault.wrong_passphrase", code=EXIT_WRONG_PASSPHRASE, failures=exc.failures)
    except VaultDamaged:
        fail("backup.damaged", code=EXIT_KEY_PROBLEM)
    if done.aside is not None:
        click.echo(ctx.t("restore.kept_aside", folder=str(done.aside)), err=True)
    click.echo(ctx.t("restore.done", records=done.records, path=str(ctx.paths.db_path)))
