"""The unlock screen: the passphrase opens the store; nothing personal shows before it."""

from __future__ import annotations

import math
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from outreach_tui.screens.base import OutreachScreen
from outreach_tui.store import WrongKeyError
from outreach_tui.store.connection import Error as StoreError
from outreach_tui.store.errors import MESSAGES, classify_sqlite_error
from outreach_tui.vault import (
    MigrationError,
    StoreMissing,
    VaultDamaged,
    VaultMissing,
    WrongPassphrase,
)
from outreach_tui.widgets.footer import KeyFooter


class UnlockScreen(OutreachScreen):
    """Asks for the passphrase; dismisses with True once the store is open."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "clear", "key.clear", show=False)]

    def __init__(self, *, locked: bool = False, idle: bool = False) -> None:
        super().__init__()
        self.locked = locked
        self.idle = idle  # locked by the idle timer, not by Ctrl+L

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="unlock-box", classes="dialog"):
            title = "unlock.title"
            if self.locked:
                title = "unlock.locked_title" if self.idle else "unlock.locked_by_officer"
            # A Static wraps: the whole sentence shows in a narrow window.
            yield Static(self.t(title), classes="dialog-title", id="unlock-title")
            yield Static(
                self.t("unlock.officer", officer=self.session.settings.officer_name or "-"),
                id="unlock-officer",
            )
            yield Input(
                password=True, placeholder=self.t("vault.prompt"), id="passphrase", max_length=1024
            )
            yield Static("", id="unlock-message", classes="message")
            if self.session.unlock_hint:
                yield Static(self.session.unlock_hint, id="unlock-hint", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start with the cursor in the passphrase box."""
        self.query_one("#passphrase", Input).focus()

    def action_clear(self) -> None:
        """Empty the passphrase box."""
        self.query_one("#passphrase", Input).value = ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Try the passphrase in a thread (Argon2id and the failure delay take time)."""
        event.stop()
        passphrase = event.value
        if not passphrase:
            return
        event.input.disabled = True
        wait = self.session.vault.pending_delay()
        key = "unlock.waiting" if wait > 0 else "unlock.opening"
        self._say(self.t(key, seconds=str(math.ceil(wait))))
        self._unlock(passphrase)

    @work(thread=True, exclusive=True, group="unlock")
    def _unlock(self, passphrase: str) -> None:
        try:
            data_key = self.session.derive_key(passphrase)
        except WrongPassphrase as exc:
            self.app.call_from_thread(self._failed, "vault.wrong_passphrase", failures=exc.failures)
            return
        except (VaultDamaged, VaultMissing):
            path = str(self.session.vault.key_file)
            self.app.call_from_thread(self._failed, "vault.damaged", path=path)
            return
        except OSError as exc:  # the unlock counter on a full or read-only disk
            kind = classify_sqlite_error(exc)
            if kind not in MESSAGES:
                raise
            folder = str(self.session.vault.key_file.parent)
            self.app.call_from_thread(self._failed, MESSAGES[kind][0], path=folder)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._open, data_key)

    def _open(self, data_key: bytes) -> None:
        """Open the store in the UI thread (its connection belongs to that thread)."""
        try:
            self.session.open(data_key)
        except WrongKeyError:
            self._failed("vault.key_mismatch", path=str(self.session.paths.db_path))
            return
        except MigrationError:
            self._failed("vault.migration_failed", path=str(self.session.paths.db_path))
            return
        except StoreMissing as exc:
            self._failed(f"store.{exc.kind}", path=str(exc.path))
            return
        except (StoreError, OSError) as exc:
            # Same keys as the CLI: a full disk or a damaged page is never "wrong key".
            kind = classify_sqlite_error(exc)
            if kind not in MESSAGES:
                raise
            self._failed(MESSAGES[kind][0], path=str(self.session.paths.db_path))
            return
        self.dismiss(True)

    def _failed(self, key: str, **params: Any) -> None:
        box = self.query_one("#passphrase", Input)
        box.disabled = False
        box.value = ""
        box.focus()
        self._say(self.t(key, **params), error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#unlock-message", Static)
        message.update(text)
        message.set_class(error, "error")
