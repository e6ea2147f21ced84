"""`outreach locate` and `outreach setup`: where things live, and who this officer is."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
from pydantic import ValidationError

from outreach_tui.cafile import CaFileError, install_ca_file
from outreach_tui.commands import common
from outreach_tui.commands.common import (
    EXIT_LOCKED,
    PASSPHRASE_ENV,
    TOKEN_META,
    Context,
    ask_new_passphrase,
    create_vault,
    fail,
    pass_context,
)
from outreach_tui.config import Settings, save_settings
from outreach_tui.domain.server_url import ServerUrlError, check_server_url
from outreach_tui.safefile import move_aside
from outreach_tui.slips.keys import ensure_device_key, new_device_id


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the locations as JSON.")
@pass_context
def locate(ctx: Context, as_json: bool) -> None:
    """Show where data, settings, keys and logs live on this laptop."""
    places = {
        "data": str(ctx.paths.data_dir),
        "database": str(ctx.paths.db_path),
        "config": str(ctx.paths.config_file),
        "keys": str(ctx.paths.keys_dir),
        "logs": str(ctx.paths.log_dir),
    }
    if as_json:
        click.echo(json.dumps(places, indent=2))
        return
    for name, place in places.items():
        click.echo(f"{ctx.t('locate.' + name):<22} {place}")


@click.command()
@click.option(
    "--officer-id", default=None, help="The officer's or Perisai agent's id (with --code: given)."
)
@click.option("--officer-name", required=True, help="The officer's name, printed on slips.")
@click.option(
    "--branch", default=None, help="Kantor cabang code the officer works for (with --code: given)."
)
@click.option(
    "--server",
    "server_url",
    default=None,
    help="Central API URL: https://… (http:// only for a server on this laptop).",
)
@click.option(
    "--ca-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The branch's own CA certificate (PEM) to trust for the server; '' to remove it.",
)
@click.option("--token", "device_token", default=None, help="Device token issued by the branch.")
@click.option(
    "--code",
    "setup_code",
    default=None,
    help="One-time setup code from the branch console (ABCD-EFGH): fetches the device token, "
    "officer id and branch from --server.",
)
@click.option(
    "--language", type=click.Choice(["id", "en"]), default=None, help="Language of the tool."
)
@click.option(
    "--reset",
    is_flag=True,
    help="Start over on purpose: keep the old store, keys and token aside (never deleted).",
)
@click.option("--yes", is_flag=True, help="With --reset: do not ask for confirmation.")
@pass_context
def setup(
    ctx: Context,
    officer_id: str | None,
    officer_name: str,
    branch: str | None,
    server_url: str | None,
    ca_file: Path | None,
    device_token: str | None,
    setup_code: str | None,
    language: str | None,
    reset: bool,
    yes: bool,
) -> None:
    """Save this officer's settings without the TUI (first run, scripts)."""
    if reset:
        _reset(ctx, yes)
    current = ctx.settings
    values = current.model_dump()
    values.update(
        officer_id=(officer_id or "").strip(),
        officer_name=" ".join(officer_name.split()),
        branch=(branch or "").strip(),
    )
    if setup_code is not None and device_token is not None:
        fail("setup.code_and_token", code=2)
    if server_url is not None:
        try:
            values["server_url"] = check_server_url(server_url)
        except ServerUrlError as exc:
            fail(exc.code, code=2, field="--server")
    if ca_file is not None:
        values["ca_file"] = _installed_ca(ctx, ca_file)
    if setup_code is not None:
        device_token = _redeem_code(ctx, values, setup_code)
    # The token is a secret: it goes into the encrypted store, never into config.toml.
    token = device_token.strip() if device_token is not None else current.device_token
    values["device_token"] = ""
    if language is not None:
        values["language"] = language
    for field in ("officer_id", "officer_name", "branch"):
        if not values[field]:
            fail("setup.required", code=2, field=field)
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(
            "setup.invalid", code=2, field=".".join(str(p) for p in first["loc"]), rule=first["msg"]
        )
    created = _ensure_vault(ctx)
    if created or token:
        with ctx.store() as store:  # creates (or encrypts an old) store right away
            if token:
                store.set_meta(TOKEN_META, token)
    path = save_settings(ctx.paths, settings)
    ctx.__dict__.pop("settings", None)
    ctx.__dict__.pop("lang", None)
    # The slip signing key belongs to this device from its first setup on.
    ensure_device_key(ctx.paths, data_key=ctx.data_key, device_id=new_device_id())
    if created:
        click.echo(ctx.t("vault.created", path=str(common.make_vault(ctx.paths).key_file)))
    click.echo(ctx.t("setup.saved", path=str(path)))


def _redeem_code(ctx: Context, values: dict, code: str) -> str:
    """The device token for a setup code; the officer id and branch come with it (the code's
    win over different ones typed, and the officer is told)."""
    from sync.client import SyncConfig, SyncError, exchange_setup_code

    if not values.get("server_url"):
        fail("setup.code_needs_server", code=2)
    config = SyncConfig(values["server_url"], "", retries=1, ca_file=values.get("ca_file") or "")
    try:
        device = exchange_setup_code(config, code)
    except SyncError as exc:
        fail(exc.code, code=3 if exc.status is None else 2, detail=exc.detail)
    for field, given in (("officer_id", device.officer_id), ("branch", device.branch)):
        if values[field] and values[field] != given:
            click.echo(ctx.t("setup.code_overrides", field=field, given=given), err=True)
        values[field] = given
    click.echo(ctx.t("setup.code_used", officer_id=device.officer_id, branch=device.branch))
    return device.token


def _reset(ctx: Context, yes: bool) -> None:
    """Move the store, its key and the device keys into a dated folder (0700); delete nothing."""
    if not yes:
        if not common.can_prompt():
            fail("setup.reset.needs_yes", code=2)
        folder = str(ctx.paths.data_dir / "aside")
        if not click.confirm(ctx.t("setup.reset.confirm", folder=folder), err=True):
            fail("setup.reset.cancelled", code=1)
    folder_made = move_aside(ctx.paths, "reset")
    ctx.new_key = False
    ctx.__dict__.pop("data_key", None)
    click.echo(ctx.t("setup.reset.done", folder=str(folder_made)), err=True)


def _installed_ca(ctx: Context, source: Path) -> str:
    """The kept copy of the branch's CA file ('' removes it), or a clear stop."""
    if not str(source).strip() or str(source) == ".":
        return ""
    try:
        target = install_ca_file(ctx.paths, source)
    except CaFileError as exc:
        fail(exc.code, code=2, **exc.params)
    click.echo(ctx.t("ca_file.saved", path=str(target)))
    return str(target)


def _ensure_vault(ctx: Context) -> bool:
    """Create the data key on the first setup (passphrase from the env or asked twice)."""
    vault = common.make_vault(ctx.paths)
    if vault.exists():
        return False
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        if not common.can_prompt():
            fail("vault.no_passphrase", code=EXIT_LOCKED, env=PASSPHRASE_ENV)
        passphrase = ask_new_passphrase(ctx)
    ctx.__dict__["data_key"] = create_vault(vault, passphrase)
    ctx.new_key = True
    return True
