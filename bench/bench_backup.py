"""TUI suite, laptop safety: `outreach backup` and `outreach restore` of a 100k-record laptop.

Runs the real commands in subprocesses (as an officer would), on the benchmark laptop of
`bench_tui.build_home`, and restores into a fresh home. Budgets: backup < 10 s, restore < 15 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.bench_tui import PASSPHRASE
from bench.common import Report


def _outreach(*args: str, home: Path) -> float:
    env = {**os.environ, "OUTREACH_HOME": str(home), "OUTREACH_PASSPHRASE": PASSPHRASE}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "outreach_tui.cli", *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"outreach {args[0]} failed: {done.stderr[-500:]}")
    return elapsed


def bench_backup(report: Report, home: Path, count: int, out: Path) -> None:
    """Back up the laptop, then restore it on a fresh home; both timed end to end."""
    folder = out / "backups"
    shutil.rmtree(folder, ignore_errors=True)
    took = _outreach("backup", "--to", str(folder), home=home)
    (made,) = folder.glob("*.outreach-backup")
    size = made.stat().st_size / 1024**2
    report.add(
        f"backup of a {count:,}-record laptop (copy + verify)", f"{took:.2f} s", "< 10 s",
        took < 10, f"{size:.0f} MiB file, checked after writing",
    )  # fmt: skip
    fresh = out / "restored-home"
    shutil.rmtree(fresh, ignore_errors=True)
    took = _outreach("restore", str(made), home=fresh)
    report.add(
        "restore of that backup on a new laptop", f"{took:.2f} s", "< 15 s", took < 15,
        "hashes, passphrase, integrity check, install",
    )  # fmt: skip
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
