"""Quick attendance at full typing speed (issue 14): attendees a minute, key presses to saved
rows, on the 100k laptop of `--only tui` (every line's duplicate check searches all of it).

A child process runs the real app headless (Pilot), opens an event's attendance and types a
room of ROOM people line by line (name, phone, occupation, Enter) as one fast typist would:
each line's keys posted at once, the next line once the previous is saved. Budget: at least
20 attendees a minute sustained, every line saved with the right fields.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_tui import PASSPHRASE, SIZE, _paths
from bench.common import Report

ROOM = 60
BUDGET_PER_MINUTE = 20
TIMEOUT = 30.0


def _room() -> list[tuple[str, str, str]]:
    import random

    rng = random.Random(14)
    first = ("Agus", "Sri", "Wahyu", "Dewi", "Eko", "Rina", "Joko", "Ani", "Hadi", "Nur")
    last = ("Santoso", "Lestari", "Saputra", "Wulandari", "Hidayat", "Kurniawan")
    jobs = ("ojol", "pedagang_pasar", "nelayan", "kurir", "petani")
    return [(f"{rng.choice(first)} {rng.choice(last)} {chr(65 + n % 26)}{n}".replace("0", "O")
             .replace("1", "I").replace("2", "Z").replace("3", "E").replace("4", "A")
             .replace("5", "S").replace("6", "G").replace("7", "T").replace("8", "B")
             .replace("9", "P"), f"0857{rng.randrange(10**7, 10**8)}", rng.choice(jobs))
            for n in range(ROOM)]  # fmt: skip


async def _measure(home: Path) -> dict[str, Any]:
    from textual import events

    from outreach_tui.app import make_app
    from outreach_tui.screens.attendance import AttendanceScreen
    from outreach_tui.session import Session
    from outreach_tui.vault import Vault

    paths = _paths(home)
    key = Vault(paths).unlock(PASSPHRASE)
    app = make_app(Session.load(paths))
    room = _room()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.session.open(key)
        app.screen.dismiss(True)
        await pilot.pause(1.0)
        store = app.session.store
        event_id = store.save_event({"kind": "sosialisasi", "starts_at": "2026-11-20 09:00",
                                     "place": "Balai Desa", "institution": "Kantor Desa"},
                                    actor="bench")  # fmt: skip
        app.push_screen(AttendanceScreen(event_id))
        await pilot.pause(0.5)
        screen = app.screen
        rows = screen.query_one("#att-rows")
        keys = 0
        started = time.perf_counter()
        for n, (name, phone, job) in enumerate(room):
            for part in (name, "<enter>", phone, "<enter>", job, "<enter>"):
                if part.startswith("<"):
                    app.post_message(events.Key(part[1:-1], None))
                    keys += 1
                    continue
                for char in part:
                    app.post_message(events.Key("space" if char == " " else char, char))
                    keys += 1
            deadline = time.perf_counter() + TIMEOUT
            while rows.row_count < n + 1:
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"line {n + 1} not saved")
                await asyncio.sleep(0.002)
        seconds = time.perf_counter() - started
        saved = {r["full_name"]: r for r in store.follow_up(event_id)}
        right = sum(
            1 for name, phone, job in room
            if name in saved and any(
                r["phone"] == "+62" + phone[1:] and r["occupation"] == job
                for r in store.search(name, limit=3) if r["full_name"] == name
            )
        )  # fmt: skip
    return {"seconds": seconds, "keys": keys, "lines": len(room), "right": right}


def child(home: Path) -> None:
    print(json.dumps(asyncio.run(_measure(home))))


def bench_attendance(report: Report, home: Path, count: int, out: Path) -> None:
    """Attendees a minute typed into the quick attendance, on a copy of the laptop."""
    copy = out / f"tui-attendance-home-{count}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(home, copy)
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_attendance", str(copy)],
        env={**os.environ, "OUTREACH_HOME": str(copy)},
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    per_minute = figures["lines"] / figures["seconds"] * 60
    report.add(
        f"quick attendance: a room of {figures['lines']} typed line by line",
        f"{per_minute:.0f} attendees/min",
        f">= {BUDGET_PER_MINUTE}/min, every line as typed",
        per_minute >= BUDGET_PER_MINUTE and figures["right"] == figures["lines"],
        f"{figures['keys']} keys in {figures['seconds']:.1f} s on {count:,} records; "
        f"{figures['right']}/{figures['lines']} lines saved with name, phone and occupation",
    )


if __name__ == "__main__":
    child(Path(sys.argv[1]))
