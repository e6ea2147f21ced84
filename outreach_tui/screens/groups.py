"""Kelompok (groups): the markets, ojek bases, cooperatives ... the branch works with, and their
coverage: members enrolled or active over members recorded and over the workers the group
declares (issue 14). A new group is typed in one line of boxes (Enter moves on, the last box
saves); people become members when they attend an event held with the group (attendance.py),
or from their record (Ctrl+G on the detail: `GroupPickDialog`)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from outreach_tui import messages
from outreach_tui.domain import codes
from outreach_tui.screens.base import OutreachModal, OutreachScreen
from outreach_tui.store.groups import GroupError
from outreach_tui.widgets.box_row import BoxRow
from outreach_tui.widgets.footer import KeyFooter

FIELDS = ("gr-name", "gr-kind", "gr-declared", "gr-contact", "gr-phone")
TO_GROUP = {"gr-name": "name", "gr-kind": "kind", "gr-declared": "declared_workers",
            "gr-contact": "contact_name", "gr-phone": "contact_phone"}  # fmt: skip


def sync_mark(screen: OutreachScreen, mark: tuple[str, str] | None) -> str:
    """A group's or event's sync state in words (with the server's reason when refused)."""
    state, said = mark or ("sent", "")
    text = screen.t(f"groups.sync.{state}")
    return f"{text}: {said}" if said else text


class GroupsScreen(OutreachScreen):
    """Groups with their coverage; Ctrl+S (or Enter on the last box) saves the new one. Enter
    on a group puts it in the boxes to be changed (a new version; Esc leaves it unchanged)."""

    CSS_PATH = "events.tcss"
    AUTO_FOCUS = "#gr-name"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "key.save"),
        Binding("escape", "leave", "key.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.editing: dict[str, Any] | None = None  # the group in the boxes, when one is changed

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="ev-body"):
            yield Static(self.t("groups.title"), classes="dialog-title")
            yield BoxRow([(name, self.t(f"groups.{name}")) for name in FIELDS],
                         on_done=self.action_save, max_length=120, id="ev-new")  # fmt: skip
            yield Static("", id="gr-message", classes="message", markup=False)
            yield DataTable(id="gr-list", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#gr-list", DataTable)
        for column in ("name", "kind", "members", "enrolled", "of_members", "of_declared", "sync"):
            table.add_column(self.t(f"groups.col.{column}"), key=column)
        self.load()

    def load(self) -> None:
        table = self.query_one("#gr-list", DataTable)
        table.clear()
        marks = self.session.store.sync_marks()
        for group in self.session.store.groups():
            kind = codes.GROUP_KINDS.get(group["kind"])
            declared = group["of_declared"]
            table.add_row(group["name"], self.t(kind) if kind else group["kind"],
                          str(group["members"]), str(group["enrolled"]),
                          f"{group['of_members']}%", f"{declared}%" if declared is not None
                          else "-", sync_mark(self, marks.get(group["id"])),
                          key=group["id"])  # fmt: skip

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a group: its details in the boxes, to be changed and saved with Ctrl+S."""
        found = [g for g in self.session.store.groups() if g["id"] == event.row_key.value]
        if not found:
            return
        self.editing = found[0]
        for name in FIELDS:
            value = self.editing[TO_GROUP[name]]
            self.query_one(f"#{name}", Input).value = "" if value is None else str(value)
        message = self.query_one("#gr-message", Static)
        message.update(self.t("groups.editing", group=self.editing["name"]))
        message.set_class(False, "field-error")
        self.query_one("#gr-declared", Input).focus()

    def action_save(self) -> None:
        settings = self.session.settings
        raw: dict[str, Any] = {
            TO_GROUP[name]: self.query_one(f"#{name}", Input).value for name in FIELDS
        }
        if self.editing is not None:  # a change keeps the group's own area and other details
            kept = ("id", "region_code", "rw", "rt", "contact_role")
            raw |= {name: self.editing[name] for name in kept}
        else:
            raw |= {"region_code": settings.area_code, "rw": settings.area_rw or ""}
        message = self.query_one("#gr-message", Static)
        officer = self.session.officer_id
        try:
            self.session.store.save_group(raw, actor=officer, officer_id=officer)
        except GroupError as exc:
            lang = self.session.lang
            message.update("\n".join(p.message(lang) for p in exc.problems))
            message.set_class(True, "field-error")
            return
        self.post_message(messages.GroupsChanged())
        message.update(self.t("groups.changed" if self.editing else "groups.saved"))
        message.set_class(False, "field-error")
        self._clear()
        self.load()

    def _clear(self) -> None:
        self.editing = None
        for name in FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#gr-name", Input).focus()

    def action_leave(self) -> None:
        """Esc: leave a change unsaved (the boxes empty again), or go back."""
        if self.editing is not None:
            self._clear()
            self.query_one("#gr-message", Static).update("")
            return
        self.dismiss()


class GroupPickDialog(OutreachModal):
    """Pick the group a person joins: arrows and Enter, Esc to cancel; dismisses with the id."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "key.detail_cancel")]

    def __init__(self, name: str, groups: list[dict[str, Any]], member_of: set[str]) -> None:
        super().__init__()
        self.person = name
        self.groups = groups
        self.member_of = member_of

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.t("groups.pick.title", name=self.person), classes="dialog-title",
                         markup=False)  # fmt: skip
            options = []
            for group in self.groups:
                kind = codes.GROUP_KINDS.get(group["kind"])
                label = f"{group['name']} ({self.t(kind) if kind else group['kind']})"
                if group["id"] in self.member_of:
                    label += f" · {self.t('groups.pick.member')}"
                options.append(Option(label, id=group["id"]))
            yield OptionList(*options, id="group-pick")
            yield Static(self.t("groups.pick.help"), classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
