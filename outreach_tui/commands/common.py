"""What every command shares: paths, settings, language, the store, clean failures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NoReturn

import click

from outreach_tui.config import (
    Paths,
    Settings,
    SettingsError,
    language,
    load_settings,
    resolve_paths,
)
from outreach_tui.domain.i18n import translate


@dataclass
class Context:
    """Built once per invocation from the environment; commands read what they need."""

    paths: Paths

    @cached_property
    def settings(self) -> Settings:
        """The officer's settings; a broken settings file stops the command with a clear message."""
        try:
            return load_settings(self.paths)
        except SettingsError as exc:
            fail("config.invalid", code=2, path=str(exc.path), field=exc.field, rule=exc.rule)

    @property
    def lang(self) -> str:
        """Language of messages; falls back to Indonesian when the settings are broken."""
        try:
            return language(load_settings(self.paths))
        except SettingsError:
            return language(None)

    def t(self, key: str, **params: Any) -> str:
        """Translate a message into the officer's language."""
        return translate(key, self.lang, **params)

    @contextmanager
    def store(self) -> Iterator[Any]:
        """Open the local store for the length of a command."""
        from outreach_tui.store import open_store

        self.paths.ensure()
        store = open_store(self.paths.db_path)
        try:
            yield store
        finally:
            store.close()

    @property
    def actor(self) -> str:
        """Who the audit log names for changes made by this command."""
        return self.settings.officer_id or "unknown"


def make_context() -> Context:
    """A context for the current environment (OUTREACH_HOME honoured)."""
    return Context(paths=resolve_paths())


pass_context = click.make_pass_decorator(Context, ensure=False)


def fail(key: str, *, code: int = 1, **params: Any) -> NoReturn:
    """Print a translated error on stderr and exit with `code` (no traceback)."""
    lang = language(None)
    try:
        ctx = click.get_current_context(silent=True)
        obj = ctx.find_object(Context) if ctx else None
        if obj is not None:
            lang = obj.lang
    except RuntimeError:  # pragma: no cover - outside click
        pass
    click.echo(translate("error.prefix", lang) + " " + translate(key, lang, **params), err=True)
    raise SystemExit(code)
