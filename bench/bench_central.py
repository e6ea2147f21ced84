"""Central API under many devices at once: SQLite (1 worker) next to PostgreSQL (1 and 2).

`python -m bench --only central`. N simulated laptops on loopback (N = 1, 40, 200), each pushing
its own batches of enrolled people and then pulling, all at once, against `outreach server
run` as its own process(es). Bodies (gzip JSON) are prepared before the clock starts; each
device is one thread with its own HTTP session, and retries a 503/429 after Retry-After as the
laptop does. Printed per run: records/s in aggregate, its ratio to one device alone, batch
p50/p95/p99, answers other than 200 by status, and whether every record is stored exactly once
with unique KPJ numbers. Budgets (DESIGN.md): 0 errors and exactly once at 200 devices; on
PostgreSQL a batch p99 < 2 s at 40 devices and an aggregate at 40 devices >= one device alone.
The 100k push of `--only sync` is also run on PostgreSQL, next to SQLite.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import requests

from bench.common import Report, ms, percentile, work_dir

DEVICES = (1, 40, 200)
BATCHES = 3  # per device
BATCH = 100  # records per batch
CONFIGS = (("SQLite, 1 worker", "sqlite", 1), ("PostgreSQL, 1 worker", "postgres", 1),
           ("PostgreSQL, 2 workers", "postgres", 2))  # fmt: skip


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`outreach server run --db DB --workers W` as child processes on a free port."""

    def __init__(self, db: str, workers: int, home: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "OUTREACH_HOME": str(home)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "outreach_tui.cli", "server", "run", "--db", db, "--port",
             str(self.port), "--workers", str(workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/v1/ready", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("the central API did not start")

    def stop(self) -> None:
        import signal

        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _bodies(devices: int) -> list[list[tuple[bytes, int]]]:
    """Per device, its batches as gzip JSON bodies (and how many enrolled records each holds)."""
    from tests.sync.conftest import enrolled_record, record_item

    run = uuid.uuid4().int % 10_000
    out = []
    for device in range(devices):
        batches = []
        for batch in range(BATCHES):
            items = [
                record_item(enrolled_record(run * 997 + (device * BATCHES + batch) * BATCH + i))
                for i in range(BATCH)
            ]
            body = json.dumps({"batch_id": str(uuid.uuid4()), "items": items}).encode()
            batches.append((gzip.compress(body, 5), len(items)))
        out.append(batches)
    return out


def _device(url: str, token: str, bodies: list[tuple[bytes, int]], out: dict[str, Any]) -> None:
    """One laptop: push its batches (retrying 503/429 after Retry-After), then pull once."""
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                            "Content-Encoding": "gzip"})  # fmt: skip
    for body, _count in bodies:
        started = time.perf_counter()
        while True:
            try:
                answer = session.post(f"{url}/v1/push", data=body, timeout=120)
                status = answer.status_code
            except requests.RequestException:
                status = 0
            if status != 200:
                out["statuses"][status] += 1
            if status in (429, 503):
                time.sleep(float(answer.headers.get("Retry-After", "1")))
                continue
            break
        out["latencies"].append(time.perf_counter() - started)
        if status == 200:
            out["stored"] += sum(r["status"] in ("accepted", "duplicate")
                                 for r in answer.json()["results"])  # fmt: skip
    pulled = session.get(f"{url}/v1/pull", params={"cursor": 0}, timeout=120)
    if pulled.status_code != 200:
        out["statuses"][pulled.status_code] += 1
    session.close()


def _one_run(db: str, workers: int, devices: int, home: Path) -> dict[str, Any]:
    from sync.server import open_central
    from sync.server.auth import issue_device
    from sync.server.central import utc_stamp

    storage = open_central(db)
    tokens = [issue_device(storage, f"p-{n}", f"KC-{n % 20:02d}", at=utc_stamp()).token
              for n in range(devices)]  # fmt: skip
    storage.close()
    bodies = _bodies(devices)
    server = Server(db, workers, home)
    out: dict[str, Any] = {"statuses": Counter(), "latencies": [], "stored": 0}
    threads = [
        threading.Thread(target=_device, args=(server.url, tokens[n], bodies[n], out))
        for n in range(devices)
    ]
    try:
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    finally:
        server.stop()
    expected = devices * BATCHES * BATCH
    storage = open_central(db, create=False)
    states = list(storage.current_records())
    storage.close()
    kpjs = [s.kpj_number for s in states]
    once = (len(states) == expected and len({s.record_id for s in states}) == expected
            and None not in kpjs and len(set(kpjs)) == expected)  # fmt: skip
    return {"seconds": seconds, "records": expected, "latencies": out["latencies"],
            "statuses": dict(out["statuses"]), "once": once}  # fmt: skip


def run(report: Report, count: int) -> None:
    """Every configuration at every number of devices, then the 100k push on PostgreSQL."""
    from tests.pg_cluster import PgCluster

    out = work_dir() / "central-bench"
    out.mkdir(parents=True, exist_ok=True)
    cluster = PgCluster()
    try:
        for label, kind, workers in CONFIGS:
            alone = None
            for devices in DEVICES:
                if kind == "sqlite":
                    path = out / f"sqlite-{devices}.db"
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
                    db = str(path)
                else:
                    db = cluster.new_database(f"bench{devices}")
                figures = _one_run(db, workers, devices, out / "home")
                rate = figures["records"] / figures["seconds"]
                alone = alone or rate
                lat = figures["latencies"]
                errors = {k: v for k, v in figures["statuses"].items() if k not in (429, 503)}
                retried = {k: v for k, v in figures["statuses"].items() if k in (429, 503)}
                p99 = percentile(lat, 99)
                budget, ok = "", None
                if devices == 200:
                    budget, ok = "0 errors, exactly once", not errors and figures["once"]
                if kind == "postgres" and devices == 40:
                    budget = "p99 < 2 s, >= 1 device alone, 0 errors"
                    ok = p99 < 2.0 and rate >= alone and not errors and figures["once"]
                report.add(
                    f"{label}: {devices} device(s) push {figures['records']:,} + pull",
                    f"{rate:,.0f} records/s ({rate / alone:.2f}x one device)",
                    budget,
                    ok,
                    f"batch p50 {ms(statistics.median(lat))} / p95 {ms(percentile(lat, 95))} / "
                    f"p99 {ms(p99)}; errors {errors or 0}; retried {retried or 0}; "
                    f"exactly once with unique KPJ: {'yes' if figures['once'] else 'NO'}",
                )
        _push_100k_on_postgres(report, cluster)
    finally:
        cluster.stop()


def _push_100k_on_postgres(report: Report, cluster: Any) -> None:
    """The `--only sync` 100k push, on PostgreSQL (the SQLite row is that suite's)."""
    from bench import bench_sync
    from bench.common import stopwatch
    from outreach_tui.store import open_store
    from sync.client import SyncClient, SyncConfig

    out = work_dir()
    source = out / "bench-store.db"
    if not source.exists():
        report.add("push 100k on PostgreSQL", "skipped", note="run --only sync first: no store")
        return
    results = {}
    for kind in ("sqlite", "postgres"):
        laptop = bench_sync._fresh_copy(source, out / f"laptop-{kind}.db")
        if kind == "sqlite":
            db = out / "central-100k-sqlite.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            target = str(db)
        else:
            target = cluster.new_database("push100k")
        from sync.server import open_central
        from sync.server.auth import issue_device
        from sync.server.central import utc_stamp

        storage = open_central(target)
        token = issue_device(storage, "bench", "KC-BENCH", at=utc_stamp()).token
        storage.close()
        server = Server(target, 1, out / "central-bench" / "home")
        try:
            with open_store(laptop) as store:
                client = SyncClient(store, SyncConfig(server.url, token, batch_size=1000))
                with stopwatch() as took:
                    summary = client.run()
        finally:
            server.stop()
        results[kind] = (summary.sent, took[0], summary.complete)
    for kind, (sent, seconds, complete) in results.items():
        name = "SQLite" if kind == "sqlite" else "PostgreSQL"
        report.add(
            f"push {sent:,} records in batches of 1000, {name}",
            f"{seconds:.2f} s",
            "< 15 s" if sent >= 100_000 else "",
            (seconds < 15 and complete) if sent >= 100_000 else None,
            f"{sent / seconds:,.0f} records/s; every item acknowledged: {complete}",
        )
