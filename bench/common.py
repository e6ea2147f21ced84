"""Benchmark helpers: timing, percentiles and the budget table every benchmark prints."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table


@dataclass
class Row:
    """One measured figure next to its budget."""

    what: str
    measured: str
    budget: str = ""
    ok: bool | None = None
    note: str = ""


@dataclass
class Report:
    """All rows of a benchmark run; printed as one table at the end."""

    title: str
    rows: list[Row] = field(default_factory=list)

    def add(
        self, what: str, measured: str, budget: str = "", ok: bool | None = None, note: str = ""
    ) -> None:
        """Add a row (ok None: informational, no budget)."""
        self.rows.append(Row(what, measured, budget, ok, note))

    def print(self, console: Console | None = None) -> None:
        """Print the table; plain text when not on a terminal."""
        console = console or Console(width=None if Console().is_terminal else 160)
        table = Table(title=self.title)
        for column in ("what", "measured", "budget", "ok", "note"):
            table.add_column(column)
        for row in self.rows:
            mark = "" if row.ok is None else ("yes" if row.ok else "NO")
            table.add_row(row.what, row.measured, row.budget, mark, row.note)
        console.print(table)

    @property
    def all_ok(self) -> bool:
        """True when every budgeted row is within its budget."""
        return all(row.ok is not False for row in self.rows)


def percentile(samples: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of samples."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def time_each(fn: Callable[[], object], repeat: int) -> list[float]:
    """Run fn `repeat` times; seconds per call."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as t: ...` then t[0] holds the elapsed seconds."""
    holder: list[float] = []
    start = time.perf_counter()
    try:
        yield holder
    finally:
        holder.append(time.perf_counter() - start)


def ms(seconds: float) -> str:
    """Seconds as milliseconds for the table."""
    return f"{seconds * 1000:.2f} ms"


def median(samples: list[float]) -> float:
    """The median of samples."""
    return statistics.median(samples)


def work_dir(root: Path | None = None) -> Path:
    """Where benchmarks put their files (bench/out, ignored by git)."""
    path = root or Path(__file__).resolve().parent / "out"
    path.mkdir(parents=True, exist_ok=True)
    return path
