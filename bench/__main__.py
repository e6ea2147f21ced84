"""`python -m bench`: run the benchmarks and print the budget table.

Options: --records N (default 100,000), --only NAME[,NAME] (store, sync, security, slips, tui,
central, console, groups).
"""

from __future__ import annotations

import argparse
import sys

from bench import (
    bench_central,
    bench_console,
    bench_groups,
    bench_security,
    bench_slips,
    bench_store,
    bench_sync,
    bench_tui,
)
from bench.common import Report

SUITES = {
    "store": bench_store.run,
    "sync": bench_sync.run_suite,
    "security": bench_security.run,
    "slips": bench_slips.run,
    "tui": bench_tui.run,
    "central": bench_central.run,
    "console": bench_console.run,
    "groups": bench_groups.run,
}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen suites; exit 1 when a budget is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--records", type=int, default=100_000, help="records to generate")
    parser.add_argument("--only", default=",".join(SUITES), help="comma-separated suites")
    args = parser.parse_args(argv)
    report = Report(f"outreach benchmarks, {args.records:,} records")
    for name in args.only.split(","):
        if name not in SUITES:
            parser.error(f"unknown suite {name!r}; known: {', '.join(SUITES)}")
        SUITES[name](report, args.records)
    report.print()
    return 0 if report.all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
