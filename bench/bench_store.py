"""Foundation benchmarks: import 100k CSV rows, save one record, search, on 100k records.

Budgets (DESIGN.md): save one record p99 < 10 ms; search top 50 p95 < 20 ms;
import 100k CSV rows < 10 s. The import is measured next to a plain sqlite-utils
`insert_all` of the same rows, so the ratio shows what validation costs.
"""

from __future__ import annotations

import csv
import random
import shutil
from datetime import date
from pathlib import Path

import sqlite_utils

from bench.common import Report, median, ms, percentile, stopwatch, time_each, work_dir
from bench.datagen import generate, write_csv
from outreach_tui.domain.record import validate_record
from outreach_tui.store import open_store
from outreach_tui.transfer.importer import import_csv

TODAY = date(2026, 11, 23)


def dataset(count: int, out: Path) -> Path:
    """The generated CSV of `count` records (made once, reused by later runs)."""
    path = out / f"records-{count}.csv"
    if not path.exists():
        write_csv(path, count, seed=42)
    return path


def fresh(path: Path) -> Path:
    """Remove a database and its WAL files so a run starts from nothing."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def bench_import(report: Report, csv_path: Path, out: Path, count: int) -> Path:
    """Import the CSV through validation into the store, then the same rows raw."""
    db_path = fresh(out / "bench-store.db")
    store = open_store(db_path)
    with stopwatch() as took:
        result = import_csv(csv_path, store, today=TODAY, actor="bench", officer_id="bench")
    store.close()
    assert not result.rejected, result.rejected[:3]
    seconds = took[0]
    report.add(
        f"import {count:,} CSV rows (validate + store)",
        f"{seconds:.2f} s",
        "< 10 s" if count >= 100_000 else "",
        seconds < 10 if count >= 100_000 else None,
        f"{count / seconds:,.0f} rows/s",
    )

    raw_path = fresh(out / "bench-raw.db")
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    raw = sqlite_utils.Database(raw_path)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    with stopwatch() as raw_took, raw.conn:
        raw["records"].insert_all(rows, batch_size=1000)
    raw.close()
    report.add(
        "  same rows, plain sqlite-utils insert_all",
        f"{raw_took[0]:.2f} s",
        note=f"ratio {seconds / raw_took[0]:.1f}x (validation, versions, FTS, change log, audit)",
    )
    return db_path


def bench_save(report: Report, db_path: Path, repeat: int = 1000) -> None:
    """Validate and durably save one new record at a time into the 100k store."""
    store = open_store(db_path)
    fresh_people = list(generate(repeat, seed=7, today=TODAY))
    for person in fresh_people:  # unique against the stored NIKs
        person["nik"] = ""
        person["consent"] = "false"
        person["status"] = "prospect"
        person["decline_reason"] = ""
    queue = iter(fresh_people)

    def save_one() -> None:
        result = validate_record(next(queue), today=TODAY)
        assert result.ok, result.errors
        store.save_record(result.record, actor="bench", officer_id="bench")

    samples = time_each(save_one, repeat)
    store.close()
    p99 = percentile(samples, 99)
    report.add(
        "save one record (validate + durable commit)",
        f"p50 {ms(median(samples))} / p99 {ms(p99)}",
        "p99 < 10 ms",
        p99 < 0.010,
        f"{repeat} saves, synchronous=FULL",
    )


def bench_search(report: Report, db_path: Path, repeat: int = 300) -> None:
    """Search by name prefix, NIK prefix and phone, top 50, on the 100k store."""
    store = open_store(db_path)
    rng = random.Random(3)
    sample = store.list_records(limit=5000, order_by="updated")
    names = [r["full_name"] for r in sample]
    niks = [r["nik"] for r in sample if r.get("nik")]
    phones = [r["phone"] for r in sample if r.get("phone")]
    kinds = {
        "name prefix": lambda: rng.choice(names).split()[0][: rng.randint(2, 6)],
        "two name prefixes": lambda: " ".join(p[:3] for p in rng.choice(names).split()[:2]),
        "NIK prefix": lambda: rng.choice(niks)[: rng.randint(4, 12)],
        "phone (08…)": lambda: "0" + rng.choice(phones)[3 : 3 + rng.randint(5, 11)],
    }
    everything: list[float] = []
    for label, make in kinds.items():
        queries = [make() for _ in range(repeat)]
        it = iter(queries)
        samples = time_each(lambda it=it: store.search(next(it), limit=50), repeat)
        everything.extend(samples)
        p95 = percentile(samples, 95)
        report.add(
            f"  search: {label}",
            f"p50 {ms(median(samples))} / p95 {ms(p95)}",
            "p95 < 20 ms",
            p95 < 0.020,
        )
    store.close()
    p95 = percentile(everything, 95)
    report.add(
        "search, top 50 (all kinds)",
        f"p50 {ms(median(everything))} / p95 {ms(p95)}",
        "p95 < 20 ms",
        p95 < 0.020,
    )


def run(report: Report, count: int, keep: bool = False) -> None:
    """Run the foundation benchmarks on `count` generated records."""
    out = work_dir()
    csv_path = dataset(count, out)
    db_path = bench_import(report, csv_path, out, count)
    bench_search(report, db_path)
    bench_save(report, db_path)
    if keep:
        shutil.copy(db_path, out / f"store-{count}.db")
