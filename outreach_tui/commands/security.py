"""`outreach passphrase`: change the passphrase that unlocks this laptop's data."""

from __future__ import annotations

import os

import click

from outreach_tui.commands import common
from outreach_tui.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_KEY_PROBLEM,
    EXIT_LOCKED,
    EXIT_WRONG_PASSPHRASE,
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    Context,
    ask_new_passphrase,
    fail,
    pass_context,
)
from outreach_tui.vault import (
    MIN_PASSPHRASE_LENGTH,
    PassphraseTooShort,
    VaultDamaged,
    WrongPassphrase,
)


@click.command("passphrase")
@pass_context
def passphrase_command(ctx: Context) -> None:
    """Change the passphrase; the data key is re-wrapped, the data file is not rewritten.

    Asks for the old passphrase and the new one twice (hidden). Scripts set
    OUTREACH_PASSPHRASE (old) and OUTREACH_NEW_PASSPHRASE (new). Exit 2 when the new
    passphrase breaks the rules, 5 when the old one is wrong, 6 when none can be read.
    """
    vault = common.make_vault(ctx.paths)
    if not vault.exists():
        fail("vault.not_set_up", code=EXIT_LOCKED)
    old = os.environ.get(PASSPHRASE_ENV)
    new = os.environ.get(NEW_PASSPHRASE_ENV)
    if not old or not new:
        if not common.can_prompt():
            fail("vault.no_new_passphrase", code=EXIT_LOCKED, env=NEW_PASSPHRASE_ENV)
        old = old or str(click.prompt(ctx.t("vault.prompt_old"), hide_input=True, err=True))
        new = new or ask_new_passphrase(ctx)
    wait = vault.pending_delay()
    if wait > 0:
        click.echo(ctx.t("vault.waiting", seconds=f"{wait:.0f}"), err=True)
    try:
        vault.change_passphrase(old, new)
    except PassphraseTooShort:
        fail("vault.too_short", code=EXIT_BAD_INPUT, minimum=MIN_PASSPHRASE_LENGTH)
    except WrongPassphrase as exc:
        fail("vault.wrong_passphrase", code=EXIT_WRONG_PASSPHRASE, failures=exc.failures)
    except VaultDamaged:
        fail("vault.damaged", code=EXIT_KEY_PROBLEM, path=str(vault.key_file))
    click.echo(ctx.t("vault.changed"))
