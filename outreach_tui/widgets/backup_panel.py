"""The settings screen's backup box: a folder to back up into, a file to restore from.

Attributes down, messages up: the panel only collects what the officer typed and posts
`BackupPanel.Backup` or `BackupPanel.Restore`; the screen does the work in a thread and calls
`say` with the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static


class BackupPanel(Vertical):
    """Backup now into a folder; restore a backup file (its passphrase asked here)."""

    DEFAULT_CSS = """
    BackupPanel { height: auto; }
    BackupPanel Button { margin-top: 1; }
    """

    @dataclass
    class Backup(Message):
        """Make a backup into `folder`."""

        folder: str

    @dataclass
    class Restore(Message):
        """Restore `file` (with the backup's `passphrase`), replacing this laptop's data."""

        file: str
        passphrase: str

    def __init__(self, t: Callable[..., str], folder: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.t = t
        self.folder = folder

    def compose(self) -> ComposeResult:
        t = self.t
        yield Label(t("settings.backup_title"), classes="dialog-title")
        yield Label(t("settings.backup_folder"), classes="field-label")
        yield Input(self.folder, id="backup-folder")
        yield Button(t("settings.backup_button"), id="backup-make")
        yield Label(t("settings.restore_file"), classes="field-label")
        yield Input("", id="restore-file")
        yield Label(t("settings.restore_passphrase"), classes="field-label")
        yield Input("", id="restore-passphrase", password=True, max_length=1024)
        yield Button(t("settings.restore_button"), id="restore-run", variant="warning")
        yield Static("", id="backup-message", classes="message")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Turn a press into the panel's message (the screen does the work)."""
        event.stop()
        if event.button.id == "backup-make":
            self.post_message(self.Backup(self.query_one("#backup-folder", Input).value.strip()))
        elif event.button.id == "restore-run":
            file = self.query_one("#restore-file", Input).value.strip()
            passphrase = self.query_one("#restore-passphrase", Input).value
            self.post_message(self.Restore(file, passphrase))

    def say(self, text: str, *, error: bool = False) -> None:
        """Show the outcome under the buttons."""
        message = self.query_one("#backup-message", Static)
        message.update(text)
        message.set_class(error, "error")
