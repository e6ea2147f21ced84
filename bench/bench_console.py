"""Branch console at the server: overview and review queue for a branch of 200,000 records.

`python -m bench --only console`. One branch holding 200,000 records (50 officers, 50 devices,
20 desa x 10 RW, statuses and decline reasons spread, 300 duplicate NIKs awaiting a decision)
plus 20,000 records of another branch, loaded straight into the central database (SQLite and
PostgreSQL, side by side). Each page is asked by a signed-in supervisor through the real app
(in-process ASGI: the server's time, without the network), 10 times after one warm-up.
Budget (issue 13): overview and review queue under 300 ms at the server.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

from bench.common import Report, ms, percentile, work_dir

RECORDS = 200_000
OTHER_BRANCH = 20_000
OFFICERS = 50
FLAGGED = 300
REPEATS = 10
BUDGET = 0.300
STATUSES = ("prospect",) * 3 + ("enrolled",) * 4 + ("declined",) * 2 + ("follow_up",)
REASONS = ("biaya", "belum_butuh", "tidak_percaya", "lainnya")


def _rows(branch: str, count: int, today: dt.date) -> list[tuple[Any, ...]]:
    rng = random.Random(f"{branch}-{count}")
    rows = []
    for n in range(count):
        record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        status = rng.choice(STATUSES)
        region = f"32.01.{1 + n % 4:02d}.{1001 + n % 20}"
        rw = f"{1 + (n // 20) % 10:03d}"
        reason = rng.choice(REASONS) if status == "declined" else None
        created = today - dt.timedelta(days=rng.randrange(60))
        stamp = created.isoformat() + "T08:00:00.000Z"
        nik = f"32{1 if branch == 'KC-BENCH' else 2}{n:013d}"  # unique across both branches
        record = {"id": record_id, "full_name": f"Warga {n}", "nik": nik,
                  "status": status, "region_code": region, "rw": rw, "rt": "001",
                  "decline_reason": reason, "occupation": "ojol"}  # fmt: skip
        active = "active" if status == "enrolled" and n % 3 == 0 else None
        rows.append((n + 1 if branch == "KC-BENCH" else RECORDS + n + 1, record_id, branch,
                     f"petugas-{n % OFFICERS:02d}", 1, "h", json.dumps(record),
                     record["nik"], active, None, stamp, stamp, status, region, rw,
                     reason))  # fmt: skip
    return rows


def _flag(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The last FLAGGED records get the NIK of an earlier one, flagged as its duplicate."""
    out = list(rows)
    for i in range(FLAGGED):
        holder, flagged = out[i], out[-(i + 1)]
        out[-(i + 1)] = (*flagged[:7], holder[7], flagged[8], holder[1], *flagged[10:])
    return out


COLUMNS = ("rid, record_id, branch, officer_id, version, content_hash, record, nik, "
           "central_status, duplicate_of, created_at, updated_at, status, region_code, rw, "
           "decline_reason")  # fmt: skip


def _load(db: str, rows: list[tuple[Any, ...]], devices: list[tuple[Any, ...]]) -> None:
    from sync.server import open_central

    open_central(db, create=True).close()  # the schema, migrated
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db) as conn, conn.cursor() as cur:
            with cur.copy(f"COPY records ({COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cur.copy("COPY devices (device_id, officer_id, branch, token_hash, created_at) "
                          "FROM STDIN") as copy:  # fmt: skip
                for row in devices:
                    copy.write_row(row)
            cur.execute("ANALYZE")
        return
    import sqlite3

    conn = sqlite3.connect(db)
    with conn:
        marks = ", ".join("?" * 16)
        conn.executemany(f"INSERT INTO records ({COLUMNS}) VALUES ({marks})", rows)
        conn.executemany(
            "INSERT INTO devices (device_id, officer_id, branch, token_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            devices,
        )
    conn.execute("ANALYZE")
    conn.close()


def supervisor_session(storage: Any) -> str:
    """A signed-in supervisor of KC-BENCH: the console's session token (the cookie's value)."""
    from sync.server.console.store import ConsoleStore

    console = ConsoleStore(storage)
    code = console.add_staff("KC-BENCH", "kepala", "supervisor", by="bench")
    console.set_password("kepala", code, "kata-sandi-bench-panjang")
    return console.sign_in("kepala", "kata-sandi-bench-panjang")[1]


def _timings(db: str) -> dict[str, list[float]]:
    from fastapi.testclient import TestClient

    from sync.server import ServerSettings, create_app, open_central

    storage = open_central(db)
    try:
        token = supervisor_session(storage)
        app = create_app(storage, settings=ServerSettings(rate_per_second=None))
        client = TestClient(app, base_url="http://127.0.0.1")
        client.cookies.set("outreach_console", token, path="/console")
        times: dict[str, list[float]] = {}
        for page, check in (("/console/", "fig-month"), ("/console/review", "dup-")):
            samples = []
            for n in range(REPEATS + 1):
                started = time.perf_counter()
                answer = client.get(page)
                took = time.perf_counter() - started
                assert answer.status_code == 200 and check in answer.text, answer.text[:300]
                if n:
                    samples.append(took)
            times[page] = samples
        return times
    finally:
        storage.close()


def run(report: Report, count: int) -> None:
    """Load the branch on SQLite and PostgreSQL, then time the two pages on each."""
    from tests.pg_cluster import PgCluster

    today = dt.date.today()
    rows = _flag(_rows("KC-BENCH", RECORDS, today)) + _rows("KC-OTHER", OTHER_BRANCH, today)
    devices = [(str(uuid.uuid4()), f"petugas-{n % OFFICERS:02d}", "KC-BENCH", uuid.uuid4().hex,
                "2026-01-01T00:00:00.000Z") for n in range(50)]  # fmt: skip
    out = work_dir() / "console-bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "console.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    cluster = PgCluster()
    try:
        for label, db in (("SQLite", str(path)), ("PostgreSQL", cluster.new_database("console"))):
            started = time.perf_counter()
            _load(db, rows, devices)
            loaded = time.perf_counter() - started
            for page, samples in _timings(db).items():
                worst = max(samples)
                name = "overview" if page == "/console/" else "review queue"
                report.add(
                    f"console {name}, {RECORDS:,} records, 50 devices ({label})",
                    f"median {ms(statistics.median(samples))}, p90 {ms(percentile(samples, 90))}",
                    "< 300 ms at the server",
                    worst < BUDGET,
                    f"worst {ms(worst)} of {REPEATS}; {FLAGGED} duplicates waiting; "
                    f"loaded in {loaded:.1f} s",
                )
    finally:
        cluster.stop()
