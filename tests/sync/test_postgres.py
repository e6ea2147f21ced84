"""What only the PostgreSQL central storage has: URLs, migrations under a lock, several
workers sharing one database and its rate limit, busy answered 503, readiness."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import psycopg
import pytest
import requests
from click.testing import CliRunner

from outreach_tui.cli import main
from sync.server import ServerSettings, open_central
from sync.server.pg_schema import current_version, migrate, migrations
from sync.server.pg_storage import ALL_BRANCHES, PostgresCentralStorage
from tests.sync.conftest import (
    enrolled_record,
    make_record,
    record_item,
    statuses,
)

pytestmark = pytest.mark.postgres_only


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_bad_database_urls_say_what_and_create_nothing(tmp_path, monkeypatch, pg_cluster) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    cases = {
        "mysql://u@127.0.0.1/db": "mysql",
        "postgresql://": "nama basis data",
        f"postgresql://u:rahasia-sekali@127.0.0.1:{pg_cluster.port + 1}/db": "dihubungi",
    }  # fmt: skip
    for url, said in cases.items():
        result = _cli("server", "add-device", "--db", url, "--officer-id", "p", "--branch", "KC")
        assert result.exit_code == 2, result.output
        assert said in result.output
        assert "rahasia-sekali" not in result.output  # the password is never printed
    # The old bug: a folder named `postgresql:` with a SQLite file in it.
    assert list(work.iterdir()) == []
    # A database that exists but was never made central: commands other than run/migrate
    # refuse it, and make no tables in it.
    empty = pg_cluster.new_database()
    result = _cli("server", "export", "--db", empty, "--format", "json")
    assert result.exit_code == 2 and "bukan basis data pusat" in result.output
    with psycopg.connect(empty) as conn:
        assert current_version(conn) == 0


def test_url_from_the_environment(monkeypatch, pg_cluster) -> None:
    url = pg_cluster.new_database()
    monkeypatch.setenv("OUTREACH_CENTRAL_DB", url)
    assert _cli("server", "migrate").exit_code == 0
    added = _cli("server", "add-device", "--officer-id", "p-1", "--branch", "KC", "--json")
    assert added.exit_code == 0, added.output
    with PostgresCentralStorage(url) as storage:
        assert storage.schema_version() == len(migrations())


def test_migrations_apply_once_when_workers_start_together(pg_cluster) -> None:
    url = pg_cluster.new_database()
    errors: list[BaseException] = []
    applied: list[int] = []

    def start() -> None:
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                applied.extend(m.version for m in migrate(conn, at="t"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(applied) == [m.version for m in migrations()]  # each exactly once
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [m.version for m in migrations()]


def test_upgrade_from_the_previous_schema_keeps_the_data(
    pg_cluster, central_server_factory
) -> None:
    url = pg_cluster.new_database()
    previous = len(migrations()) - 1
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn, upto=previous, at="t")
        assert current_version(conn) == previous
    # Data written by the previous schema, through the storage (it only needs those tables).
    with PostgresCentralStorage(url, migrate_schema=False) as old:
        from sync.server.auth import issue_device
        from sync.server.central import utc_stamp

        token = issue_device(old, "petugas-1", "KC-BOGOR", at=utc_stamp()).token
    dry = _cli("server", "migrate", "--db", url, "--dry-run")
    assert dry.exit_code == 0 and f"{len(migrations()):04d}" in dry.output
    with psycopg.connect(url) as conn:
        assert current_version(conn) == previous  # a dry run changes nothing
    done = _cli("server", "migrate", "--db", url)
    assert done.exit_code == 0, done.output
    storage = open_central(url)
    server = central_server_factory(storage=storage)
    record = enrolled_record(1)
    assert statuses(server.push(token, [record_item(record)])) == ["accepted"]
    assert storage.record(record["id"]).kpj_number
    storage.close()


def test_busy_database_answers_503_with_retry_after(pg_cluster, central_server_factory) -> None:
    url = pg_cluster.new_database()
    storage = PostgresCentralStorage(url, lock_timeout_ms=300)
    server = central_server_factory(storage=storage)
    token = server.add_device()
    with psycopg.connect(url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (ALL_BRANCHES,))  # every writer waits
        response = server.push(token, [record_item(make_record(1))])
        holder.execute("SELECT pg_advisory_unlock(%s)", (ALL_BRANCHES,))
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.json()["code"] == "storage_busy"
    # Sent again once the lock is free: stored exactly once.
    item = record_item(make_record(2))
    assert statuses(server.push(token, [item])) == ["accepted"]
    assert statuses(server.push(token, [item])) == ["duplicate"]
    storage.close()


def test_readiness_says_whether_the_database_answers(pg_cluster, central_server_factory) -> None:
    storage = PostgresCentralStorage(pg_cluster.new_database())
    server = central_server_factory(storage=storage)
    ready = requests.get(f"{server.url}/v1/ready", timeout=5)
    assert ready.status_code == 200 and ready.json()["database"] == "ok"
    assert set(ready.json()) == {"status", "database", "server_time"}  # nothing else said
    storage._pool.close()  # the database goes away under the server
    gone = requests.get(f"{server.url}/v1/ready", timeout=10)
    assert gone.status_code == 503 and gone.json()["database"] == "unreachable"
    assert requests.get(f"{server.url}/v1/health", timeout=5).status_code == 200


def test_the_rate_limit_is_shared_by_storages(pg_cluster, central_server_factory) -> None:
    """Two servers (as two workers) on one database: a device's budget is one, not two."""
    url = pg_cluster.new_database()
    settings = ServerSettings(rate_per_second=0.01, rate_burst=3)
    first = central_server_factory(settings=settings, storage=PostgresCentralStorage(url))
    second = central_server_factory(settings=settings, storage=PostgresCentralStorage(url))
    token = first.add_device()
    codes = [
        (first if n % 2 else second).pull(token).status_code for n in range(6)
    ]  # fmt: skip
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429, 429]


def test_workers_serve_one_database_and_survive_a_killed_worker(tmp_path, pg_cluster) -> None:
    url = pg_cluster.new_database()
    refused = _cli("server", "run", "--db", str(tmp_path / "c.db"), "--workers", "2")
    assert refused.exit_code == 2 and "PostgreSQL" in refused.output
    assert not (tmp_path / "c.db").exists()
    process = subprocess.Popen(
        [sys.executable, "-m", "outreach_tui.cli", "server", "run", "--db", url, "--port", "0",
         "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = re.search(r"(http://\S+)", process.stdout.readline()).group(1)  # type: ignore[union-attr]
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/v1/ready", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
        added = _cli("server", "add-device", "--db", url, "--officer-id", "p-1", "--branch", "KC",
                     "--json")  # fmt: skip
        import json

        token = json.loads(added.output)["token"]
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        items = [record_item(enrolled_record(n)) for n in range(600)]
        first = session.post(f"{base}/v1/push", json={"batch_id": "b0", "items": items[:100]},
                             timeout=60)  # fmt: skip
        assert first.status_code == 200
        # SIGKILL every worker while a 500-record push is in flight: the supervisor starts new
        # ones; whatever was acknowledged stays, the rest was rolled back, nothing is half-kept.
        children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                                  text=True).stdout.split()  # fmt: skip
        assert len(children) >= 2
        inflight: dict[str, Any] = {}

        def push_rest() -> None:
            try:
                inflight["r"] = session.post(
                    f"{base}/v1/push", json={"batch_id": "b1", "items": items[100:]}, timeout=60
                )
            except requests.RequestException as exc:
                inflight["r"] = exc

        pusher = threading.Thread(target=push_rest)
        pusher.start()
        time.sleep(0.15)
        for child in children:
            subprocess.run(["kill", "-9", child], check=False)
        pusher.join(60)
        # The laptop sends the whole outbox again until it is acknowledged.
        again = None
        deadline = time.monotonic() + 60
        while again is None or again.status_code != 200:
            try:
                again = session.post(
                    f"{base}/v1/push", json={"batch_id": "b2", "items": items}, timeout=60
                )
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        answered = [r["status"] for r in again.json()["results"]]
        assert set(answered[:100]) == {"duplicate"}  # acknowledged before: kept
        assert set(answered) <= {"accepted", "duplicate"}
        with psycopg.connect(url) as conn:
            stored = conn.execute("SELECT count(*), count(DISTINCT k.kpj_number) FROM records r "
                                  "JOIN kpj_numbers k ON k.rid = r.rid").fetchone()  # fmt: skip
        assert stored == (600, 600)  # every record exactly once, each with its own KPJ
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
