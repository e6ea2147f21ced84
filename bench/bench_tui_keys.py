"""TUI benchmark: each main screen's content after its key, and a whole form typed ahead.

Part of `--only tui`, on the 100k laptop bench_tui.py builds, in a child process running the
real app headless. Budgets (issue 11): every screen shows its content within 300 ms of its key
(the first time and after); a whole form typed ahead in one burst (F4, every field, Ctrl+S,
posted at once) is saved with every field as typed.

"Content shown" is screen-specific: the form with its name field focused, the record list with
rows drawn, the reports with their status table filled, the sync screen with its journal, the
area screen with its list, home with its figures; then one more refresh has been painted.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_tui import PASSPHRASE, SIZE, _paths
from bench.common import Report, ms

REPEATS = 5
READ_HOME_SECONDS = 5.0
OFFICER_PAUSE = 2.0  # on each screen before leaving it (the app builds the next form meanwhile)
TIMEOUT = 30.0
# key, what it opens, the key that leaves it again
SCREENS = (
    ("f4", "new-person form", "escape"),
    ("f3", "record list", "f2"),
    ("f6", "reports", "f2"),
    ("f5", "sync", "f2"),
    ("f7", "working area", "escape"),
    ("f2", "home (from the record list)", None),
)


def _form() -> dict[str, str]:
    """What the burst types: a new person each run (an earlier run's is not a duplicate)."""
    import datetime as dt
    import random

    from outreach_tui.domain.nik import make_nik

    born = dt.date(1970, 1, 1) + dt.timedelta(days=random.randrange(12_000))
    return {
        "full_name": "Siti Nurhaliza",
        "nik": make_nik(born, "F", region="320101", serial=f"{random.randrange(1, 9999):04d}"),
        "phone": "081234567890",
        "monthly_income": "2500000",
        "birth_date": born.isoformat(),
    }


def _shown(app: Any, key: str) -> bool:
    """Whether the screen a key opens shows its content (see the module doc)."""
    from textual.widgets import DataTable

    screen = app.screen
    if not screen.is_mounted:
        return False
    name = type(screen).__name__
    if key == "f4":
        return (
            name == "RecordFormScreen" and app.focused is not None and app.focused.id == "full_name"
        )
    if key == "f3":
        from outreach_tui.widgets.record_list import RecordList

        found = screen.query(RecordList)
        return name == "RecordsScreen" and bool(found) and found.first().rendered_rows > 0
    if key == "f6":
        found = screen.query("#reports-status")
        return name == "ReportsScreen" and bool(found) and found.first(DataTable).row_count > 0
    if key == "f5":
        found = screen.query("#sync-runs")
        return name == "SyncScreen" and bool(found)
    if key == "f7":
        return name == "AreaScreen" and app.focused is not None
    return name == "HomeScreen" and getattr(screen, "figures", None) is not None


async def _wait(pilot: Any, condition: Any) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > TIMEOUT:
            raise TimeoutError(f"not reached in {TIMEOUT:.0f} s; showing {pilot.app.screen_stack}")
        await asyncio.sleep(0.002)
    return time.perf_counter()


async def _painted(app: Any) -> None:
    """Until the next refresh of the screen has been painted."""
    done = asyncio.Event()
    app.screen.call_after_refresh(done.set)
    await asyncio.wait_for(done.wait(), TIMEOUT)


async def _idle(app: Any) -> None:
    while any(worker.is_running for worker in app.workers):
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)


def _burst(app: Any, *parts: str) -> int:
    from textual import events

    count = 0
    for part in parts:
        if part.startswith("<"):
            app.post_message(events.Key(part[1:-1], None))
            count += 1
            continue
        for char in part:
            app.post_message(events.Key("space" if char == " " else char, char))
            count += 1
    return count


async def _measure(home: Path) -> dict[str, Any]:
    from outreach_tui.app import make_app
    from outreach_tui.session import Session
    from outreach_tui.vault import Vault

    paths = _paths(home)
    key = Vault(paths).unlock(PASSPHRASE)
    app = make_app(Session.load(paths))
    figures: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.session.open(key)
        app.screen.dismiss(True)
        await _wait(pilot, lambda: _shown(app, "f2"))
        await _idle(app)
        # An officer reads the home screen for a few seconds before the first key: the app
        # builds the main screens meanwhile (OutreachApp._prebuild_next).
        await asyncio.sleep(READ_HOME_SECONDS)
        await _idle(app)
        for press, _, leave in SCREENS:
            times = []
            for _ in range(REPEATS):
                if press == "f2":  # home is shown: leave it for the record list first
                    _burst(app, "<f3>")
                    await _wait(pilot, lambda: _shown(app, "f3"))
                    await _idle(app)
                started = time.perf_counter()
                _burst(app, f"<{press}>")
                await _wait(pilot, lambda press=press: _shown(app, press))
                await _painted(app)
                times.append(time.perf_counter() - started)
                await _idle(app)
                await asyncio.sleep(OFFICER_PAUSE)  # an officer looks before leaving
                if leave:
                    _burst(app, f"<{leave}>")
                    await _wait(pilot, lambda: type(app.screen).__name__ == "HomeScreen"
                                or type(app.screen).__name__ == "RecordsScreen")  # fmt: skip
                    _burst(app, "<f2>")
                    await _wait(pilot, lambda: _shown(app, "f2"))
                    await _idle(app)
            figures[press] = times
        # A whole form typed ahead: every key posted at once, right after F4.
        form = figures["burst_form"] = _form()
        before = {row["id"] for row in app.session.store.list_records(limit=10, order_by="updated")}
        started = time.perf_counter()
        keys = _burst(app, "<f4>", form["full_name"], "<tab>", form["nik"], "<tab>", "<tab>",
                      "<tab>", form["phone"], "<tab>", "<tab>", form["monthly_income"], "<f9>",
                      "<ctrl+s>")  # fmt: skip

        def saved() -> list[dict[str, Any]]:
            rows = app.session.store.list_records(limit=10, order_by="updated")
            return [row for row in rows if row["id"] not in before]

        await _wait(pilot, lambda: bool(saved()))
        figures["burst_seconds"] = time.perf_counter() - started
        figures["burst_keys"] = keys
        (row,) = saved()
        figures["burst_saved"] = {
            "full_name": row["full_name"], "nik": row["nik"], "phone": row["phone"],
            "monthly_income": row["monthly_income"], "birth_date": row["birth_date"],
        }  # fmt: skip
    return figures


def child(home: Path) -> None:
    """Entry of the measuring child: the figures as one JSON line."""
    print(json.dumps(asyncio.run(_measure(home))))


def bench_keys(report: Report, home: Path, count: int, out: Path) -> None:
    """Screen-open times and the typed-ahead form, from the child process, on a copy of the
    laptop (the burst saves a record and the form may leave a draft)."""
    import shutil

    copy = out / f"tui-keys-home-{count}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(home, copy)
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_tui_keys", str(copy)],
        env={**os.environ, "OUTREACH_HOME": str(copy)},
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    big = count >= 100_000
    for press, label, _ in SCREENS:
        times = figures[press]
        worst = max(times)
        report.add(
            f"{press.upper()} to {label} shown",
            f"first {ms(times[0])} / median {ms(statistics.median(times))}",
            "< 300 ms" if big else "",
            worst < 0.300 if big else None,
            f"{len(times)} opens, worst {ms(worst)}; key to content painted",
        )
    saved, form = figures["burst_saved"], figures["burst_form"]
    expected = {
        "full_name": form["full_name"],
        "nik": form["nik"],
        "phone": "+62" + form["phone"][1:],
        "monthly_income": int(form["monthly_income"]),
        "birth_date": form["birth_date"],
    }
    wrong = [name for name, value in expected.items() if saved.get(name) != value]
    report.add(
        "typing a whole form ahead (keys sent at once to everything saved)",
        f"{figures['burst_seconds']:.2f} s",
        "every field as typed",
        not wrong,
        f"{figures['burst_keys']} keys in one burst on {count:,} records; "
        + (f"wrong: {', '.join(wrong)}" if wrong else "all 5 fields saved as typed"),
    )


if __name__ == "__main__":
    child(Path(sys.argv[1]))
