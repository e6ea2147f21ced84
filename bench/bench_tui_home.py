"""TUI benchmark: the home figures after an unlock, with 100k records (part of `--only tui`).

Two child processes run the real app headless on the laptop bench_tui.py builds: one on the
day the records were imported (every record counts in the day and the month: the worst case)
and one on the day after (the usual case). Budget: figures on screen < 2 s after the unlock.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_tui import PASSPHRASE, SIZE, _paths
from bench.common import Report, ms

HOME_TIMEOUT = 60.0  # seconds to wait for the home figures after an unlock


async def _measure_home(home: Path, day: str) -> dict[str, Any]:
    """Unlock as the unlock screen does, with the session's day pinned to ``day``: seconds to
    the home figures on screen, and until no worker of the app runs any more."""
    from datetime import date

    from outreach_tui.app import make_app
    from outreach_tui.screens.home import HomeScreen
    from outreach_tui.session import Session
    from outreach_tui.vault import Vault

    paths = _paths(home)
    key = Vault(paths).unlock(PASSPHRASE)
    app = make_app(Session.load(paths))
    pinned = date.fromisoformat(day)
    app.session.today = lambda: pinned
    figures: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        app.session.open(key)  # what UnlockScreen._open does once the key is unwrapped
        app.screen.dismiss(True)
        while time.perf_counter() - started < HOME_TIMEOUT:
            await asyncio.sleep(0.005)
            screen = app.screen
            if "shown" not in figures and isinstance(screen, HomeScreen) and screen.figures:
                figures["shown"] = time.perf_counter() - started
            if "shown" in figures and not any(w.is_running for w in app.workers):
                figures["idle"] = time.perf_counter() - started
                break
    return figures


def home_days(home: Path) -> tuple[str, str]:
    """The local day the records were imported (all of them that day and month) and the next."""
    from datetime import UTC, datetime, timedelta

    from outreach_tui.vault import Vault, open_unlocked_store

    paths = _paths(home)
    store = open_unlocked_store(paths, Vault(paths).unlock(PASSPHRASE))
    try:
        stamp = store.list_records(order_by="updated", limit=1)[0]["created_at"]
    finally:
        store.close()
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    day = moment.astimezone().date()
    return day.isoformat(), (day + timedelta(days=1)).isoformat()


def bench_home(report: Report, home: Path, count: int) -> None:
    """Home figures after an unlock: on the import day (worst) and on the next day (typical)."""
    import_day, next_day = home_days(home)
    for day, label in ((next_day, "the day after the import"), (import_day, "the import day")):
        done = subprocess.run(
            [sys.executable, "-m", "bench.bench_tui_home", str(home), day],
            env={**os.environ, "OUTREACH_HOME": str(home)},
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        shown, idle = figures.get("shown"), figures.get("idle")
        report.add(
            f"home figures shown after unlock ({label})" if label.startswith("the day")
            else f"  home figures shown after unlock ({label})",
            ms(shown) if shown is not None else f"> {HOME_TIMEOUT} s",
            "< 2 s" if count >= 100_000 else "",
            (shown is not None and shown < 2) if count >= 100_000 else None,
            f"{count:,} records imported {import_day}; every worker done after "
            + (ms(idle) if idle is not None else f"> {HOME_TIMEOUT} s"),
        )  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 3:
        print(json.dumps(asyncio.run(_measure_home(Path(sys.argv[1]), sys.argv[2]))))
    else:
        sys.exit("usage: python -m bench --only tui [--records N]")
