"""Sync benchmark: push 100k records to the central API on loopback, next to one per request.

Budget (DESIGN.md): push 100k records < 15 s, and >= 30x faster than one record per
request. The server runs as its own process (`outreach server run`), as it would at the
branch, so client and server do not share one interpreter lock.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from click.testing import CliRunner

from bench.common import Report, stopwatch, work_dir
from outreach_tui.cli import main
from outreach_tui.store import open_store
from sync.client import SyncClient, SyncConfig

SINGLE_SAMPLE = 1500


class _Enough(Exception):
    """Stops the one-record-per-request run after its sample."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class CentralProcess:
    """`outreach server run` in a child process on a free loopback port."""

    def __init__(self, db: Path | str, home: Path | None = None) -> None:
        self.db = db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        home = home or Path(db).parent / "server-home"
        env = {**os.environ, "OUTREACH_HOME": str(home)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "outreach_tui.cli", "server", "run", "--db", str(db),
             "--port", str(self.port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/v1/health", timeout=1).ok:
                    return
            except requests.RequestException:  # not listening yet, or still starting up
                time.sleep(0.1)
        raise RuntimeError("the central API did not start")

    def token(self) -> str:
        """A device token for the bench officer."""
        import json

        out = CliRunner().invoke(
            main, ["server", "add-device", "--db", str(self.db), "--officer-id", "bench",
                   "--branch", "KC-BENCH", "--json"],
        )  # fmt: skip
        return str(json.loads(out.stdout)["token"])

    def stop(self) -> None:
        """Stop the server."""
        self.process.terminate()
        self.process.wait(20)


def _fresh_copy(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    with open_store(source) as store:  # checkpoint the WAL into the main file first
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(source, target)
    return target


def run(report: Report, store_db: Path) -> None:
    """Push every record of `store_db` in batches, then a sample one record per request."""
    out = work_dir()
    for name in ("central-batch.db", "central-single.db"):
        for suffix in ("", "-wal", "-shm"):
            Path(str(out / name) + suffix).unlink(missing_ok=True)

    laptop = _fresh_copy(store_db, out / "laptop-batch.db")
    server = CentralProcess(out / "central-batch.db")
    try:
        with open_store(laptop) as store:
            total = store.outbox_size()
            client = SyncClient(store, SyncConfig(server.url, server.token(), batch_size=1000))
            with stopwatch() as took:
                summary = client.run()
        assert summary.complete, summary
    finally:
        server.stop()
    seconds = took[0]
    batch_rate = summary.sent / seconds
    report.add(
        f"push {summary.sent:,} records, batches of 1000",
        f"{seconds:.2f} s",
        "< 15 s" if total >= 100_000 else "",
        seconds < 15 if total >= 100_000 else None,
        f"{batch_rate:,.0f} records/s",
    )
    report.add(
        "  bytes on the wire (gzip / raw JSON)",
        f"{summary.bytes_sent / 1e6:.1f} MB / {summary.bytes_raw / 1e6:.1f} MB",
        note=f"gzip saves {100 * (1 - summary.bytes_sent / summary.bytes_raw):.0f}%",
    )

    laptop = _fresh_copy(store_db, out / "laptop-single.db")
    server = CentralProcess(out / "central-single.db")
    sent = 0
    try:
        with open_store(laptop) as store:

            def stop_after_sample(_phase: str, done: int, _total: int) -> None:
                nonlocal sent
                sent = done
                if done >= SINGLE_SAMPLE:
                    raise _Enough

            client = SyncClient(
                store,
                SyncConfig(server.url, server.token(), batch_size=1),
                progress=stop_after_sample,
            )
            with stopwatch() as single, contextlib.suppress(_Enough):
                client.run()
    finally:
        server.stop()
    single_rate = sent / single[0]
    ratio = batch_rate / single_rate
    report.add(
        f"  one record per request ({sent:,} sent)",
        f"{single_rate:,.0f} records/s",
        ">= 30x slower than batches",
        ratio >= 30,
        f"batches are {ratio:.0f}x faster; 100k would take {100_000 / single_rate:.0f} s",
    )


def run_suite(report: Report, count: int) -> None:
    """Entry for `python -m bench`: uses the store the foundation suite built."""
    from bench.bench_store import TODAY, dataset, fresh
    from outreach_tui.transfer.importer import import_csv

    out = work_dir()
    db = out / "bench-store.db"
    if not db.exists():
        csv_path = dataset(count, out)
        store = open_store(fresh(db))
        import_csv(csv_path, store, today=TODAY, actor="bench", officer_id="bench")
        store.close()
    run(report, db)
