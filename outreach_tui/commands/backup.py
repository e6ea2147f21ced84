"""`outreach backup` and `outreach restore`: the laptop's work in one file, and back again."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
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
from outreach_tui.config import Paths, load_settings, save_settings
from outreach_tui.store.backup import (
    BackupError,
    install_restored,
    read_info,
    unpack_backup,
    write_backup,
)
from outreach_tui.vault import Vault, VaultDamaged, WrongPassphrase

LAST_BACKUP_META = "backup.last_at"


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
    paths = ctx.paths
    try:
        read_info(file)
    except BackupError as exc:
        fail(exc.code, code=EXIT_BAD_INPUT, **exc.params)
    has_data = paths.db_path.exists() or Vault(paths).exists()
    if has_data and not replace:
        fail("restore.data_exists", code=EXIT_BAD_INPUT, path=str(paths.db_path))
    paths.ensure()
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=paths.data_dir) as work_dir:
        work = Path(work_dir)
        try:
            members = unpack_backup(file, work)
        except BackupError as exc:
            fail(exc.code, code=EXIT_BAD_INPUT, **exc.params)
        key = _unwrap(ctx, work, members)
        if has_data:
            aside = common_move_aside(paths)
            click.echo(ctx.t("restore.kept_aside", folder=str(aside)), err=True)
        try:
            records = install_restored(members, paths, key)
        except BackupError as exc:
            fail(exc.code, code=EXIT_BAD_INPUT, **exc.params)
    _point_settings_here(paths)
    click.echo(ctx.t("restore.done", records=records, path=str(paths.db_path)))


def common_move_aside(paths: Paths) -> Path:
    """The laptop's current files, moved into a dated folder (restore --replace)."""
    from outreach_tui.safefile import move_aside

    return move_aside(paths, "before-restore", with_config=True)


def _unwrap(ctx: Context, work: Path, members: dict[str, Path]) -> bytes:
    """The backup's data key, from its wrapped key file and the passphrase (env or asked)."""
    keys = work / "keys"
    keys.mkdir(mode=0o700)
    os.replace(members["keys/datakey.json"], keys / "datakey.json")
    members["keys/datakey.json"] = keys / "datakey.json"
    vault = Vault(Paths(work, work, keys, work))
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        if not common.can_prompt():
            fail("vault.no_passphrase", code=common.EXIT_LOCKED, env=PASSPHRASE_ENV)
        passphrase = str(click.prompt(ctx.t("restore.prompt"), hide_input=True, err=True))
    try:
        return vault.unlock(passphrase)
    except WrongPassphrase as exc:
        fail("vault.wrong_passphrase", code=EXIT_WRONG_PASSPHRASE, failures=exc.failures)
    except VaultDamaged:
        fail("backup.damaged", code=EXIT_KEY_PROBLEM)


def _point_settings_here(paths: Paths) -> None:
    """A restored CA file lives in this laptop's config folder: the settings say so."""
    try:
        settings = load_settings(paths)
    except Exception:  # a broken restored settings file is reported by the next command
        return
    ca = paths.config_dir / "server-ca.pem"
    if settings.ca_file and ca.is_file() and Path(settings.ca_file) != ca:
        save_settings(paths, settings.model_copy(update={"ca_file": str(ca)}))
