"""The status dialog of the record detail: the next status under the domain's rules.

Only the statuses `codes.can_transition` allows from the stored one are offered (`active` comes
from the central system only). The choice is checked with `validate_record(previous=stored)`
before the dialog closes, so a refusal (no reason for declining, no NIK or consent for enrolling)
is said here, next to the choice, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from outreach_tui.domain import codes
from outreach_tui.domain.record import (
    MAX_NOTES_LENGTH,
    RECORD_FIELDS,
    Validation,
    validate_record,
)
from outreach_tui.screens.base import OutreachModal
from outreach_tui.widgets.footer import KeyFooter

OTHER_REASON = "lainnya"  # the decline reason that needs words (kept in the notes)
# Problems that only the form can fix (it asks for the NIK and records the consent).
FORM_FIELDS = frozenset({"nik", "consent", "birth_date", "sex"})


@dataclass(frozen=True)
class StatusChange:
    """What the dialog closes with: the validated record to save, or a request for the form."""

    record: dict[str, Any] | None = None
    open_form: bool = False
    version: int | None = None  # the stored version the change was made on


def record_with(stored: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """The stored record's fields as `validate_record` reads them, with `changes` applied."""
    raw = {name: stored.get(name) for name in RECORD_FIELDS}
    raw.update(changes)
    return raw


def check_change(
    stored: Mapping[str, Any], today: Any, **changes: Any
) -> tuple[Validation, dict[str, Any]]:
    """Validate a change of a stored record; the record to save keeps the central KPJ number."""
    result = validate_record(record_with(stored, **changes), today=today, previous=stored)
    record = dict(result.record)
    record["kpj_number"] = stored.get("kpj_number")
    return result, record


def allowed_statuses(current: str | None) -> list[str]:
    """The statuses an officer may pick from `current` (never `current` itself, never active)."""
    return [
        code
        for code in codes.LOCAL_STATUSES
        if code != current and codes.can_transition(current, code)
    ]


class StatusDialog(OutreachModal):
    """Pick the next status (and the reason when declining); closes with a `StatusChange`."""

    CSS_PATH = "record_detail.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save"),
        Binding("f9", "open_form", "key.detail_open_form"),
        Binding("escape", "cancel", "key.detail_cancel"),
    ]

    def __init__(self, record: Mapping[str, Any]) -> None:
        super().__init__()
        self.record = dict(record)
        self.choices = allowed_statuses(self.record.get("status"))
        self.needs_form = False

    def compose(self) -> ComposeResult:
        status = str(self.record.get("status") or codes.DEFAULT_STATUS)
        with VerticalScroll(id="status-dialog", classes="dialog"):
            name = self.record.get("full_name") or "-"
            yield Label(self.t("detail.status_dialog.title", name=name), classes="dialog-title")
            yield Static(
                self.t("detail.status_dialog.current", status=self.t(f"label.status.{status}")),
                markup=False,
            )
            if not self.choices:
                yield Static(
                    self.t(
                        "detail.status_dialog.none_allowed",
                        status=self.t(f"label.status.{status}"),
                    ),
                    classes="message",
                    markup=False,
                )
            else:
                yield Label(self.t("detail.status_dialog.new"), classes="field-label")
                with RadioSet(id="status-choice"):
                    for code in self.choices:
                        yield RadioButton(self.t(f"label.status.{code}"), id=f"status-{code}")
                yield Label(
                    self.t("detail.status_dialog.reason"),
                    id="reason-label",
                    classes="field-label reason",
                )
                with RadioSet(id="reason-choice", classes="reason"):
                    for code, label in codes.DECLINE_REASONS.items():
                        yield RadioButton(self.t(label), id=f"reason-{code}")
                yield Input(
                    id="reason-other",
                    placeholder=self.t("label.field.decline_other"),
                    max_length=400,
                    compact=True,
                )
            yield Static(self.t("detail.status_dialog.active_note"), classes="hint", markup=False)
            yield Static("", id="status-message", classes="field-error", markup=False)
            yield Static(self.t("detail.status_dialog.hint"), classes="hint", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Hide the reasons until `declined` is picked; start on the first choice."""
        self._show_reasons(False)
        if self.choices:
            self.query_one("#reason-other").display = False
            self.query_one("#status-choice", RadioSet).focus()

    def _show_reasons(self, show: bool) -> None:
        for widget in self.query(".reason"):
            widget.display = show

    def chosen(self) -> str | None:
        """The status picked so far, or None."""
        if not self.choices:
            return None
        button = self.query_one("#status-choice", RadioSet).pressed_button
        return button.id.removeprefix("status-") if button and button.id else None

    def reason(self) -> str | None:
        """The decline reason picked so far, or None."""
        if not self.choices:
            return None
        button = self.query_one("#reason-choice", RadioSet).pressed_button
        return button.id.removeprefix("reason-") if button and button.id else None

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """Show the reasons for `declined`; a new choice clears the last message."""
        if event.radio_set.id == "status-choice":
            self._show_reasons(self.chosen() == "declined")
            self.needs_form = False
            self.refresh_bindings()
            self._say("")
        declined = self.chosen() == "declined"
        self.query_one("#reason-other").display = declined and self.reason() == OTHER_REASON

    def _say(self, text: str) -> None:
        self.query_one("#status-message", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The form key shows once the choice needs the NIK or the consent."""
        if action == "open_form":
            return self.needs_form
        if action == "save":
            return bool(self.choices)
        return True

    def action_save(self) -> None:
        """Check the choice with the domain's rules; close only when it may be saved."""
        status = self.chosen()
        if status is None:
            self._say(self.t("detail.status_dialog.pick"))
            return
        reason = self.reason() if status == "declined" else None
        other = self.query_one("#reason-other", Input).value.strip()
        if reason == OTHER_REASON and not other:
            self._say(self.t("form.decline_other.required"))
            self.query_one("#reason-other", Input).focus()
            return
        result, record = check_change(
            self.record, self.session.today(), status=status, decline_reason=reason
        )
        if reason == OTHER_REASON:
            said = f"{self.t('form.decline_other.note')} {other}"
            notes = f"{record['notes']} | {said}" if record.get("notes") else said
            record["notes"] = notes[:MAX_NOTES_LENGTH]
        if result.errors:
            lines = [problem.message(self.session.lang) for problem in result.errors]
            self.needs_form = any(problem.field in FORM_FIELDS for problem in result.errors)
            if self.needs_form:
                lines.append(self.t("detail.status_dialog.needs_form"))
            self.refresh_bindings()
            self._say("\n".join(lines))
            return
        version = self.record.get("version")
        self.dismiss(StatusChange(record=record, version=int(version) if version else None))

    def action_open_form(self) -> None:
        """Leave the dialog for the record form (NIK and consent are filled in there)."""
        self.dismiss(StatusChange(open_form=True))

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
