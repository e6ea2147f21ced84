"""Dialogs of the record detail for the door-to-door routine: log a visit, schedule a follow-up.

They check what was typed and close with it; the detail screen saves (attributes down,
messages up). Dates are read as the domain reads them (`DD/MM/YYYY` or `YYYY-MM-DD`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from outreach_tui.domain import codes, fields
from outreach_tui.domain.problems import Problem
from outreach_tui.domain.record import MAX_NOTES_LENGTH
from outreach_tui.screens.base import OutreachModal
from outreach_tui.widgets.footer import KeyFooter

DEFAULT_FOLLOW_UP_DAYS = 7


def day_text(day: dt.date) -> str:
    """A date the way officers write it: DD/MM/YYYY."""
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class VisitEntry:
    """A visit to log: its outcome code and the officer's note (may be empty)."""

    outcome: str
    note: str
    promised_on: str | None = None  # janji_bayar: the day promised (ISO), the next follow-up


@dataclass(frozen=True)
class FollowUpChoice:
    """The follow-up date chosen (ISO), or None to remove the follow-up."""

    day: str | None


class VisitDialog(OutreachModal):
    """Outcome and note of a visit; closes with a `VisitEntry` (or None when cancelled)."""

    CSS_PATH = "record_detail.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save"),
        Binding("escape", "cancel", "key.detail_cancel"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.person = name

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="visit-dialog", classes="dialog"):
            yield Label(
                self.t("detail.visit_dialog.title", name=self.person), classes="dialog-title"
            )
            yield Label(self.t("detail.visit_dialog.outcome"), classes="field-label")
            with RadioSet(id="visit-outcome"):
                for code, label in codes.VISIT_OUTCOMES.items():
                    yield RadioButton(self.t(label), id=f"outcome-{code}")
            yield Label(self.t("detail.visit_dialog.promise"), id="visit-promise-label",
                        classes="field-label")  # fmt: skip
            yield Input(id="visit-promise", max_length=40)
            yield Label(self.t("detail.visit_dialog.note"), classes="field-label")
            yield Input(id="visit-note", max_length=MAX_NOTES_LENGTH)
            yield Static("", id="visit-message", classes="field-error", markup=False)
            yield Static(self.t("detail.visit_dialog.hint"), classes="hint", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start on the outcomes."""
        self._show_promise(False)
        self.query_one("#visit-outcome", RadioSet).focus()

    def _show_promise(self, shown: bool) -> None:
        self.query_one("#visit-promise-label").display = shown
        self.query_one("#visit-promise").display = shown

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """The day promised is asked only for "janji bayar"."""
        chosen = event.pressed.id or ""
        self._show_promise(chosen == f"outcome-{codes.PROMISE_OUTCOME}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the note saves."""
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Close with the visit once an outcome is picked and the note fits."""
        button = self.query_one("#visit-outcome", RadioSet).pressed_button
        message = self.query_one("#visit-message", Static)
        if button is None or not button.id:
            message.update(self.t("detail.visit_dialog.pick"))
            return
        note, problems = fields.read_note(
            self.query_one("#visit-note", Input).value, "notes", MAX_NOTES_LENGTH
        )
        if problems:
            message.update(problems[0].message(self.session.lang))
            return
        outcome = button.id.removeprefix("outcome-")
        promised: str | None = None
        if outcome == codes.PROMISE_OUTCOME:
            text = self.query_one("#visit-promise", Input).value.strip()
            day, wrong = fields.read_date(text, "follow_up_on") if text else (None, [])
            if wrong or not isinstance(day, dt.date) or day < self.session.today():
                message.update(self.t("detail.visit_dialog.promise_needed"))
                self.query_one("#visit-promise", Input).focus()
                return
            promised = day.isoformat()
        self.dismiss(VisitEntry(outcome, str(note or ""), promised))

    def action_cancel(self) -> None:
        """Close without logging anything."""
        self.dismiss(None)


class FollowUpDialog(OutreachModal):
    """The day of the next visit; closes with a `FollowUpChoice` (or None when cancelled)."""

    CSS_PATH = "record_detail.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save"),
        Binding("escape", "cancel", "key.detail_cancel"),
    ]

    def __init__(self, name: str, current: str | None) -> None:
        super().__init__()
        self.person = name
        self.current = current

    def _initial(self) -> str:
        if self.current:
            try:
                return day_text(dt.date.fromisoformat(self.current))
            except ValueError:
                return self.current
        return day_text(self.session.today() + dt.timedelta(days=DEFAULT_FOLLOW_UP_DAYS))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="follow-up-dialog", classes="dialog"):
            yield Label(
                self.t("detail.follow_up_dialog.title", name=self.person), classes="dialog-title"
            )
            yield Label(self.t("detail.follow_up_dialog.date"), classes="field-label")
            yield Input(self._initial(), id="follow-up-date", max_length=40)
            yield Static("", id="follow-up-message", classes="field-error", markup=False)
            yield Static(self.t("detail.follow_up_dialog.hint"), classes="hint", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        """The cursor in the date box."""
        self.query_one("#follow-up-date", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter saves."""
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Close with the date read leniently; a bad or past date is said and kept for fixing."""
        text = self.query_one("#follow-up-date", Input).value.strip()
        message = self.query_one("#follow-up-message", Static)
        if not text:
            self.dismiss(FollowUpChoice(None))
            return
        day, problems = fields.read_date(text, "follow_up_on")
        if problems or not isinstance(day, dt.date):
            problem = problems[0] if problems else Problem("follow_up_on", "follow_up_on.format")
            message.update(problem.message(self.session.lang))
            return
        today = self.session.today()
        if day < today:
            message.update(self.t("detail.follow_up_dialog.past", today=day_text(today)))
            return
        self.dismiss(FollowUpChoice(day.isoformat()))

    def action_cancel(self) -> None:
        """Close without changing the follow-up."""
        self.dismiss(None)
