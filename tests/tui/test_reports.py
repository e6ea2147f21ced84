"""The Laporan screen: counts per RW/RT by status, decline reasons, enrollments, export."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Static

from outreach_tui.app import OutreachApp
from outreach_tui.domain.codes import STATUSES
from outreach_tui.domain.record import validate_record
from outreach_tui.screens.people_export_dialog import PeopleExportDialog
from outreach_tui.screens.reports import ExportDialog, ReportsScreen
from outreach_tui.widgets.bar_chart import BarChart, bar_cells, chart_lines
from tests.conftest import unlocked_store
from tests.sync.conftest import enrolled_record, make_record
from tests.tui.conftest import SIZE, unlock, wait_for

pytestmark = pytest.mark.anyio
AREA = "32.01.01.1001"
OTHER = "32.01.01.1002"

# (region, rw, rt, status, decline reason, how many)
PEOPLE = [
    (AREA, "001", "001", "prospect", None, 3),
    (AREA, "001", "001", "declined", "biaya", 2),
    (AREA, "001", "002", "enrolled", None, 2),
    (AREA, "002", "001", "declined", "biaya", 1),
    (AREA, "002", "001", "declined", "tidak_tertarik", 2),
    (AREA, "003", "002", "interested", None, 1),
    (OTHER, "001", "001", "declined", "belum_paham", 4),
]


def _fill(home: Path) -> None:
    store = unlocked_store(home)
    n = 0
    try:
        for region, rw, rt, status, reason, count in PEOPLE:
            for _ in range(count):
                n += 1
                extra: dict[str, Any] = {"region_code": region, "rw": rw, "rt": rt}
                if status == "enrolled":
                    raw = enrolled_record(n, **extra)
                else:
                    raw = make_record(n, status=status, decline_reason=reason, **extra)
                raw.pop("id")
                checked = validate_record(raw, today=date.today())
                assert checked.ok, checked.errors
                store.save_record(checked.record, actor="p-001", officer_id="p-001")
    finally:
        store.close()


async def _open_reports(pilot: Any) -> ReportsScreen:
    await pilot.press("f6")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReportsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ReportsScreen)
    await wait_for(pilot, lambda: screen.report is not None)
    return screen


async def test_counts_per_rw_rt_by_status_equal_the_store(
    ready_home: Path, make_tui: Callable[..., OutreachApp]
) -> None:
    _fill(ready_home)
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await _open_reports(pilot)
        store = app.session.store
        table = screen.query_one("#reports-status", DataTable)
        shown = {}
        for index in range(table.row_count - 1):  # the last row is the total
            rw, rt, *counts, total = (str(cell) for cell in table.get_row_at(index))
            shown[(rw, rt)] = [int(c) for c in counts], int(total)
        expected = {}
        for rw, rt in {(p[1], p[2]) for p in PEOPLE if p[0] == AREA}:
            held = [store.count_records(region_code=AREA, rw=rw, rt=rt, status=s) for s in STATUSES]
            expected[(rw, rt)] = held, store.count_records(region_code=AREA, rw=rw, rt=rt)
        assert shown == expected
        total_row = table.get_row_at(table.row_count - 1)
        assert int(str(total_row[-1])) == store.count_records(region_code=AREA) == 11
        assert AREA in str(screen.query_one("#reports-scope", Static).render())

        chart = screen.query_one("#reports-reasons", BarChart)
        assert chart.items == [
            (screen.t("label.decline_reason.biaya"), 3),
            (screen.t("label.decline_reason.tidak_tertarik"), 2),
        ]
        assert "3" in str(chart.render()).splitlines()[0]
        assert screen.report is not None
        assert screen.report.days[-1] == (date.today(), 2)  # the two enrolled today

        await pilot.press("f9")  # every area
        await wait_for(
            pilot, lambda: screen.report is not None and screen.report.region_code is None
        )
        assert dict(chart.items)[screen.t("label.decline_reason.belum_paham")] == 4
        table = screen.query_one("#reports-status", DataTable)
        assert int(str(table.get_row_at(table.row_count - 1)[-1])) == store.count_records() == 15


async def test_export_writes_csv_rows_that_match(
    ready_home: Path, make_tui: Callable[..., OutreachApp], tmp_path: Path
) -> None:
    _fill(ready_home)
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await _open_reports(pilot)
        await pilot.press("f10")
        await wait_for(pilot, lambda: screen.exported is not None)
        assert screen.exported is not None
        report_path, records_path = screen.exported
        assert report_path.parent == app.session.paths.data_dir / "laporan"
        assert str(report_path) in str(screen.query_one("#reports-message", Static).render())
        with report_path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        store = app.session.store
        status_rows = [r for r in rows if r["section"] == "status"]
        for row in status_rows:
            assert int(row["count"]) == store.count_records(
                region_code=row["region_code"], rw=row["rw"], rt=row["rt"], status=row["key"]
            )
        assert sum(int(r["count"]) for r in status_rows) == store.count_records(region_code=AREA)
        reasons = {r["key"]: int(r["count"]) for r in rows if r["section"] == "decline_reason"}
        assert reasons == {"biaya": 3, "tidak_tertarik": 2}
        days = [r for r in rows if r["section"] == "enrolled_per_day"]
        assert len(days) == 30 and days[-1]["key"] == date.today().isoformat()
        assert days[-1]["count"] == "2"
        assert records_path is None  # counts only by default: no person leaves the store
        assert not list(report_path.parent.glob("data-*.csv"))
        # People only after the warning, and the answer "no" is the default.
        screen.exported = None
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, PeopleExportDialog))
        await pilot.press("enter")  # "do not export" has the focus
        await wait_for(pilot, lambda: not isinstance(app.screen, PeopleExportDialog))
        assert screen.exported is None
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, PeopleExportDialog))
        await pilot.click("#people-yes")
        await wait_for(pilot, lambda: screen.exported is not None and screen.exported[1])
        records_path = screen.exported[1]
        assert records_path is not None and records_path.stat().st_mode & 0o777 == 0o600
        with records_path.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.DictReader(handle))
        assert len(records) == store.count_records(region_code=AREA)
        assert {r["region_code"] for r in records} == {AREA}


def test_bar_cells_use_eighth_blocks() -> None:
    assert bar_cells(10, 10, 5) == "█████"
    assert bar_cells(5, 10, 5) == "██▌"
    assert bar_cells(1, 10, 1) == "▏"  # a non-zero count always shows
    assert bar_cells(0, 10, 5) == ""
    assert bar_cells(3, 8, 1) == "▍"


def test_chart_lines_align_labels_bars_and_counts() -> None:
    lines = chart_lines([("Biaya", 4), ("Belum paham", 2), ("Lainnya", 1200)], 40)
    assert [label for label, _, _ in lines] == ["Biaya      ", "Belum paham", "Lainnya    "]
    assert [count for _, _, count in lines] == ["    4", "    2", "1.200"]
    assert {len(bar) for _, bar, _ in lines} == {40 - 11 - 5 - 2}
    assert lines[2][1] == "█" * 22


class _ChartApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BarChart([("Biaya", 6), ("Tidak tertarik", 3), ("Lainnya", 0)], id="chart")


async def test_bar_chart_widget_renders_one_line_per_count() -> None:
    app = _ChartApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        chart = app.query_one(BarChart)
        lines = str(chart.render()).splitlines()
        assert chart.size.height == 3 and len(lines) == 3
        assert lines[0].startswith("Biaya") and lines[0].endswith("6")
        bars = ["".join(c for c in line if c in "█▏▎▍▌▋▊▉") for line in lines[:2]]
        assert bars[0] == "█" * 23 and bars[1] == "█" * 11 + "▌"  # 6 and 3 of 23 cells
        assert "█" not in lines[2] and lines[2].endswith("0")
        chart.set_data([], empty_text="kosong")
        await pilot.pause()
        assert str(chart.render()) == "kosong"


async def test_export_to_a_chosen_folder_checks_the_folder(
    ready_home: Path, make_tui: Callable[..., OutreachApp], tmp_path: Path
) -> None:
    _fill(ready_home)
    a_file = tmp_path / "not-a-folder.txt"
    a_file.write_text("x")
    target = tmp_path / "usb" / "laporan"
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await _open_reports(pilot)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        field = app.screen.query_one("#export-folder", Input)
        assert field.value == str(app.session.paths.data_dir / "laporan")
        field.value = str(a_file)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "bukan folder" in str(app.screen.query_one("#export-error", Static).render())
        field.value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.exported is not None)
        assert screen.exported is not None
        report_path, records_path = screen.exported
        assert report_path.parent == target and records_path is None


async def test_switching_to_english_redraws_the_report(
    ready_home: Path, make_tui: Callable[..., OutreachApp]
) -> None:
    _fill(ready_home)
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await _open_reports(pilot)
        app.session.update_settings(language="en")
        app.apply_settings()
        await wait_for(pilot, lambda: "Working area" in _scope(screen))
        table = screen.query_one("#reports-status", DataTable)
        await wait_for(pilot, lambda: table.row_count == 5)  # 4 RW/RT rows and the total
        assert str(table.get_row_at(4)[0]) == "Total"
        chart = screen.query_one("#reports-reasons", BarChart)
        assert dict(chart.items) == {"Cannot afford the contribution": 3, "Not interested": 2}


def _scope(screen: ReportsScreen) -> str:
    return str(screen.query_one("#reports-scope", Static).render())
