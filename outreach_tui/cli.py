"""The `outreach` command: a click group whose default (no sub-command) is the TUI."""

from __future__ import annotations

import click

from outreach_tui import __version__
from outreach_tui.commands import (
    backup,
    conflicts,
    data,
    demo,
    privacy,
    security,
    server,
    setup,
    sync_cmd,
)
from outreach_tui.commands import slips as slips_cmd
from outreach_tui.commands.audit import audit as audit_group
from outreach_tui.commands.common import Context, make_context
from outreach_tui.commands.doctor import doctor as doctor_command
from outreach_tui.logs import setup_logging


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="outreach")
@click.pass_context
def main(ctx: click.Context) -> None:
    """outreach: record, enroll and follow up BPU participants, offline first.

    Without a command it opens the terminal UI.
    """
    ctx.obj = make_context()
    setup_logging(ctx.obj.paths, command=ctx.invoked_subcommand)
    if ctx.invoked_subcommand is None:
        run_tui(ctx.obj)


def run_tui(context: Context) -> None:
    """Open the terminal UI on this laptop's settings (first run: the setup screen)."""
    from outreach_tui.app import make_app
    from outreach_tui.session import Session

    make_app(Session(paths=context.paths, settings=context.settings)).run()


main.add_command(setup.locate)
main.add_command(doctor_command)
main.add_command(setup.setup)
main.add_command(data.import_command)
main.add_command(data.export_command)
main.add_command(data.search_command)
main.add_command(sync_cmd.sync_command)
main.add_command(server.server)
main.add_command(security.passphrase_command)
main.add_command(slips_cmd.slip)
main.add_command(slips_cmd.slips)
main.add_command(slips_cmd.slip_verify)
main.add_command(slips_cmd.slip_key)
main.add_command(audit_group)
main.add_command(privacy.purge_command)
main.add_command(privacy.forget_command)
main.add_command(demo.demo)
main.add_command(backup.backup)
main.add_command(backup.restore)
main.add_command(conflicts.conflicts)


if __name__ == "__main__":  # pragma: no cover
    main()
