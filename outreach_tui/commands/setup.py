"""`outreach locate` and `outreach setup`: where things live, and who this officer is."""

from __future__ import annotations

import json

import click
from pydantic import ValidationError

from outreach_tui.commands.common import Context, fail, pass_context
from outreach_tui.config import Settings, save_settings


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
@click.option("--officer-id", required=True, help="The officer's or Perisai agent's id.")
@click.option("--officer-name", required=True, help="The officer's name, printed on slips.")
@click.option("--branch", required=True, help="Kantor cabang code the officer works for.")
@click.option(
    "--server", "server_url", default=None, help="Central API URL (http://… or https://…)."
)
@click.option("--token", "device_token", default=None, help="Device token issued by the branch.")
@click.option(
    "--language", type=click.Choice(["id", "en"]), default=None, help="Language of the tool."
)
@pass_context
def setup(
    ctx: Context,
    officer_id: str,
    officer_name: str,
    branch: str,
    server_url: str | None,
    device_token: str | None,
    language: str | None,
) -> None:
    """Save this officer's settings without the TUI (first run, scripts)."""
    current = ctx.settings
    values = current.model_dump()
    values.update(
        officer_id=officer_id.strip(),
        officer_name=" ".join(officer_name.split()),
        branch=branch.strip(),
    )
    if server_url is not None:
        values["server_url"] = server_url
    if device_token is not None:
        values["device_token"] = device_token.strip()
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
    path = save_settings(ctx.paths, settings)
    ctx.__dict__.pop("settings", None)
    click.echo(ctx.t("setup.saved", path=str(path)))
