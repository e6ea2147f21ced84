"""Groups and events through the central API (issue 14), SQLite and PostgreSQL side by side.

`python -m bench --only groups`. A laptop that ran a month of socialisation: 2,000 people, 20
groups (every person a member of one), 10 held events with 200 attendees each. The real client
pushes the records first, then the group phase (20 groups, 10 events, 2,000 memberships, 2,000
attendances) to `outreach server run` in its own process on loopback; the group phase is timed.
Then the console's Kelompok & kegiatan page is asked 10 times by a signed-in supervisor.
Budgets: the group phase under 5 s (a branch batch sync is dominated by records, 15 s per
100,000); the page under 300 ms.
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import time
from pathlib import Path

import requests

from bench.bench_console import supervisor_session
from bench.bench_sync import CentralProcess
from bench.common import Report, ms, percentile, work_dir
from outreach_tui.store import open_store
from sync.client import SyncClient, SyncConfig
from sync.summary import SyncSummary

PEOPLE = 2_000
GROUPS = 20
EVENTS = 10
PER_EVENT = 200
REPEATS = 10
PHASE_BUDGET = 5.0
PAGE_BUDGET = 0.300


def _laptop(path: Path) -> None:
    """The laptop's store: people, groups with members, held events with attendance."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    now = dt.datetime.now(dt.UTC)
    with open_store(path) as store:
        people = [
            {"full_name": f"Peserta Kelompok {n:04d}", "phone": f"0812{n:08d}",
             "occupation": "pedagang_pasar", "region_code": "32.01.01.1001", "rw": "003",
             "rt": "002", "status": "prospect"}
            for n in range(PEOPLE)
        ]  # fmt: skip
        ids = [saved.id for saved in store.save_records(people, actor="bench", officer_id="bench")]
        groups = [
            store.save_group({"name": f"Pasar {n:02d}", "kind": "pasar",
                              "region_code": "32.01.01.1001", "declared_workers": 500},
                             actor="bench", officer_id="bench")
            for n in range(GROUPS)
        ]  # fmt: skip
        size = PEOPLE // GROUPS
        for n, group in enumerate(groups):
            store.add_members(group, ids[n * size : (n + 1) * size], actor="bench")
        for n in range(EVENTS):
            start = now - dt.timedelta(days=2 + n)
            event = store.save_event(
                {"kind": "sosialisasi", "starts_at": start.isoformat(timespec="minutes"),
                 "held": True, "place": f"Balai {n}", "group_id": groups[n]},
                actor="bench", officer_id="bench", now=now,
            )  # fmt: skip
            for record_id in ids[n * PER_EVENT : (n + 1) * PER_EVENT]:
                store.attend(event, record_id, actor="bench")


def _page_times(db: str, url: str) -> list[float]:
    from sync.server import open_central

    storage = open_central(db)
    try:
        token = supervisor_session(storage)
    finally:
        storage.close()
    session = requests.Session()
    session.cookies.set("outreach_console", token, path="/console")
    samples = []
    for n in range(REPEATS + 1):
        started = time.perf_counter()
        page = session.get(f"{url}/console/groups", timeout=30)
        took = time.perf_counter() - started
        assert page.status_code == 200 and "Pasar 00" in page.text, page.status_code
        if n:
            samples.append(took)
    return samples


def run(report: Report, count: int) -> None:
    """Push the laptop to SQLite and to PostgreSQL; time the group phase and the page."""
    from tests.pg_cluster import PgCluster

    out = work_dir() / "groups-bench"
    out.mkdir(parents=True, exist_ok=True)
    source = out / "laptop.db"
    _laptop(source)
    cluster = PgCluster()
    try:
        targets = (("SQLite", str(out / "central.db")),
                   ("PostgreSQL", cluster.new_database("groups")))  # fmt: skip
        for label, db in targets:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{out / 'central.db'}{suffix}").unlink(missing_ok=True)
            laptop = out / f"laptop-{label}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{laptop}{suffix}").unlink(missing_ok=True)
            shutil.copy(source, laptop)
            server = CentralProcess(db, home=out / "server-home")
            try:
                with open_store(laptop) as store:
                    client = SyncClient(store, SyncConfig(server.url, server.token(),
                                                          batch_size=1000))  # fmt: skip
                    summary = SyncSummary()
                    client.push(summary)
                    client.pull(summary)
                    waiting = store.group_outbox_size()
                    started = time.perf_counter()
                    client.push_groups(summary)
                    took = time.perf_counter() - started
                    left = store.group_outbox_size()
                report.add(
                    f"group phase: {GROUPS} groups, {EVENTS} events, {PEOPLE:,} memberships, "
                    f"{EVENTS * PER_EVENT:,} attendances ({label})",
                    f"{took:.2f} s",
                    f"< {PHASE_BUDGET:.0f} s",
                    took < PHASE_BUDGET and left == 0,
                    f"{waiting:,} items, {waiting / took:,.0f} items/s; {left} left",
                )
                samples = _page_times(db, server.url)
                worst = max(samples)
                report.add(
                    f"console Kelompok & kegiatan page ({label})",
                    f"median {ms(statistics.median(samples))}, p90 {ms(percentile(samples, 90))}",
                    "< 300 ms",
                    worst < PAGE_BUDGET,
                    f"worst {ms(worst)} of {REPEATS}, over loopback HTTP",
                )
            finally:
                server.stop()
    finally:
        cluster.stop()
