"""TUI benchmarks: cold start, the record list with 100k records, typing latency, memory.

Budgets (DESIGN.md): cold start to the first screen < 1.5 s (next to a bare Textual app in
the same run: the ratio); record list first rows < 300 ms and one scroll step < 50 ms with
100k records; TUI memory with 100k records < 150 MB RSS. Typing latency in the search box has
no budget of its own: it is reported as p50/p95 per keystroke (key press to list redrawn).

The laptop is a real one: settings, a vault and an encrypted store under
bench/out/tui-home-N, made once (100k generated records imported through the store) and
reused. The list, typing and memory figures come from one child process that runs the real
app headless (``run_test``) and reports JSON, so its memory is the app's alone. The home
figures after an unlock are measured by bench/bench_tui_home.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import Report, ms, percentile, work_dir

PASSPHRASE = "bench-frasa-sandi-panjang"
SIZE = (120, 40)
STARTS = 5  # cold starts of each kind (after one warm-up each)
SCROLL_STEPS = 100  # page-downs from the top of the 100k list

# -- the laptop ----------------------------------------------------------------------------------


def _paths(home: Path) -> Any:
    from outreach_tui.config import resolve_paths

    return resolve_paths({"OUTREACH_HOME": str(home)})


def build_home(count: int, out: Path) -> Path:
    """A set-up laptop with ``count`` records in its encrypted store (cached under bench/out)."""
    home = out / f"tui-home-{count}"
    marker = home / "built.json"
    if marker.exists():
        return home
    import shutil
    from datetime import date

    from bench.bench_store import dataset
    from outreach_tui.config import Settings, save_settings
    from outreach_tui.transfer.importer import import_csv
    from outreach_tui.vault import Vault, open_unlocked_store

    shutil.rmtree(home, ignore_errors=True)
    paths = _paths(home)
    paths.ensure()
    key = Vault(paths).create(PASSPHRASE)
    store = open_unlocked_store(paths, key)
    started = time.perf_counter()
    result = import_csv(
        dataset(count, out), store, today=date(2026, 11, 23), actor="bench", officer_id="p-001"
    )
    assert not result.rejected, result.rejected[:3]
    # The working area: the busiest desa, and its busiest RW/RT (a realistic default list).
    places = Counter((row["region_code"], row["rw"], row["rt"]) for row in store.iter_records())
    desa = Counter(code for code, _, _ in places.elements()).most_common(1)[0][0]
    (_, rw, rt), _ = max(((p, n) for p, n in places.items() if p[0] == desa), key=lambda x: x[1])
    store.close()
    save_settings(
        paths,
        Settings(
            officer_id="p-001",
            officer_name="Dewi Lestari",
            branch="KC-BOGOR",
            area_code=desa,
            area_rw=rw,
            area_rt=rt,
        ),
    )
    marker.write_text(json.dumps({"count": count, "seconds": time.perf_counter() - started}))
    return home


# -- (a) cold start --------------------------------------------------------------------------------

# The real command, headless, leaving as soon as its first screen (unlock) is mounted.
REAL_START = """
import sys
from outreach_tui.app import OutreachApp
from outreach_tui.screens.unlock import UnlockScreen
run = OutreachApp.run
OutreachApp.run = lambda self, **kw: run(self, headless=True)
UnlockScreen.on_show = lambda self: self.app.call_after_refresh(self.app.exit)
from outreach_tui.cli import main
sys.argv = ["outreach"]
main()
"""

# A bare Textual app doing the same: a screen with a header, a text box and a footer.
BARE_START = """
import sys
from textual.app import App
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

class First(Screen):
    def compose(self):
        yield Header()
        yield Input(password=True)
        yield Footer()
    def on_show(self):
        self.app.call_after_refresh(self.app.exit)

class Bare(App):
    def on_mount(self):
        self.push_screen(First())

Bare().run(headless=True)
if len(sys.argv) > 1:  # the peak memory of a bare app, for the memory row
    print(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
"""


def _wall(script: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def bench_cold_start(report: Report, home: Path) -> None:
    """Process start to the first screen mounted, the real app next to a bare Textual app."""
    env = {**os.environ, "OUTREACH_HOME": str(home)}
    figures = {}
    for label, script in (("bare", BARE_START), ("real", REAL_START)):
        _wall(script, env)  # warm the file cache
        figures[label] = statistics.median(_wall(script, env) for _ in range(STARTS))
    real, bare = figures["real"], figures["bare"]
    report.add(
        "TUI cold start to the first screen (unlock)",
        f"{real:.2f} s",
        "< 1.5 s",
        real < 1.5,
        f"median of {STARTS} processes, headless; ratio {real / bare:.2f}x the bare app",
    )
    report.add("  bare Textual app, same screen shape", f"{bare:.2f} s", note="the floor")
    done = subprocess.run(
        [sys.executable, "-c", BARE_START, "memory"], env=env, check=True, capture_output=True
    )
    report.add(
        "  bare Textual app memory",
        f"{int(done.stdout.split()[-1]) / 1024:.0f} MB peak RSS",
        note="what Textual and Python take before any data",
    )


# -- (b, c, d) the list, typing and memory, in a child process ------------------------------------


def _memory() -> dict[str, float]:
    """VmRSS and VmHWM (peak) of this process, in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024
    return values


async def _measure(home: Path) -> dict[str, Any]:
    """Drive the real app headless on the 100k laptop; every figure in seconds."""
    from outreach_tui.app import make_app
    from outreach_tui.session import Session
    from outreach_tui.vault import Vault
    from outreach_tui.widgets.record_list import RecordList

    paths = _paths(home)
    key = Vault(paths).unlock(PASSPHRASE)
    stamps: list[float] = []
    original = RecordList.render_line

    full: list[float] = []  # when a screenful of rows was first drawn since the last source

    def stamped(self: RecordList, y: int) -> Any:
        strip = original(self, y)
        stamps.append(time.perf_counter())
        if self.rendered_rows == min(self.visible_rows, self.total):
            full.append(stamps[-1])
        return strip

    RecordList.render_line = stamped  # type: ignore[method-assign]

    async def drawn(pilot: Any, started: float, settle: float = 0.02) -> float:
        """Seconds from ``started`` to the list's last line drawn (once drawing stopped)."""
        await pilot.pause()
        await asyncio.sleep(settle)
        await pilot.pause()
        after = [stamp for stamp in stamps if stamp >= started]
        return (after[-1] - started) if after else float("nan")

    app = make_app(Session.load(paths))
    figures: dict[str, Any] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Unlocked straight into the list: the home screen's own workers (its day counts
        # over 100k records) would share the CPU and blur what the list costs.
        app.session.open(key)
        app.pop_screen()
        await pilot.pause()

        started = time.perf_counter()
        app.switch_mode("records")
        await drawn(pilot, started)
        figures["open_list"] = full[0] - started
        screen = app.screen
        widget = screen.query_one(RecordList)
        figures["area_rows"] = widget.total

        await pilot.press("f9", "f9")  # the working RW, then its RT
        await drawn(pilot, time.perf_counter())
        before = widget.fetches
        started = time.perf_counter()
        await pilot.press("f9")  # every area: all the records
        figures["all_areas"] = await drawn(pilot, started)
        figures["all_rows"] = widget.total
        figures["first_fetches"] = widget.fetches - before

        widget.focus()
        await pilot.pause()
        steps = []
        for _ in range(SCROLL_STEPS):
            started = time.perf_counter()
            await pilot.press("pagedown")
            steps.append(await drawn(pilot, started, settle=0))
        figures["scroll_steps"] = steps
        figures["scroll_fetches"] = widget.fetches - before - figures["first_fetches"]
        started = time.perf_counter()
        await pilot.press("end")
        figures["jump_end"] = await drawn(pilot, started, settle=0)
        deep = []
        for _ in range(10):
            started = time.perf_counter()
            await pilot.press("pageup")
            deep.append(await drawn(pilot, started, settle=0))
        figures["deep_steps"] = deep

        queries = _queries(app.session.store)
        for scope in ("all", "desa"):
            if scope == "desa":
                await pilot.press("f9")  # back to the working desa
            await pilot.pause()
            screen.query_one("#records-search").focus()
            keys = []
            for query in queries:
                for char in query:
                    started = time.perf_counter()
                    await pilot.press("space" if char == " " else char)
                    keys.append(await drawn(pilot, started, settle=0))
                await pilot.press("escape")
                await pilot.pause()
            figures[f"typing_{scope}"] = keys
        figures["memory"] = _memory()
    return figures


def _queries(store: Any) -> list[str]:
    """What an officer types: name starts, two names, an NIK start, a phone number."""
    sample = store.list_records(order_by="updated", limit=40)
    names = [row["full_name"].lower() for row in sample if row.get("full_name")]
    niks = [row["nik"] for row in sample if row.get("nik")]
    phones = ["0" + row["phone"][3:] for row in sample if row.get("phone")]
    return [names[0][:6], " ".join(part[:3] for part in names[1].split()[:2]), "siti",
            niks[0][:10], phones[0][:11]]  # fmt: skip


def child(home: Path) -> None:
    """Entry of the measuring child: print the figures as one JSON line."""
    figures = asyncio.run(_measure(home))
    print(json.dumps(figures))


def bench_list(report: Report, home: Path, count: int) -> None:
    """Record list, typing and memory figures from the child process."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_tui", "child", str(home)],
        env={**os.environ, "OUTREACH_HOME": str(home)},
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    big = count >= 100_000
    report.add(
        f"record list: first rows, {figures['all_rows']:,} records (all areas)",
        ms(figures["all_areas"]),
        "< 300 ms" if big else "",
        figures["all_areas"] < 0.300 if big else None,
        f"filter change to a screenful drawn; {figures['first_fetches']} page read(s)",
    )
    report.add(
        f"  first open of the list ({figures['area_rows']:,} in the working desa)",
        ms(figures["open_list"]),
        "< 300 ms" if big else "",
        figures["open_list"] < 0.300 if big else None,
        "F3 to rows drawn, incl. importing and composing the screen",
    )
    steps = figures["scroll_steps"]
    p95 = percentile(steps, 95)
    report.add(
        "record list: one scroll step (page down)",
        f"p50 {ms(statistics.median(steps))} / p95 {ms(p95)}",
        "< 50 ms" if big else "",
        p95 < 0.050 if big else None,
        f"{len(steps)} steps from the top, {figures['scroll_fetches']} page reads (keyset, "
        f"read ahead while idle); max {ms(max(steps))}",
    )
    deep = figures["deep_steps"]
    report.add(
        "  End (jump to the last row) / page up from there",
        f"{ms(figures['jump_end'])} / p95 {ms(percentile(deep, 95))}",
        note="offset pages at the far end of the index (no keyset key there)",
    )
    for scope, label in (("desa", "working desa"), ("all", "all areas")):
        keys = figures[f"typing_{scope}"]
        report.add(
            f"search box: key press to list redrawn ({label})",
            f"p50 {ms(statistics.median(keys))} / p95 {ms(percentile(keys, 95))}",
            note=f"{len(keys)} keystrokes: names, NIK and phone prefixes; max {ms(max(keys))}",
        )
    memory = figures["memory"]
    report.add(
        f"TUI memory with {count:,} records",
        f"{memory['VmRSS']:.0f} MB RSS (peak {memory['VmHWM']:.0f} MB)",
        "< 150 MB" if big else "",
        memory["VmHWM"] < 150 if big else None,
        "after opening the list, scrolling to the end and searching",
    )


def run(report: Report, count: int) -> None:
    """Run the TUI benchmarks on a laptop with ``count`` generated records."""
    out = work_dir()
    started = time.perf_counter()
    home = build_home(count, out)
    built = time.perf_counter() - started
    if built > 1:
        report.add(f"  (made the {count:,}-record laptop)", f"{built:.1f} s", note=str(home))
    from bench.bench_attendance import bench_attendance
    from bench.bench_backup import bench_backup
    from bench.bench_tui_home import bench_home
    from bench.bench_tui_keys import bench_keys

    bench_cold_start(report, home)
    bench_list(report, home, count)
    bench_home(report, home, count)
    bench_keys(report, home, count, out)
    bench_attendance(report, home, count, out)
    bench_backup(report, home, count, out)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "child":
        child(Path(sys.argv[2]))
    else:
        sys.exit("usage: python -m bench --only tui [--records N]")
