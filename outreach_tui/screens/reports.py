"""Laporan: counts per RW/RT by status, reasons for declining, enrollments per day, export.

Every figure is grouped in SQL (outreach_tui.store.reports) in a thread worker with its own
store connection, so the screen stays responsive with 100k records. The export writes the
report as CSV (long format: section, region_code, rw, rt, key, count) and the area's
records through the exporter `outreach export` uses.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, Label, Sparkline, Static

from outreach_tui import messages
from outreach_tui.domain.codes import STATUSES
from outreach_tui.domain.formats import day_text
from outreach_tui.domain.i18n import os_reason
from outreach_tui.safefile import atomic_output, private_folder
from outreach_tui.screens.base import OutreachModal, OutreachScreen
from outreach_tui.session import Locked
from outreach_tui.widgets.bar_chart import BarChart
from outreach_tui.widgets.footer import KeyFooter

DAYS = 30
AREA_ROWS_SHOWN = 500
REPORT_FIELDS = ("section", "region_code", "rw", "rt", "key", "count")

AreaKey = tuple[str, str, str]  # region_code, rw, rt
EVENTS_SHOWN = 8  # the newest events in the report


@dataclass
class Report:
    """One computed report: what the screen shows and the export writes."""

    region_code: str | None
    areas: dict[AreaKey, dict[str, int]] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    days: list[tuple[date, int]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    # Issue 14: coverage per group, attendees enrolled since per event, arrears per RW.
    groups: list[tuple[str, int, int, int]] = field(default_factory=list)  # name, %, enrolled, n
    group_reasons: list[tuple[str, str, int]] = field(default_factory=list)  # name, reason, n
    # label, attended, enrolled since, enrolled within 30 days of the event
    events: list[tuple[str, int, int, int]] = field(default_factory=list)
    arrears_rw: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    def rows(self) -> list[tuple[str, str, str, str, str, int]]:
        """The report as CSV rows (REPORT_FIELDS), in screen order."""
        out = []
        for (region, rw, rt), counts in self.areas.items():
            for status, count in counts.items():
                out.append(("status", region, rw, rt, status, count))
        for reason, count in self.reasons.items():
            out.append(("decline_reason", self.region_code or "", "", "", reason, count))
        for day, count in self.days:
            out.append(("enrolled_per_day", self.region_code or "", "", "", day.isoformat(), count))
        for name, _percent, enrolled, members in self.groups:
            out.append(("group_members", "", "", "", name, members))
            out.append(("group_enrolled", "", "", "", name, enrolled))
        for name, reason, count in self.group_reasons:
            out.append(("group_decline_reason", "", "", "", f"{name}: {reason or '-'}", count))
        for label, attended, since, within in self.events:
            out.append(("event_attended", "", "", "", label, attended))
            out.append(("event_enrolled_since", "", "", "", label, since))
            out.append(("event_enrolled_30_days", "", "", "", label, within))
        for rw, count in self.arrears_rw.items():
            out.append(("inactive_by_rw", self.region_code or "", rw, "", "inactive", count))
        return out


def utc_stamp(moment: datetime) -> str:
    """A moment as the store's UTC stamp (text order = time order)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def local_day(stamp: str) -> date:
    """The laptop's local date of a stored UTC stamp."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().date()


def build_report(store: Any, region_code: str | None, today: date) -> Report:
    """Compute the whole report with grouped queries (runs in a worker thread)."""
    started = time.perf_counter()
    report = Report(region_code)
    for row in store.status_counts_by_area(region_code):
        key = (row["region_code"] or "", row["rw"] or "", row["rt"] or "")
        report.areas.setdefault(key, {})[row["status"]] = int(row["count"])
    report.reasons = store.decline_reason_counts(region_code)
    first = today - timedelta(days=DAYS - 1)
    since = utc_stamp(datetime.combine(first, day_time.min).astimezone())
    per_day = {first + timedelta(days=n): 0 for n in range(DAYS)}
    for stamp in store.enrollment_times(since, region_code):
        day = local_day(stamp)
        if day in per_day:
            per_day[day] += 1
    report.days = sorted(per_day.items())
    groups = store.groups()
    report.groups = [(g["name"], g["of_members"], g["enrolled"], g["members"])
                     for g in groups]  # fmt: skip
    reasons = store.group_decline_reasons()
    report.group_reasons = [(g["name"], reason, count) for g in groups
                            for reason, count in reasons.get(g["id"], {}).items()]  # fmt: skip
    report.events = [
        (f"{e['starts_at'][:10]} {e['place']}", e["attended"], e["enrolled_since"],
         e["enrolled_30d"])
        for e in store.events()[:EVENTS_SHOWN]
    ]  # fmt: skip
    for row in store.arrears():
        if region_code is None or row["region_code"] == region_code:
            rw = row["rw"] or "-"
            report.arrears_rw[rw] = report.arrears_rw.get(rw, 0) + 1
    if region_code is None:
        from outreach_tui.domain.reference import region_name

        for region, _rw, _rt in report.areas:
            report.names.setdefault(region, region_name(region) or region or "-")
    report.elapsed = time.perf_counter() - started
    return report


def write_report_csv(report: Report, path: Path) -> int:
    """Write the report's rows as CSV (UTF-8 with BOM for spreadsheets); how many rows."""
    rows = report.rows()
    with atomic_output(path, encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(REPORT_FIELDS)
        writer.writerows(rows)
    return len(rows)


AREA_NAME_WIDTH = 18  # desa names in the all-areas table


class ReportsScreen(OutreachScreen):
    """The working area's report: status table, decline reasons chart, enrollments, export."""

    CSS_PATH = "reports.tcss"
    # Under 110 columns the status table takes the whole width and the charts go below it.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "toggle_scope", "key.reports_scope"),
        Binding("f10", "export", "key.reports_export"),
        Binding("ctrl+e", "export_to", "key.reports_export_to"),
        Binding("ctrl+d", "export_people", "key.reports_export_people"),
        Binding("ctrl+r", "refresh_report", "key.reports_refresh"),
    ]

    all_areas = False
    export_dir: Path | None = None  # None: the data folder's "laporan" folder

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="reports-scope")
        with Horizontal(id="reports-body"):
            with Vertical(id="reports-left"):
                yield Static(self.t("reports.status_title"), classes="reports-section")
                yield DataTable(id="reports-status", zebra_stripes=True, cursor_type="row")
            with Vertical(id="reports-right"):
                yield Static(self.t("reports.reasons_title"), classes="reports-section")
                yield BarChart(id="reports-reasons", empty_text=self.t("reports.none"))
                yield Static(self.t("reports.groups_title"), classes="reports-section")
                yield BarChart(id="reports-groups", empty_text=self.t("reports.none"))
                yield Static(self.t("reports.group_reasons_title"), classes="reports-section")
                yield BarChart(id="reports-group-reasons", empty_text=self.t("reports.none"))
                yield Static(self.t("reports.events_title"), classes="reports-section")
                yield BarChart(id="reports-events", empty_text=self.t("reports.none"))
                yield Static(self.t("reports.arrears_title"), classes="reports-section")
                yield BarChart(id="reports-arrears", empty_text=self.t("reports.none"))
                yield Static(self.t("reports.days_title", days=DAYS), classes="reports-section")
                yield Sparkline([], id="reports-sparkline")
                yield Static(id="reports-days-caption", classes="hint")
                yield DataTable(id="reports-days", zebra_stripes=True, cursor_type="row")
        yield Static(id="reports-message", classes="message")
        yield KeyFooter()
        # Also after a recompose (language or theme changed): fill the new widgets.
        self.call_after_refresh(self._fill)

    def __init__(self) -> None:
        super().__init__()
        self.report: Report | None = None
        self.exported: tuple[Path, Path | None] | None = None

    def _fill(self) -> None:
        """Show the report computed so far (in the current language), or compute it."""
        if self.report is not None and self.report.region_code == self.region_code:
            self._show(self.report)
        elif self.session.is_unlocked:
            self.refresh_report()

    @property
    def region_code(self) -> str | None:
        """The desa the report covers; None for every record on the laptop."""
        code = self.session.settings.area_code
        return None if self.all_areas or not code else code

    # -- computing ----------------------------------------------------------------------------
    def refresh_report(self) -> None:
        """Recompute in a thread worker (grouped queries; never on the UI thread)."""
        self.query_one("#reports-scope", Static).update(self._scope_text() + " · …")
        self._compute(self.region_code, self.session.today())

    @work(thread=True, exclusive=True, group="reports")
    def _compute(self, region_code: str | None, today: date) -> None:
        try:
            store = self.session.open_thread_store()
        except Locked:
            return
        try:
            report = build_report(store, region_code, today)
        finally:
            store.close()
        self.app.call_from_thread(self._show, report)

    def _scope_text(self) -> str:
        code = self.region_code
        if code is None:
            return self.t("reports.scope_all")
        from outreach_tui.domain.reference import region_name

        return self.t("reports.scope_area", name=region_name(code) or code, code=code)

    def _show(self, report: Report) -> None:
        if report.region_code != self.region_code:
            return  # the scope changed while this one was computed
        self.report = report
        total = sum(sum(c.values()) for c in report.areas.values())
        self.query_one("#reports-scope", Static).update(
            self.t("reports.scope_line", scope=self._scope_text(), total=_n(total))
        )
        self._show_status_table(report)
        reasons = [(self._reason_label(reason), count) for reason, count in report.reasons.items()]
        self.query_one("#reports-reasons", BarChart).set_data(reasons)
        self.query_one("#reports-groups", BarChart).set_data([
            (self.t("reports.group_bar", name=name, percent=percent, enrolled=enrolled,
                    members=members), enrolled)
            for name, percent, enrolled, members in report.groups
        ])  # fmt: skip
        self.query_one("#reports-group-reasons", BarChart).set_data([
            (f"{_short(name, 12)}: {self._reason_label(reason)}", count)
            for name, reason, count in report.group_reasons
        ])  # fmt: skip
        self.query_one("#reports-events", BarChart).set_data([
            (self.t("reports.event_bar", label=label, attended=attended), within)
            for label, attended, _since, within in report.events
        ])  # fmt: skip
        self.query_one("#reports-arrears", BarChart).set_data(
            [(f"RW {rw}", count) for rw, count in sorted(report.arrears_rw.items())]
        )
        counts = [count for _, count in report.days]
        self.query_one("#reports-sparkline", Sparkline).data = counts
        first, last = report.days[0][0], report.days[-1][0]
        self.query_one("#reports-days-caption", Static).update(
            self.t(
                "reports.days_caption",
                first=day_text(first),
                last=day_text(last),
                total=_n(sum(counts)),
            )
        )
        days = self.query_one("#reports-days", DataTable)
        days.clear(columns=True)
        days.add_column(self.t("reports.col.day"), key="day")
        days.add_column(Text(self.t("reports.col.enrolled"), justify="right"), key="count")
        for day, count in reversed(report.days):
            days.add_row(day_text(day), _num(count), key=day.isoformat())

    def _show_status_table(self, report: Report) -> None:
        table = self.query_one("#reports-status", DataTable)
        table.clear(columns=True)
        if report.region_code is None:
            table.add_column(self.t("reports.col.area"), key="area")
        table.add_column("RW", key="rw")
        table.add_column("RT", key="rt")
        for status in STATUSES:  # short names (Calon, Minat, ...): every column fits at 80
            label = self.t(f"home.status_short.{status}")
            table.add_column(Text(label, justify="right"), key=status)
        table.add_column(Text(self.t("reports.col.total"), justify="right"), key="total")
        totals = dict.fromkeys(STATUSES, 0)
        for index, ((region, rw, rt), counts) in enumerate(report.areas.items()):
            for status in STATUSES:
                totals[status] += counts.get(status, 0)
            if index >= AREA_ROWS_SHOWN:
                continue
            cells: list[str | Text] = [rw or "-", rt or "-"]
            cells += [_num(counts.get(status, 0)) for status in STATUSES]
            cells.append(_num(sum(counts.values())))
            if report.region_code is None:
                cells.insert(0, _short(report.names.get(region, region), AREA_NAME_WIDTH))
            table.add_row(*cells, key="/".join((region, rw, rt)))
        footer: list[str | Text] = [Text(self.t("reports.total_row"), style="bold"), ""]
        footer += [_num(totals[status], bold=True) for status in STATUSES]
        footer.append(_num(sum(totals.values()), bold=True))
        if report.region_code is None:
            footer.insert(0, "")
        table.add_row(*footer, key="total")
        if len(report.areas) > AREA_ROWS_SHOWN:
            self.query_one("#reports-message", Static).update(
                self.t("reports.more_rows", count=len(report.areas) - AREA_ROWS_SHOWN)
            )

    def _reason_label(self, reason: str) -> str:
        return self.t(f"label.decline_reason.{reason}") if reason else self.t("reports.no_reason")

    # -- actions ------------------------------------------------------------------------------
    def action_toggle_scope(self) -> None:
        """Switch between the working area and every record on the laptop."""
        self.all_areas = not self.all_areas
        self.refresh_report()

    def action_refresh_report(self) -> None:
        """Compute the report again."""
        self.refresh_report()

    @property
    def default_folder(self) -> Path:
        """Where exports go unless the officer chose another folder."""
        return self.export_dir or self.session.paths.data_dir / "laporan"

    def action_export(self, folder: Path | None = None, people: bool = False) -> None:
        """Write the report (counts only) as CSV; the area's people only when asked for."""
        if self.report is None:
            return
        self.query_one("#reports-message", Static).update(self.t("reports.exporting"))
        self._export(self.report, folder or self.default_folder, people)

    def action_export_people(self) -> None:
        """The area's people too: only after a warning that the file leaves the encrypted store."""
        from outreach_tui.screens.people_export_dialog import PeopleExportDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.action_export(people=True)

        self.app.push_screen(PeopleExportDialog(), answered)

    def action_export_to(self) -> None:
        """Ask for a folder (a USB stick, say), then export there."""

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.action_export(folder)

        self.app.push_screen(ExportDialog(self.default_folder), chosen)

    @work(thread=True, exclusive=True, group="reports-export")
    def _export(self, report: Report, folder: Path, people: bool = False) -> None:
        from outreach_tui.transfer.exporter import write_csv

        scope = (report.region_code or "semua").replace(".", "")
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        report_path = folder / f"laporan-{scope}-{stamp}.csv"
        records_path = folder / f"data-{scope}-{stamp}.csv"
        try:
            store = self.session.open_thread_store()
        except Locked:
            return
        try:
            private_folder(folder)
            rows = write_report_csv(report, report_path)
            count = 0
            if people:
                with atomic_output(records_path, newline="") as out:
                    count = write_csv(store.iter_records(region_code=report.region_code), out)
        except OSError as exc:
            self.app.call_from_thread(self._export_failed, folder, exc)
            return
        finally:
            store.close()
        shown = records_path if people else None
        self.app.call_from_thread(self._exported, report_path, rows, shown, count)

    def _exported(
        self, report_path: Path, rows: int, records_path: Path | None, count: int
    ) -> None:
        self.exported = (report_path, records_path)
        if records_path is None:
            self.query_one("#reports-message", Static).update(
                self.t("reports.exported_counts", path=str(report_path), rows=_n(rows))
            )
            return
        self.query_one("#reports-message", Static).update(
            self.t(
                "reports.exported",
                path=str(report_path),
                rows=_n(rows),
                records_path=str(records_path),
                count=_n(count),
            )
        )

    def _export_failed(self, folder: Path, exc: OSError) -> None:
        message = self.query_one("#reports-message", Static)
        message.update(
            self.t(
                "reports.export_failed", path=str(folder), detail=os_reason(exc, self.session.lang)
            )
        )

    def on_data_changed(self, _message: messages.DataChanged) -> None:
        """Records changed (saved, imported, synced): the counts are stale."""
        if self.session.is_unlocked:
            self.refresh_report()

    def on_screen_resume(self) -> None:
        """Back on this screen (the working area may have changed): compute again."""
        if self.session.is_unlocked and self.report is not None:
            self.refresh_report()


class ExportDialog(OutreachModal):
    """Asks for the folder an export goes to; dismisses with the folder or None."""

    CSS_PATH = "reports.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "key.back")]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        """The folder (pre-filled with the data folder) and what Enter does."""
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label(self.t("reports.export_title"), classes="dialog-title")
            yield Label(self.t("reports.export_folder"), classes="field-label")
            yield Input(str(self.folder), id="export-folder")
            yield Static(id="export-error", classes="field-error")
            yield Static(self.t("reports.export_hint"), classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Check the folder before the export starts; say what is wrong under the field."""
        text = event.value.strip()
        error = self.query_one("#export-error", Static)
        if not text:
            error.update(self.t("reports.export_folder_empty"))
            return
        folder = Path(text).expanduser()
        if folder.exists() and not folder.is_dir():
            error.update(self.t("reports.export_not_folder", path=str(folder)))
            return
        self.dismiss(folder)

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)


def _short(text: str, width: int) -> str:
    """A name cut to ``width`` characters with an ellipsis (the full one is in the export)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _n(value: int) -> str:
    """A count with Indonesian thousands separators (1.234)."""
    return f"{value:,}".replace(",", ".")


def _num(value: int, *, bold: bool = False) -> Text:
    """A count for a table cell: right-aligned, thousands separated."""
    return Text(_n(value), justify="right", style="bold" if bold else "")
