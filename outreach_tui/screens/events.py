"""Kegiatan (events): socialisation sessions and follow-ups with groups (issue 14). The list of
events with attendance and how many enrolled since; a new event in one line of boxes; Enter
opens the quick attendance (`attendance.py`); Ctrl+F shows an earlier event's attendees with
their status then and now (who registered since, who is undecided, who declined and why)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static

from outreach_tui import messages
from outreach_tui.domain import codes
from outreach_tui.screens.base import OutreachScreen
from outreach_tui.screens.groups import sync_mark
from outreach_tui.store.groups import GroupError
from outreach_tui.widgets.box_row import BoxRow
from outreach_tui.widgets.footer import KeyFooter

NEW_FIELDS = ("ev-kind", "ev-starts", "ev-place", "ev-partner", "ev-officers")
WIB = dt.timezone(dt.timedelta(hours=7))


class EventsScreen(OutreachScreen):
    """Events: Enter on one opens its attendance; Ctrl+S saves the new event typed above."""

    CSS_PATH = "events.tcss"
    AUTO_FOCUS = "#ev-list"  # the events of the day first; Tab goes up to the new-event boxes
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save"),
        Binding("ctrl+f", "follow_up", "key.events_follow_up"),
        Binding("ctrl+g", "groups", "key.events_groups"),
        Binding("escape", "leave", "key.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="ev-body"):
            yield Static(self.t("events.title"), classes="dialog-title")
            yield BoxRow([(name, self.t(f"events.{name}")) for name in NEW_FIELDS],
                         on_done=self.action_save, max_length=200, id="ev-new")  # fmt: skip
            yield Static("", id="ev-message", classes="message", markup=False)
            yield DataTable(id="ev-list", cursor_type="row", zebra_stripes=True)
            yield Static("", id="ev-follow-title", classes="section-title", markup=False)
            yield DataTable(id="ev-follow", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        now = dt.datetime.now(WIB)
        self.query_one("#ev-kind", Input).value = "sosialisasi"
        self.query_one("#ev-starts", Input).value = now.strftime("%Y-%m-%d %H:%M")
        self.query_one("#ev-officers", Input).value = self.session.settings.officer_name
        table = self.query_one("#ev-list", DataTable)
        for column in ("when", "kind", "place", "attended", "enrolled", "enrolled_30d", "sync"):
            table.add_column(self.t(f"events.col.{column}"), key=column)
        follow = self.query_one("#ev-follow", DataTable)
        for column in ("name", "then", "now", "reason"):
            follow.add_column(self.t(f"events.follow.{column}"), key=column)
        self.query_one("#ev-follow").display = False
        self.load()
        if not table.row_count:  # nothing to open yet: start on the new event's place
            self.query_one("#ev-place", Input).focus()

    def load(self) -> None:
        table = self.query_one("#ev-list", DataTable)
        table.clear()
        marks = self.session.store.sync_marks()
        for event in self.session.store.events():
            kind = codes.EVENT_KINDS.get(event["kind"])
            table.add_row(event["starts_at"][:16].replace("T", " "),
                          self.t(kind) if kind else event["kind"], event["place"],
                          str(event["attended"]), str(event["enrolled_since"]),
                          str(event["enrolled_30d"]), sync_mark(self, marks.get(event["id"])),
                          key=event["id"])  # fmt: skip

    def on_screen_resume(self) -> None:
        """Back from the attendance: the counts moved."""
        if self.is_mounted:
            self.load()

    def action_save(self) -> None:
        """Save the new event typed in the boxes (held when it has started)."""
        kind, starts, place, partner, officers = (
            self.query_one(f"#{n}", Input).value for n in NEW_FIELDS
        )
        now = dt.datetime.now(WIB)
        raw: dict[str, Any] = {"kind": kind, "starts_at": starts, "place": place,
                               "institution": partner, "officers": officers}  # fmt: skip
        named = partner.strip().casefold()
        for group in self.session.store.groups():  # a group's name: held with that group
            if named and group["name"].casefold() == named:
                raw |= {"group_id": group["id"], "institution": ""}
        earlier = self._highlighted()
        if codes.normalize_code(kind) == "follow_up" and earlier is not None:
            # A follow-up starts from the event highlighted in the list, with its partner.
            raw["follows_event_id"] = earlier["id"]
            if not named:
                raw |= {"group_id": earlier["group_id"], "institution": earlier["institution"]}
        try:
            moment = dt.datetime.fromisoformat(starts.strip()).replace(tzinfo=WIB)
            raw["held"] = moment <= now
        except ValueError:
            pass
        message = self.query_one("#ev-message", Static)
        officer = self.session.officer_id
        try:
            event_id = self.session.store.save_event(raw, actor=officer, officer_id=officer,
                                                     now=now)  # fmt: skip
        except GroupError as exc:
            lang = self.session.lang
            message.update("\n".join(p.message(lang) for p in exc.problems))
            message.set_class(True, "field-error")
            return
        self.post_message(messages.GroupsChanged())
        said = self.t("events.saved")
        if raw.get("follows_event_id") and earlier is not None:
            label = f"{earlier['starts_at'][:10]} {earlier['place']}"
            said += " " + self.t("events.follow_up_of", label=label)
        message.update(said)
        message.set_class(False, "field-error")
        self.load()
        table = self.query_one("#ev-list", DataTable)
        table.move_cursor(row=table.get_row_index(event_id))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an event: its quick attendance; on a follow-up row: that person's record
        (a status change there records why they decline, as at the door)."""
        if event.row_key.value is None:
            return
        if event.data_table.id == "ev-follow":
            self.post_message(messages.OpenRecord(str(event.row_key.value)))
            return
        if event.data_table.id != "ev-list":
            return
        from outreach_tui.screens.attendance import AttendanceScreen

        self.app.push_screen(AttendanceScreen(str(event.row_key.value)))

    def action_follow_up(self) -> None:
        """The highlighted event's attendees with their status then and now."""
        table = self.query_one("#ev-list", DataTable)
        if not table.row_count:
            return
        event_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        shown = next((e for e in self.session.store.events() if e["id"] == event_id), None)
        if shown is not None and shown.get("follows_event_id"):
            event_id = shown["follows_event_id"]  # a follow-up: the earlier event's attendees
        rows = self.session.store.follow_up(str(event_id))
        follow = self.query_one("#ev-follow", DataTable)
        follow.clear()
        for row in rows:
            reason = codes.DECLINE_REASONS.get(str(row.get("decline_reason") or ""))
            follow.add_row(row["full_name"], self.t(f"label.status.{row['status_then']}"),
                           self.t(f"label.status.{row['status_now']}"),
                           self.t(reason) if reason else "-", key=row["id"])  # fmt: skip
        since = sum(1 for r in rows if r["status_now"] in ("enrolled", "active")
                    and r["status_then"] not in ("enrolled", "active"))  # fmt: skip
        undecided = sum(1 for r in rows if r["status_now"] in ("prospect", "interested"))
        self.query_one("#ev-follow-title", Static).update(
            self.t("events.follow.title", count=len(rows), since=since, undecided=undecided)
        )
        follow.display = True
        follow.focus()

    def _highlighted(self) -> dict[str, Any] | None:
        """The event under the list's cursor, if the list has any."""
        table = self.query_one("#ev-list", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((e for e in self.session.store.events() if e["id"] == key), None)

    def action_groups(self) -> None:
        """Kelompok: the groups and their coverage."""
        from outreach_tui.screens.groups import GroupsScreen

        self.app.push_screen(GroupsScreen())

    def action_leave(self) -> None:
        self.dismiss()
