"""What the TUI works with: paths, settings, the vault and, once unlocked, the store.

One `Session` per app run. Screens never keep a `Store` of their own: they ask
`session.store` when they need it, so locking (which closes the store and forgets the data
key) cannot leave a screen writing through a stale connection. Thread workers open their
own connection with `open_thread_store()` (a SQLite connection belongs to its thread).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from outreach_tui.config import Paths, Settings, language, load_settings, save_settings
from outreach_tui.domain.i18n import translate
from outreach_tui.store import Store
from outreach_tui.store.connection import limit_cache
from outreach_tui.vault import Vault, check_passphrase, open_unlocked_store

TOKEN_META = "secret.device_token"


def stored_device_token(store: Store, settings: Settings) -> str:
    """The device token: in the encrypted store, else (an old laptop) the legacy settings field."""
    return str(store.get_meta(TOKEN_META) or settings.device_token or "").strip()


class Locked(RuntimeError):
    """The store was asked for while the session is locked (no data key in memory)."""


@dataclass
class Session:
    """The officer's session: settings always, personal data only while unlocked."""

    paths: Paths
    settings: Settings
    vault_factory: Callable[[Paths], Vault] = Vault
    today: Callable[[], date] = date.today
    unlock_hint: str = ""  # shown on the unlock screen (the demo prints its passphrase there)
    _key: bytes | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)
    _new_key: bool = field(default=False, repr=False)  # made by this session: may create a store

    @classmethod
    def load(cls, paths: Paths, **kwargs: Any) -> Session:
        """A locked session for the settings found under ``paths`` (defaults when none)."""
        return cls(paths=paths, settings=load_settings(paths), **kwargs)

    # -- language ---------------------------------------------------------------------------
    @property
    def lang(self) -> str:
        """The language of every word on screen (OUTREACH_LANG, then the settings)."""
        return language(self.settings)

    def t(self, key: str, **params: Any) -> str:
        """Translate ``key`` into the officer's language."""
        return translate(key, self.lang, **params)

    # -- settings ---------------------------------------------------------------------------
    def update_settings(self, **changes: Any) -> Settings:
        """Validate and save changed settings (raises pydantic's ValidationError on bad input)."""
        values = self.settings.model_dump()
        values.update(changes)
        settings = Settings.model_validate(values)
        save_settings(self.paths, settings)
        self.settings = settings
        return settings

    # -- vault and store --------------------------------------------------------------------
    @property
    def vault(self) -> Vault:
        """The vault holding the wrapped data key on this laptop."""
        return self.vault_factory(self.paths)

    @property
    def needs_setup(self) -> bool:
        """True until the first run gave an officer, a branch and a passphrase."""
        return not (self.settings.is_set_up and self.vault.exists())

    @property
    def is_unlocked(self) -> bool:
        """Whether personal data can be read right now."""
        return self._store is not None

    @property
    def store(self) -> Store:
        """The open store; raises `Locked` while locked."""
        if self._store is None:
            raise Locked("the session is locked")
        return self._store

    @property
    def data_key(self) -> bytes:
        """The unlocked data key (for secrets such as the slip signing key)."""
        if self._key is None:
            raise Locked("the session is locked")
        return self._key

    def derive_key(self, passphrase: str) -> bytes:
        """Unwrap the data key (slow on purpose: run it in a thread worker)."""
        return self.vault.unlock(passphrase)

    def create_key(self, passphrase: str) -> bytes:
        """First run: a new data key wrapped under ``passphrase`` (checks the length rule)."""
        check_passphrase(passphrase)
        key = self.vault.create(passphrase)
        self._new_key = True
        return key

    def open(self, data_key: bytes) -> Store:
        """Open the store with an unwrapped key (in the thread that will use it: the UI's)."""
        if self._store is not None:
            return self._store
        # Only right after the key was made may a store be created; later a missing or empty
        # store is an error to show (StoreMissing), never a new empty store.
        self._store = open_unlocked_store(self.paths, data_key, create=self._new_key)
        self._key = data_key
        return self._store

    def lock(self) -> None:
        """Close the store and forget the data key."""
        store, self._store, self._key = self._store, None, None
        if store is not None:
            store.close()

    def open_thread_store(self, *, short_lived: bool = False) -> Store:
        """A second connection for a thread worker; the caller closes it.

        ``short_lived``: one job then closed (a count, an export): a small page cache.
        """
        store = open_unlocked_store(self.paths, self.data_key, create=False)
        if short_lived:
            limit_cache(store.db.conn)
        return store

    # -- secrets kept in the store ----------------------------------------------------------
    def device_token(self) -> str:
        """The device token for the central API (kept in the encrypted store)."""
        return stored_device_token(self.store, self.settings)

    def set_device_token(self, token: str) -> None:
        """Keep a new device token in the encrypted store."""
        self.store.set_meta(TOKEN_META, token.strip())

    @property
    def officer_id(self) -> str:
        """Who the audit log names for changes made in the TUI."""
        return self.settings.officer_id or "unknown"
