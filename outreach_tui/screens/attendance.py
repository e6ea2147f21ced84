"""Quick attendance at a socialisation event (issue 14): a room of 50-200 people, typed with the
keyboard only, one line each: name, phone, occupation, Enter. Each line is checked by the same
rules as the form (`validate_record`) and saved at once as a prospect of the working area who
attended; a person already recorded (the same phone, or the same name) is not recorded twice:
the existing record attends. The check runs as the name and phone are typed, as at the door.
NIK, consent and enrollment go through the record form (F4 on a saved line), as at the door.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, Label, Static

from outreach_tui import messages
from outreach_tui.domain import codes
from outreach_tui.domain.names import name_key
from outreach_tui.domain.phone import normalize_phone
from outreach_tui.domain.record import validate_record
from outreach_tui.screens.base import OutreachScreen
from outreach_tui.widgets.footer import KeyFooter

FIELDS = ("att-name", "att-phone", "att-occupation")


def occupation_code(text: str) -> str | None:
    """The occupation for what was typed: its code, or the one code a prefix of it (or of its
    label's words) names ("ojol", "pedagang pasar", "nelay"); None when none or several."""
    typed = codes.normalize_code(text) if text.strip() else ""
    if not typed:
        return None
    if typed in codes.OCCUPATIONS:
        return typed
    found = [code for code in codes.OCCUPATIONS if code.startswith(typed)]
    return found[0] if len(found) == 1 else None


class AttendanceScreen(OutreachScreen):
    """One event's attendance, typed fast; Escape goes back to the events."""

    CSS_PATH = "attendance.tcss"
    AUTO_FOCUS = "#att-name"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: handled before the Input's own Enter, so focus moves before the next key.
        Binding("enter", "next_field", "key.attendance_next", show=False, priority=True),
        Binding("f4", "enroll", "key.attendance_enroll", priority=True),
        Binding("escape", "leave", "key.back"),
    ]

    def __init__(self, event_id: str) -> None:
        super().__init__()
        self.event_id = event_id
        self.group_id: str | None = None  # the group the event was held with, if any
        self.saved: list[dict[str, Any]] = []  # lines saved here, newest last

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="att-body"):
            yield Static("", id="att-title", classes="dialog-title")
            with Horizontal(id="att-line"):
                for name in FIELDS:
                    with Vertical(classes="att-cell"):
                        yield Label(self.t(f"attendance.{name}"), classes="field-label")
                        yield Input(id=name, max_length=120)
            yield Static("", id="att-hint", classes="hint", markup=False)
            yield Static("", id="att-count", markup=False)
            yield DataTable(id="att-rows", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#att-rows", DataTable)
        for column in ("name", "phone", "occupation", "state"):
            table.add_column(self.t(f"attendance.col.{column}"), key=column)
        event = next((e for e in self.session.store.events() if e["id"] == self.event_id), None)
        if event is not None:
            self.group_id = event.get("group_id")
            self.query_one("#att-title", Static).update(
                self.t("attendance.title", place=event["place"], when=event["starts_at"][:16])
            )
        for row in self.session.store.follow_up(self.event_id):
            self.saved.append({"id": row["id"], "name": row["full_name"], "state": "earlier"})
        self._show_count()

    # -- typing -------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        """As the name or phone is typed: say who may already be recorded."""
        if event.input.id in ("att-name", "att-phone"):
            match = self._existing()
            hint = self.query_one("#att-hint", Static)
            hint.update(self.t("attendance.known", name=match["full_name"]) if match else "")

    def _existing(self) -> dict[str, Any] | None:
        """A stored person this line may be: the same mobile number, or the same whole name."""
        store = self.session.store
        phone, problems = normalize_phone(self.query_one("#att-phone", Input).value)
        if phone and not problems:
            for row in store.search(phone[-8:], limit=5):
                if row.get("phone") == phone:
                    return row
        name = self.query_one("#att-name", Input).value.strip()
        if len(name) >= 3:
            key = name_key(name)
            for row in store.search(name, limit=5):
                if name_key(str(row.get("full_name") or "")) == key:
                    return row
        return None

    def action_next_field(self) -> None:
        """Enter: to the next box; on the occupation, save the line and start the next."""
        focused = self.focused
        if not isinstance(focused, Input) or focused.id not in FIELDS:
            raise SkipAction()
        if focused.id != FIELDS[-1]:
            self.query_one(f"#{FIELDS[FIELDS.index(focused.id) + 1]}", Input).focus()
            return
        self._save_line()

    def _save_line(self) -> None:
        hint = self.query_one("#att-hint", Static)
        name = self.query_one("#att-name", Input).value
        phone = self.query_one("#att-phone", Input).value
        typed = self.query_one("#att-occupation", Input).value
        occupation = occupation_code(typed)
        if typed.strip() and occupation is None:
            hint.update(self.t("occupation.unknown"))
            self.query_one("#att-occupation", Input).focus()
            return
        existing = self._existing()
        store, officer = self.session.store, self.session.officer_id
        if existing is not None:
            record_id, state = str(existing["id"]), "known"
        else:
            s = self.session.settings
            raw = {"full_name": name, "phone": phone, "occupation": occupation or "",
                   "status": "prospect", "region_code": s.area_code, "rw": s.area_rw,
                   "rt": s.area_rt}  # fmt: skip
            check = validate_record(raw, today=self.session.today())
            if not check.ok:
                problem = check.errors[0]
                hint.update(problem.message(self.session.lang))
                target = "#att-phone" if problem.field == "phone" else "#att-name"
                self.query_one(target, Input).focus()
                return
            record_id = store.save_record(check.record, actor=officer, officer_id=officer).id
            state = "new"
        added = store.attend(self.event_id, record_id, actor=officer)
        if self.group_id:  # an event held with a group: who came is one of its members
            store.add_members(self.group_id, [record_id], actor=officer)
        if not added:
            state = "twice"
        self.post_message(messages.RecordsChanged((record_id,)))
        self._add_row(record_id, name, phone, occupation, state)
        for field in FIELDS:
            self.query_one(f"#{field}", Input).value = ""
        hint.update("")
        self.query_one("#att-name", Input).focus()

    def _add_row(
        self, record_id: str, name: str, phone: str, occupation: str | None, state: str
    ) -> None:
        label = codes.OCCUPATIONS.get(occupation or "")
        table = self.query_one("#att-rows", DataTable)
        table.add_row(" ".join(name.split()), phone.strip(), self.t(label) if label else "-",
                      self.t(f"attendance.state.{state}"))  # fmt: skip
        table.move_cursor(row=table.row_count - 1)
        self.saved.append({"id": record_id, "name": name, "state": state})
        self._show_count()

    def _show_count(self) -> None:
        attended = sum(1 for row in self.saved if row["state"] != "twice")
        self.query_one("#att-count", Static).update(self.t("attendance.count", count=attended))

    def action_enroll(self) -> None:
        """F4: the record form for the last person saved (NIK, consent, enrollment)."""
        last = next((row for row in reversed(self.saved) if row["state"] != "earlier"), None)
        if last is not None:
            self.post_message(messages.EditRecord(last["id"]))

    def action_leave(self) -> None:
        self.dismiss()
