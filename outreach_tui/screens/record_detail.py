"""One person's record: who they are, where the record stands, and the day's actions on it.

Status changes, follow-ups and visits go through dialogs (status_dialog, visit_dialog) that
check the input with the domain's rules; this screen saves through the store (with the version
it showed, so a sync landing meanwhile is never overwritten), posts `RecordsChanged` and reloads
on `DataChanged`. The slip preview is its own screen (slip_preview).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Static

from outreach_tui import messages
from outreach_tui.domain import codes, reference
from outreach_tui.domain.formats import rupiah
from outreach_tui.domain.nik import mask_nik
from outreach_tui.domain.phone import format_phone_national
from outreach_tui.screens.base import OutreachScreen
from outreach_tui.screens.status_dialog import StatusChange, StatusDialog, check_change
from outreach_tui.screens.visit_dialog import (
    FollowUpChoice,
    FollowUpDialog,
    VisitDialog,
    VisitEntry,
    day_text,
)
from outreach_tui.store.records import StaleVersionError
from outreach_tui.sync_run import duplicate_text
from outreach_tui.widgets.footer import KeyFooter

SLIP_STATUSES = ("enrolled", "active")  # as outreach_tui.slips.payload.SLIP_STATUSES
SET_ASIDE = ("duplicate", "conflict", "rejected")
_Rows = list[tuple[str, str]]
# Two columns of sections side by side (a 120-column terminal), the visit history below.
COLUMNS = (("person", "address"), ("status", "contribution", "sync"))
SECTIONS = (*COLUMNS[0], *COLUMNS[1], "visits")


def iso_day_text(value: object) -> str:
    """An ISO date as DD/MM/YYYY (anything else as it is)."""
    try:
        return day_text(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def local_time_text(stamp: object) -> str:
    """A stored UTC stamp (`2026-11-23T08:15:00.000000Z`) as local `DD/MM/YYYY HH:MM`."""
    try:
        moment = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")


def row_widgets(rows: _Rows) -> list[Static]:
    """Label and value cells for a two-column grid (long values wrap in their own column)."""
    cells: list[Static] = []
    for label, value in rows:
        cells.append(Static(label, classes="detail-label", markup=False))
        cells.append(Static(value, classes="detail-value", markup=False))
    return cells


class RecordDetailScreen(OutreachScreen):
    """A person's record with status, follow-up, visits, sync state and the slip."""

    CSS_PATH = "record_detail.tcss"
    # Under 110 columns the two columns go one below the other: values never wrap mid-number.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key.back"),
        Binding("f9", "edit", "key.detail_edit"),
        Binding("ctrl+e", "edit", "key.detail_edit", show=False),
        Binding("f10", "status", "key.detail_status"),
        Binding("f11", "visit", "key.detail_visit"),
        Binding("f12", "follow_up", "key.detail_follow_up"),
        Binding("ctrl+t", "slip", "key.detail_slip"),
        Binding("ctrl+r", "reveal_nik", "key.detail_reveal_nik"),
        Binding("ctrl+g", "add_to_group", "key.detail_group"),
    ]

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id
        self.record: dict[str, Any] | None = None
        self.visits: list[dict[str, Any]] = []
        self.arrears: dict[str, Any] | None = None  # what the centre said of the payments
        self.member_of: list[dict[str, Any]] = []  # the groups the person belongs to
        self.reveal_nik = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail-body"):
            yield Static("", id="detail-name", markup=False)
            yield Static("", id="detail-message", classes="message", markup=False)
            with Horizontal(id="detail-columns"):
                for column in COLUMNS:
                    with Vertical(classes="detail-column"):
                        yield from self._sections(column)
            yield from self._sections(("visits",))
        yield KeyFooter()
        # Filled once mounted: at start and after a recompose (the language was changed).
        self.call_after_refresh(self.reload)

    def _sections(self, names: tuple[str, ...]) -> ComposeResult:
        for section in names:
            yield Static(self.t(f"detail.section.{section}"), classes="detail-section")
            if section == "visits":
                yield Static("", id="detail-visits", classes="detail-rows", markup=False)
            else:
                yield Grid(id=f"detail-{section}", classes="detail-rows")

    def on_data_changed(self, message: messages.DataChanged) -> None:
        """A save or a sync touched this record (or everything): show it again."""
        if not message.record_ids or self.record_id in message.record_ids:
            self.reload()

    # -- showing ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the record and its visits from the store and redraw every section."""
        if not self.session.is_unlocked:
            return
        store = self.session.store
        self.record = store.get_record(self.record_id)
        self.visits = list(reversed(store.visits_for(self.record_id))) if self.record else []
        self.arrears = store.arrears_of(self.record_id) if self.record else None
        self.member_of = store.groups_of(self.record_id) if self.record else []
        reasons: list[dict[str, Any]] = []
        if self.record is not None and self.record.get("sync_state") in SET_ASIDE:
            reasons = [r for r in store.set_aside() if r.get("id") == self.record["id"]]
        self._draw(reasons[0] if reasons else None)
        self.refresh_bindings()

    def _draw(self, set_aside: Mapping[str, Any] | None) -> None:
        record = self.record
        name = self.query_one("#detail-name", Static)
        if record is None:
            name.update(self.t("detail.not_found", record_id=self.record_id))
            for section in SECTIONS[:-1]:
                self._set(section, [])
            self.query_one("#detail-visits", Static).update("")
            return
        name.update(f"{record.get('full_name') or '-'}  ·  {self._label_status(record)}")
        self._set("person", self._person_rows(record))
        self._set("address", self._address_rows(record))
        self._set("status", self._status_rows(record))
        self._set("contribution", self._contribution_rows(record))
        self._set("sync", self._sync_rows(record, set_aside))
        self.query_one("#detail-visits", Static).update(self._visit_lines())

    def _set(self, section: str, rows: _Rows) -> None:
        grid = self.query_one(f"#detail-{section}", Grid)
        grid.remove_children()
        grid.mount_all(row_widgets(rows))

    def _label(self, name: str) -> str:
        return self.t(f"label.field.{name}")

    def _label_status(self, record: Mapping[str, Any]) -> str:
        if self.arrears and self.arrears["inactive"]:  # said by the centre
            return self.t("label.status.inactive")
        return self.t(f"label.status.{record.get('status') or codes.DEFAULT_STATUS}")

    def _arrears_row(self, record: Mapping[str, Any]) -> str | None:
        """What is owed (each month at its own rates and discounts), as the centre last said."""
        told = self.arrears
        if not told:
            return None
        through = told.get("paid_through")
        if not told["inactive"]:
            return self.t("detail.arrears.paid", paid_through=through or "-")
        from outreach_tui.domain.arrears import arrears
        from outreach_tui.domain.formats import rupiah

        first = str(record.get("created_at") or self.session.today().isoformat())[:7] + "-01"
        try:
            owed = arrears(
                dt.date.fromisoformat(through + "-01") if through else None,
                first_month=dt.date.fromisoformat(first), today=self.session.today(),
                monthly_income=record.get("monthly_income"),
                programs=str(record.get("programs") or "JKK,JKM"),
                occupation=record.get("occupation"),
            )  # fmt: skip
        except (LookupError, ValueError):
            return self.t("detail.arrears.inactive_plain", months=told.get("months") or "-")
        return self.t("detail.arrears.inactive", months=owed.months_unpaid,
                      paid_through=through or "-",
                      owed=rupiah(owed.total_owed, self.session.lang))  # fmt: skip

    def _person_rows(self, record: Mapping[str, Any]) -> _Rows:
        nik = record.get("nik")
        if nik and not self.reveal_nik:
            nik_text = self.t("detail.nik_masked", nik=mask_nik(str(nik)))
        else:
            nik_text = str(nik or "-")
        sex = record.get("sex")
        occupation = codes.OCCUPATIONS.get(str(record.get("occupation")))
        income = record.get("monthly_income")
        phone = record.get("phone")
        return [
            (self._label("full_name"), str(record.get("full_name") or "-")),
            (self._label("nik"), nik_text),
            (self._label("birth_date"), iso_day_text(record.get("birth_date") or "-")),
            (self._label("sex"), self.t(f"label.sex.{sex}") if sex else "-"),
            (self._label("phone"), format_phone_national(str(phone)) if phone else "-"),
            (
                self._label("occupation"),
                self.t(occupation) if occupation else "-",
            ),
            (
                self._label("monthly_income"),
                rupiah(int(income), self.session.lang) if income is not None else "-",
            ),
        ]

    def _address_rows(self, record: Mapping[str, Any]) -> _Rows:
        code = str(record.get("region_code") or "")
        names = [reference.region_name(code[:n]) for n in (13, 8, 5) if len(code) >= n]
        place = ", ".join(name for name in names if name)
        rw, rt = record.get("rw"), record.get("rt")
        return [
            (
                self._label("region_code"),
                self.t("detail.region", name=place, code=code) if code else "-",
            ),
            (
                f"{self._label('rw')}/{self._label('rt')}",
                self.t("detail.rw_rt", rw=rw or "-", rt=rt or "-"),
            ),
            (self._label("street"), str(record.get("street") or "-")),
        ]

    def _status_rows(self, record: Mapping[str, Any]) -> _Rows:
        rows = [(self._label("status"), self._label_status(record))]
        owed = self._arrears_row(record)
        if owed:
            rows.append((self.t("detail.arrears.label"), owed))
        reason = record.get("decline_reason")
        if reason:
            label = codes.DECLINE_REASONS.get(str(reason))
            rows.append((self._label("decline_reason"), self.t(label) if label else str(reason)))
        if self.member_of:
            rows.append((self.t("detail.groups"), ", ".join(g["name"] for g in self.member_of)))
        follow_up = record.get("follow_up_on")
        if follow_up:
            shown = iso_day_text(follow_up)
            if str(follow_up) <= self.session.today().isoformat():
                shown = self.t("detail.follow_up.due", date=shown)
        else:
            shown = self.t("detail.follow_up.none")
        rows.append((self._label("follow_up_on"), shown))
        if record.get("consent"):
            if record.get("consent_at"):
                consent = self.t(
                    "detail.consent.proof",
                    at=local_time_text(record["consent_at"]),
                    by=record.get("consent_by") or "-",
                    version=record.get("consent_version") or "-",
                )
            else:
                consent = self.t("detail.consent.yes")
        else:
            consent = self.t("detail.consent.no")
        rows.append((self._label("consent"), consent))
        rows.append((self._label("notes"), str(record.get("notes") or "-")))
        return rows

    def _contribution_rows(self, record: Mapping[str, Any]) -> _Rows:
        programs = str(record.get("programs") or "")
        labels = [self.t(f"label.program.{p}") for p in programs.split(",") if p]
        period = record.get("payment_period")
        amount = record.get("monthly_contribution")
        return [
            (self._label("programs"), ", ".join(labels) or "-"),
            (self._label("payment_period"), self.t("slip.months", count=period) if period else "-"),
            (
                self._label("monthly_contribution"),
                rupiah(int(amount), self.session.lang) if amount is not None else "-",
            ),
        ]

    def _sync_rows(self, record: Mapping[str, Any], set_aside: Mapping[str, Any] | None) -> _Rows:
        state = str(record.get("sync_state") or "pending")
        if state in SET_ASIDE:
            found = set_aside or {}
            reasons = "; ".join(
                f"{r.get('field')}: {r.get('message')}" for r in found.get("reasons") or []
            )
            if not reasons and found.get("duplicate_of"):
                reasons = duplicate_text(
                    found["duplicate_of"], self.session.lang, "detail.sync.duplicate_of"
                )
            shown = self.t(
                "detail.sync.set_aside",
                state=self.t(f"sync.status.{state}"),
                reasons=reasons or self.t("detail.sync.no_reason"),
            )
        else:
            shown = self.t("detail.sync.synced" if state == "synced" else "detail.sync.pending")
        kpj = record.get("kpj_number")
        enrolled = record.get("status") in SLIP_STATUSES
        none = self.t("detail.kpj.none" if enrolled else "detail.kpj.not_enrolled")
        return [
            (self._label("sync_state"), shown),
            (self._label("kpj_number"), str(kpj) if kpj else none),
        ]

    def _visit_lines(self) -> str:
        if not self.visits:
            return self.t("detail.visits.none")
        lines = []
        for visit in self.visits:
            label = codes.VISIT_OUTCOMES.get(str(visit.get("outcome")))
            note = visit.get("note")
            lines.append(
                self.t(
                    "detail.visit.line",
                    at=local_time_text(visit.get("at")),
                    outcome=self.t(label) if label else str(visit.get("outcome")),
                    note=f": {note}" if note else "",
                )
            )
        return "\n".join(lines)

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#detail-message", Static)
        message.set_class(error, "field-error")
        message.display = bool(text)
        message.update(text)

    # -- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Without a record (deleted meanwhile) only going back works."""
        if action in ("edit", "status", "visit", "follow_up", "slip", "reveal_nik"):
            return self.record is not None
        return True

    def action_back(self) -> None:
        """Back to where the record was opened from."""
        self.dismiss()

    def action_edit(self) -> None:
        """Open the record form on this record."""
        self.post_message(messages.EditRecord(self.record_id))

    def action_reveal_nik(self) -> None:
        """Show or mask the full NIK (masked by default: people stand around the laptop)."""
        self.reveal_nik = not self.reveal_nik
        self.reload()

    def action_status(self) -> None:
        """Change the status in a dialog that applies the domain's rules."""
        if self.record is not None:
            self.app.push_screen(StatusDialog(self.record), self._status_chosen)

    def _status_chosen(self, change: StatusChange | None) -> None:
        if change is None:
            return
        if change.open_form:
            self.action_edit()
        elif change.record is not None and self._save(change.record, change.version):
            self._say(self.t("detail.status.saved", status=self._label_status(change.record)))

    def action_follow_up(self) -> None:
        """Schedule (or remove) the next visit."""
        if self.record is not None:
            name = str(self.record.get("full_name") or "-")
            dialog = FollowUpDialog(name, self.record.get("follow_up_on"))
            self.app.push_screen(dialog, self._follow_up_chosen)

    def _follow_up_chosen(self, choice: FollowUpChoice | None) -> None:
        if choice is None or self.record is None:
            return
        result, record = check_change(self.record, self.session.today(), follow_up_on=choice.day)
        if result.errors:
            self._refused(result.errors)
            return
        if self._save(record, self.record.get("version")):
            if choice.day:
                self._say(self.t("detail.follow_up.saved", date=iso_day_text(choice.day)))
            else:
                self._say(self.t("detail.follow_up.cleared"))

    def action_add_to_group(self) -> None:
        """Make the person a member of one of the laptop's groups (not only by attending)."""
        if self.record is None:
            return
        groups = self.session.store.groups()
        if not groups:
            self._say(self.t("detail.group.none"), error=True)
            return
        from outreach_tui.screens.groups import GroupPickDialog

        name = str(self.record.get("full_name") or "-")
        member_of = {g["id"] for g in self.member_of}
        self.app.push_screen(GroupPickDialog(name, groups, member_of), self._group_picked)

    def _group_picked(self, group_id: str | None) -> None:
        if group_id is None or self.record is None:
            return
        officer = self.session.officer_id
        added = self.session.store.add_members(group_id, [self.record_id], actor=officer)
        name = next((g["name"] for g in self.session.store.groups() if g["id"] == group_id), "-")
        self.reload()
        self.post_message(messages.GroupsChanged())
        self._say(self.t("detail.group.added" if added else "detail.group.already", group=name))

    def action_visit(self) -> None:
        """Log a visit and its outcome."""
        if self.record is not None:
            name = str(self.record.get("full_name") or "-")
            self.app.push_screen(VisitDialog(name), self._visit_entered)

    def _visit_entered(self, entry: VisitEntry | None) -> None:
        if entry is None or self.record is None:
            return
        note = entry.note
        if entry.promised_on:  # said in the visit itself, and the day becomes the follow-up
            said = self.t("detail.visit.promise_note",
                          day=iso_day_text(entry.promised_on))  # fmt: skip
            note = f"{said}. {note}" if note else said
        visit = {
            "record_id": self.record_id,
            "outcome": entry.outcome,
            "note": note,
            "region_code": self.record.get("region_code") or self.session.settings.area_code,
            "rw": self.record.get("rw"),
            "rt": self.record.get("rt"),
        }
        try:
            officer = self.session.officer_id
            self.session.store.add_visit(visit, actor=officer, officer_id=officer)
            if entry.promised_on:
                record = dict(self.record, follow_up_on=entry.promised_on)
                version = int(self.record["version"])
                store = self.session.store
                store.save_record(record, actor=officer, expected_version=version)
        except (ValueError, StaleVersionError) as exc:
            self._say(self.t("detail.visit.failed", reason=str(exc)), error=True)
            return
        self.post_message(messages.RecordsChanged((self.record_id,)))
        outcome = self.t(codes.VISIT_OUTCOMES[entry.outcome])
        self.reload()
        self._say(self.t("detail.visit.saved", outcome=outcome))

    def action_slip(self) -> None:
        """Preview the enrollment slip (only enrolled or active participants have one)."""
        if self.record is None:
            return
        status = str(self.record.get("status"))
        if status not in SLIP_STATUSES:
            self._say(
                self.t("slip.status_not_allowed", status=self._label_status(self.record)),
                error=True,
            )
            return
        from outreach_tui.screens.slip_preview import SlipPreviewScreen

        self.app.push_screen(SlipPreviewScreen(self.record_id))

    # -- saving -------------------------------------------------------------------------------
    def _refused(self, errors: list[Any]) -> None:
        reasons = " ".join(problem.message(self.session.lang) for problem in errors)
        self._say(self.t("detail.not_saved", reasons=reasons), error=True)

    def _save(self, record: dict[str, Any], version: int | None) -> bool:
        """Save a validated change on top of `version` (the one shown); False when not saved."""
        try:
            self.session.store.save_record(
                record,
                actor=self.session.officer_id,
                expected_version=int(version) if version is not None else None,
            )
        except StaleVersionError:
            self.reload()
            self._say(self.t("detail.stale"), error=True)
            return False
        self.post_message(messages.RecordsChanged((self.record_id,)))
        self.reload()
        return True
