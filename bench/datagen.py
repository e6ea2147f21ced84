"""Realistic test data for outreach, written as CSV (the import format).

    python -m bench.datagen --count 100000 --out records.csv [--seed N] [--area 32.01]

The generator itself lives in :mod:`outreach_tui.sampledata` (it also fills the store of
`outreach demo`); this module writes its rows as CSV. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from outreach_tui.sampledata import FIELDS, TODAY, generate

__all__ = ["FIELDS", "TODAY", "generate", "main", "write_csv"]


def _write_rows(out: TextIO, rows: Iterable[dict[str, str]]) -> int:
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def write_csv(path: str | Path, count: int, seed: int = 42, **kw: object) -> int:
    """Write `count` generated records (UTF-8, header row) to `path` ("-" is stdout).

    Keyword arguments go to generate() (today, area, messy). Returns the number of rows.
    """
    rows = generate(count, seed=seed, **kw)  # type: ignore[arg-type]
    if str(path) == "-":
        return _write_rows(sys.stdout, rows)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        return _write_rows(fh, rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.datagen",
        description="Write realistic outreach records (the CSV import format).",
    )
    parser.add_argument("--count", type=int, default=1000, help="number of rows (default 1000)")
    parser.add_argument("--out", default="-", help="CSV file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--area", help="keep addresses under this region code, e.g. 32.01")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=TODAY,
        help=f"reference date for ages and follow-ups (default {TODAY.isoformat()})",
    )
    parser.add_argument("--clean", action="store_true", help="no capitals, stray spaces, etc.")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must not be negative")
    started = time.perf_counter()
    options = {"today": args.today, "area": args.area, "messy": not args.clean}
    try:
        n = write_csv(args.out, args.count, seed=args.seed, **options)
    except ValueError as exc:
        parser.error(str(exc))
    except BrokenPipeError:  # `... | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    elapsed = time.perf_counter() - started
    where = "stdout" if args.out == "-" else args.out
    print(f"wrote {n} rows to {where} in {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
