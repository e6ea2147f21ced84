"""`outreach conflicts`: sync conflicts listed and resolved without the TUI (as F10 does)."""

from __future__ import annotations

import json

import click

from outreach_tui.commands.common import Context, fail, pass_context


@click.group("conflicts", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the conflicts as JSON.")
@click.pass_context
def conflicts(click_ctx: click.Context, as_json: bool) -> None:
    """List the records the central API answered `conflict` (exit 1 when there are any)."""
    if click_ctx.invoked_subcommand is not None:
        return
    ctx = click_ctx.find_object(Context)
    assert ctx is not None
    with ctx.store() as store:
        rows = [row for row in store.set_aside() if row["sync_state"] == "conflict"]
        server_versions = {row["id"]: store.conflict_server_version(row["id"]) for row in rows}
    if as_json:
        out = [
            {
                "id": row["id"],
                "version": row["version"],
                "server_version": server_versions[row["id"]],
                "reasons": [r.get("code") for r in row["reasons"]],
            }
            for row in rows
        ]
        click.echo(json.dumps(out, indent=2))
    elif not rows:
        click.echo(ctx.t("conflicts.none"))
    else:
        for row in rows:
            click.echo(
                ctx.t(
                    "conflicts.line",
                    id=row["id"],
                    version=row["version"],
                    server=server_versions[row["id"]] or "-",
                )
            )
    raise SystemExit(1 if rows else 0)


@conflicts.command("resolve")
@click.argument("record_id")
@click.option(
    "--keep",
    type=click.Choice(["mine"]),
    required=True,
    help="mine: send this laptop's content again, based on the server's version.",
)
@pass_context
def resolve(ctx: Context, record_id: str, keep: str) -> None:
    """Resolve one conflict as F10 on the sync screen does; the next sync sends it."""
    from outreach_tui.store.conflicts import ConflictError

    with ctx.store() as store:
        try:
            version = store.resolve_conflict(
                record_id.strip().lower(), keep="mine", actor=ctx.actor
            )
        except ConflictError as exc:
            fail(exc.code, code=1)
    click.echo(ctx.t("conflicts.resolved", id=record_id, version=version))
