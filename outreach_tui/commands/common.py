"""What every command shares: paths, settings, language, the store, clean failures."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn

import click

from outreach_tui.config import (
    Paths,
    Settings,
    SettingsError,
    language,
    load_settings,
    resolve_paths,
    save_settings,
)
from outreach_tui.domain.i18n import translate
from outreach_tui.safefile import (
    OutputRefused,
    atomic_output,
    check_output,
    database_family,
    laptop_protected,
)
from outreach_tui.session import TOKEN_META
from outreach_tui.vault import (
    MIN_PASSPHRASE_LENGTH,
    MigrationError,
    StoreMissing,
    Vault,
    VaultDamaged,
    VaultExists,
    WrongPassphrase,
    check_passphrase,
    is_plain_sqlite,
    open_unlocked_store,
)
from outreach_tui.vault import PassphraseTooShort as _TooShort

PASSPHRASE_ENV = "OUTREACH_PASSPHRASE"
NEW_PASSPHRASE_ENV = "OUTREACH_NEW_PASSPHRASE"
# Exit codes of every command that touches data (docs/security.md); 1-4 belong to the commands.
EXIT_BAD_INPUT = 2  # e.g. a new passphrase shorter than the rule
EXIT_WRONG_PASSPHRASE = 5
EXIT_LOCKED = 6  # no passphrase available (no terminal, no env) or setup never ran
EXIT_KEY_PROBLEM = 7  # key file missing or damaged, or it does not open the data file
EXIT_STORE_MISSING = 11  # the store is gone or empty while its key exists (never recreated)
PROMPT_ATTEMPTS = 3


def make_vault(paths: Paths) -> Vault:
    """The vault for ``paths``; a seam where tests put a fake clock and sleeper."""
    return Vault(paths)


def can_prompt() -> bool:
    """Whether a person can be asked for a passphrase (stdin is a terminal)."""
    stdin = sys.stdin
    return stdin is not None and stdin.isatty()


@dataclass
class Context:
    """Built once per invocation from the environment; commands read what they need."""

    paths: Paths
    new_key: bool = False  # the data key was made by this command: the store may be created

    @cached_property
    def settings(self) -> Settings:
        """The officer's settings; a broken settings file stops the command with a clear message."""
        try:
            return load_settings(self.paths)
        except SettingsError as exc:
            fail("config.invalid", code=2, path=str(exc.path), field=exc.field, rule=exc.rule)

    @cached_property
    def lang(self) -> str:
        """Language of messages, read once (Indonesian when the settings are broken)."""
        try:
            return language(load_settings(self.paths))
        except SettingsError:
            return language(None)

    def t(self, key: str, **params: Any) -> str:
        """Translate a message into the officer's language."""
        return translate(key, self.lang, **params)

    @cached_property
    def data_key(self) -> bytes:
        """The unlocked data key, asked for once per command (env or hidden prompt)."""
        vault = make_vault(self.paths)
        if not vault.exists():
            return self._first_key(vault)
        from_env = os.environ.get(PASSPHRASE_ENV)
        attempts = 1 if from_env or not can_prompt() else PROMPT_ATTEMPTS
        for attempt in range(1, attempts + 1):
            passphrase = from_env or self._ask_passphrase()
            try:
                return vault.unlock(passphrase, on_wait=self._say_wait)
            except WrongPassphrase as exc:
                if attempt == attempts:
                    fail(
                        "vault.wrong_passphrase",
                        code=EXIT_WRONG_PASSPHRASE,
                        failures=exc.failures,
                    )
                click.echo(self.t("vault.try_again"), err=True)
            except VaultDamaged:
                fail("vault.damaged", code=EXIT_KEY_PROBLEM, path=str(vault.key_file))
            except OSError as exc:  # e.g. the unlock counter on a full or read-only disk
                self._storage_failure(exc, path=vault.key_file.parent)
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _say_wait(self, seconds: float) -> None:
        """Tell the officer the real wait, rounded up (never "0 seconds" before a real wait)."""
        click.echo(self.t("vault.waiting", seconds=str(math.ceil(seconds))), err=True)

    def _first_key(self, vault: Vault) -> bytes:
        """No data key yet: scripts with OUTREACH_PASSPHRASE create it, others run setup first."""
        db = self.paths.db_path
        if db.exists() and db.stat().st_size > 0 and not is_plain_sqlite(db):
            # An encrypted store without its key file: a new key would never open it.
            fail("vault.key_missing", code=EXIT_KEY_PROBLEM, path=str(vault.key_file))
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if not passphrase:
            fail("vault.not_set_up", code=EXIT_LOCKED)
        self.new_key = True
        return create_vault(vault, passphrase)

    def _ask_passphrase(self) -> str:
        """A hidden prompt, or a clear stop when nobody can answer one."""
        if not can_prompt():
            fail("vault.no_passphrase", code=EXIT_LOCKED, env=PASSPHRASE_ENV)
        return str(click.prompt(self.t("vault.prompt"), hide_input=True, err=True))

    @contextmanager
    def store(self) -> Iterator[Any]:
        """Open the (encrypted) local store for the length of a command."""
        from outreach_tui.store import WrongKeyError
        from outreach_tui.store.connection import Error as StoreError

        key = self.data_key
        try:
            store = open_unlocked_store(self.paths, key, create=self.new_key)
        except StoreMissing as exc:
            fail(f"store.{exc.kind}", code=EXIT_STORE_MISSING, path=str(exc.path))
        except WrongKeyError:
            fail("vault.key_mismatch", code=EXIT_KEY_PROBLEM, path=str(self.paths.db_path))
        except MigrationError as exc:
            self._storage_failure(exc.__cause__ or exc)
            fail("vault.migration_failed", code=EXIT_KEY_PROBLEM, path=str(self.paths.db_path))
        except (StoreError, OSError) as exc:
            self._storage_failure(exc)
            raise
        try:
            yield store
        except StoreError as exc:  # an OSError here may be about the command's own files
            self._storage_failure(exc)
            raise
        finally:
            # Already failing or already reported: closing must not hide the cause.
            with suppress(StoreError, OSError):
                store.close()

    def _storage_failure(self, exc: BaseException, path: Path | None = None) -> None:
        """Stop with the truthful message for a full disk, a read-only folder, damage, ..."""
        from outreach_tui.store.errors import MESSAGES, classify_sqlite_error

        kind = classify_sqlite_error(exc)
        if kind in MESSAGES and kind != "wrong_key":
            key, code = MESSAGES[kind]
            fail(key, code=code, path=str(path or self.paths.db_path))

    @property
    def actor(self) -> str:
        """Who the audit log names for changes made by this command."""
        return self.settings.officer_id or "unknown"


def create_vault(vault: Vault, passphrase: str) -> bytes:
    """Create the data key under ``passphrase``, or stop with the passphrase rule."""
    try:
        check_passphrase(passphrase)
        return vault.create(passphrase)
    except _TooShort:
        fail("vault.too_short", code=EXIT_BAD_INPUT, minimum=MIN_PASSPHRASE_LENGTH)
    except VaultExists:  # another process made it a moment ago: use theirs
        try:
            return vault.unlock(passphrase)
        except WrongPassphrase as exc:
            fail("vault.wrong_passphrase", code=EXIT_WRONG_PASSPHRASE, failures=exc.failures)


def ask_new_passphrase(ctx: Context) -> str:
    """Ask for a new passphrase twice, hidden, until it follows the rules."""

    def rule(value: str) -> str:
        try:
            check_passphrase(value)
        except _TooShort:
            raise click.BadParameter(
                ctx.t("vault.too_short", minimum=MIN_PASSPHRASE_LENGTH)
            ) from None
        return value

    return str(
        click.prompt(
            ctx.t("vault.prompt_new"),
            hide_input=True,
            confirmation_prompt=ctx.t("vault.prompt_repeat"),
            value_proc=rule,
            err=True,
        )
    )


def device_token(ctx: Context) -> str:
    """The device token, kept in the encrypted store; an old plaintext one is moved there."""
    legacy = ctx.settings.device_token
    with ctx.store() as store:
        token = store.get_meta(TOKEN_META) or ""
        if legacy:
            if not token:
                token = legacy
                store.set_meta(TOKEN_META, token)
            save_settings(ctx.paths, ctx.settings.model_copy(update={"device_token": ""}))
            ctx.__dict__.pop("settings", None)
    return token


def make_context() -> Context:
    """A context for the current environment (OUTREACH_HOME honoured)."""
    return Context(paths=resolve_paths())


pass_context = click.make_pass_decorator(Context, ensure=False)


def current_language() -> str:
    """The language of the running command (its context's, else the environment's)."""
    lang = language(None)
    try:
        ctx = click.get_current_context(silent=True)
        obj = ctx.find_object(Context) if ctx else None
        if obj is not None:
            lang = obj.lang
    except RuntimeError:  # pragma: no cover - outside click
        pass
    return lang


def fail(key: str, *, code: int = 1, **params: Any) -> NoReturn:
    """Print a translated error on stderr and exit with `code` (no traceback)."""
    lang = current_language()
    click.echo(translate("error.prefix", lang) + " " + translate(key, lang, **params), err=True)
    raise SystemExit(code)


def safe_output(
    ctx: Context, out: Path | None, *, option: str = "--out", databases: Iterable[Path] = ()
) -> Path | None:
    """`out` when writing there cannot destroy data (the store, keys, settings, `databases`).

    Checked before any work is done, so a refused path leaves everything untouched.
    """
    if out is None or str(out) == "-":
        return out
    protected = laptop_protected(ctx.paths)
    files = [*protected["files"], *(f for db in databases for f in database_family(db))]
    try:
        check_output(out, files=files, folders=protected["folders"])
    except OutputRefused as exc:
        fail(exc.code, code=EXIT_BAD_INPUT, option=option, path=str(out))
    return out


@contextmanager
def output_file(out: Path, *, text: bool = True, newline: str | None = None) -> Iterator[Any]:
    """An atomic, private (0600) output; a failed write names the file and keeps the old one."""
    try:
        with atomic_output(out, text=text, newline=newline) as handle:
            yield handle
    except OSError as exc:
        fail("output.write_failed", code=EXIT_BAD_INPUT, path=str(out), reason=os_reason(exc))


def os_reason(exc: OSError) -> str:
    """An OS error as a short reason in the officer's language (no paths)."""
    from outreach_tui.domain.i18n import os_reason as reason

    return reason(exc, current_language())
