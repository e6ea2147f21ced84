"""PostgreSQL connections that die: under a push (503, nothing half-written, the next push
converges) and while idle in the pool (replaced; the next request is served)."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest

from sync.server.pg_storage import ALL_BRANCHES, PostgresCentralStorage
from tests.sync.conftest import enrolled_record, record_item, statuses

pytestmark = pytest.mark.postgres_only


def _kill(url: str, where: str) -> int:
    """Terminate the server's backends matching `where`; returns how many."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a "
            f"WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND {where}"
        ).fetchall()
    return len(rows)


def test_a_connection_killed_mid_push_answers_503_and_the_resend_converges(
    pg_cluster: Any, central_server_factory: Any
) -> None:
    url = pg_cluster.new_database()
    storage = PostgresCentralStorage(url)
    server = central_server_factory(storage=storage)
    token = server.add_device()
    items = [record_item(enrolled_record(n)) for n in range(50)]
    answer: dict[str, Any] = {}
    with psycopg.connect(url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (ALL_BRANCHES,))
        pusher = threading.Thread(target=lambda: answer.update(r=server.push(token, items)))
        pusher.start()
        deadline = time.monotonic() + 20
        # The push's transaction waits for the lock: kill that backend mid-transaction.
        while not _kill(url, "a.wait_event_type = 'Lock'"):
            assert time.monotonic() < deadline, "the push never waited for the lock"
            time.sleep(0.05)
        pusher.join(30)
        holder.execute("SELECT pg_advisory_unlock(%s)", (ALL_BRANCHES,))
    assert answer["r"].status_code == 503 and answer["r"].headers["Retry-After"]
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone() == (0,)  # nothing half
    assert statuses(server.push(token, items)) == ["accepted"] * 50
    assert statuses(server.push(token, items)) == ["duplicate"] * 50
    storage.close()


def test_idle_pool_connections_killed_are_replaced(
    pg_cluster: Any, central_server_factory: Any
) -> None:
    url = pg_cluster.new_database()
    storage = PostgresCentralStorage(url, min_size=2)
    server = central_server_factory(storage=storage)
    token = server.add_device()
    assert server.pull(token).status_code == 200
    assert _kill(url, "a.state = 'idle'") >= 1
    # The pool checks a connection before lending it: the next requests are served.
    assert server.pull(token).status_code == 200
    assert statuses(server.push(token, [record_item(enrolled_record(1))])) == ["accepted"]
    storage.close()
