"""Asked on Ctrl+Q when changes are not sent yet: the laptop may be the only copy of them."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from outreach_tui.screens.base import OutreachModal


class QuitDialog(OutreachModal):
    """Dismisses with "quit", "sync" (sync first, stay) or "stay"."""

    CSS_PATH = "record_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "stay", "key.back")]

    def __init__(self, unsent: int, online: bool | None) -> None:
        super().__init__()
        self.unsent = unsent
        self.online = online

    def compose(self) -> ComposeResult:
        """The question; syncing first is offered when the central API answers."""
        with Vertical(classes="dialog", id="quit-dialog"):
            yield Static(self.t("quit.title", unsent=self.unsent), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                if self.online:
                    yield Button(self.t("quit.sync"), id="quit-sync", variant="primary")
                yield Button(self.t("quit.stay"), id="quit-stay")
                yield Button(self.t("quit.anyway"), id="quit-anyway", variant="error")

    def on_mount(self) -> None:
        """A stray Enter must not quit: focus syncing (or staying)."""
        first = "#quit-sync" if self.online else "#quit-stay"
        self.query_one(first, Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Quit, sync first, or stay."""
        event.stop()
        answer = {"quit-anyway": "quit", "quit-sync": "sync"}.get(event.button.id or "", "stay")
        self.dismiss(answer)

    def action_stay(self) -> None:
        """Back to work."""
        self.dismiss("stay")
