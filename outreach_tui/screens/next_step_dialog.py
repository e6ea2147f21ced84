"""Asked after a new person is saved: what the officer usually does next at that door.

An enrolled person gets the slip first (shown or printed before the officer leaves); anyone else
the next member of the same household, whose address the form keeps. Escape goes back to where
the form was opened from.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from outreach_tui import messages
from outreach_tui.screens.base import OutreachModal

SLIP, NEXT, OPEN, DONE = "slip", "next", "open", "done"


class NextStepDialog(OutreachModal):
    """Dismisses with "slip", "next", "open" or "done"."""

    CSS_PATH = "record_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "done", "key.back"),
        Binding("ctrl+t", "pick('slip')", "key.detail_slip", show=False),
        Binding("ctrl+n", "pick('next')", "key.form_save_next", show=False),
    ]

    def __init__(self, name: str, enrolled: bool) -> None:
        super().__init__()
        self.person = name
        self.enrolled = enrolled

    def compose(self) -> ComposeResult:
        """What was saved, then the next steps, the likely one first and focused."""
        title = "next_step.title_enrolled" if self.enrolled else "next_step.title"
        with Vertical(classes="dialog", id="next-step-dialog"):
            yield Static(self.t(title, name=self.person), classes="dialog-title", markup=False)
            with Horizontal(classes="dialog-buttons"):
                if self.enrolled:
                    yield Button(self.t("next_step.slip"), id="step-slip", variant="primary")
                yield Button(
                    self.t("next_step.next"),
                    id="step-next",
                    variant="default" if self.enrolled else "primary",
                )
                yield Button(self.t("next_step.open"), id="step-open")
                yield Button(self.t("next_step.done"), id="step-done")

    def on_mount(self) -> None:
        """Enter takes the likely step."""
        self.query_one("#step-slip" if self.enrolled else "#step-next", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """One of the steps."""
        event.stop()
        self.dismiss((event.button.id or "step-done").removeprefix("step-"))

    def action_pick(self, step: str) -> None:
        """A step by its key (Ctrl+T slip, Ctrl+N next person)."""
        if step == SLIP and not self.enrolled:
            return
        self.dismiss(step)

    def action_done(self) -> None:
        """Back to where the form was opened from."""
        self.dismiss(DONE)


def offer_next_step(
    app: Any, record_id: str, record: dict[str, Any], household: dict[str, Any]
) -> None:
    """After a new person is saved: the slip, the next household member, the record, or done."""

    def chosen(step: str | None) -> None:
        if step == SLIP:
            from outreach_tui.screens.slip_preview import SlipPreviewScreen

            app.push_screen(SlipPreviewScreen(record_id))
        elif step == NEXT:
            app.post_message(messages.NewRecord(household))
        elif step == OPEN:
            app.post_message(messages.OpenRecord(record_id))

    enrolled = record.get("status") == "enrolled"
    app.push_screen(NextStepDialog(str(record["full_name"]), enrolled), chosen)
