"""Asked before a person-level export: the file leaves the encrypted store."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from outreach_tui.screens.base import OutreachModal


class PeopleExportDialog(OutreachModal):
    """Dismisses with True to write names, NIKs and phones to a plain file (0600)."""

    CSS_PATH = "record_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "key.back")]

    def compose(self) -> ComposeResult:
        """The warning, and two answers (not exporting is the default)."""
        with Vertical(classes="dialog", id="people-export-dialog"):
            yield Static(self.t("reports.people.warning"), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("reports.people.no"), id="people-no", variant="primary")
                yield Button(self.t("reports.people.yes"), id="people-yes", variant="warning")

    def on_mount(self) -> None:
        """A stray Enter must not write people's data out: focus "no"."""
        self.query_one("#people-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Export or not."""
        event.stop()
        self.dismiss(event.button.id == "people-yes")

    def action_cancel(self) -> None:
        """Do not export."""
        self.dismiss(False)
