"""The sync screen's dialog: ask before a conflict is resolved by sending this laptop's version."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from outreach_tui.screens.base import OutreachModal


class KeepMineDialog(OutreachModal):
    """Asks before this laptop's version goes out again over the server's newer one."""

    CSS_PATH = "sync_dialog.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "key.back")]

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def compose(self) -> ComposeResult:
        """The question, what it means, and two answers (not sending is the default)."""
        with Vertical(classes="dialog", id="keep-mine-dialog"):
            yield Label(
                self.t("sync_screen.keep_mine_title", name=self._name), classes="dialog-title"
            )
            yield Static(self.t("sync_screen.keep_mine_body"), classes="hint")
            with Horizontal(id="keep-mine-buttons"):
                yield Button(
                    self.t("sync_screen.keep_mine_no"), id="keep-mine-no", variant="primary"
                )
                yield Button(
                    self.t("sync_screen.keep_mine_yes"), id="keep-mine-yes", variant="warning"
                )

    def on_mount(self) -> None:
        """Focus "cancel": a stray Enter must not overwrite the server's version."""
        self.query_one("#keep-mine-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Send mine, or leave the conflict as it is."""
        event.stop()
        self.dismiss(event.button.id == "keep-mine-yes")

    def action_cancel(self) -> None:
        """Leave the conflict as it is."""
        self.dismiss(False)
