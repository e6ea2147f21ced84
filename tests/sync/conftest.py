"""The real central API on loopback for sync tests: uvicorn in a thread, a fresh SQLite file each.

`central_server` yields a running server (`.url`, `.db_path`, `.storage`, `.add_device()`);
`central_server_factory` starts more of them, with other settings or another storage. The helper
functions below build valid records and push items, so tests state only what they are about.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn
from fastapi import FastAPI

from sync.protocol import content_hash
from sync.server import ServerSettings, SqliteCentralStorage, create_app, open_central
from sync.server.auth import issue_device
from sync.server.central import utc_stamp
from sync.server.storage import CentralStorage

# Rate limiting off unless a test asks for it: suites push many batches quickly.
TEST_SETTINGS = ServerSettings(rate_per_second=None)


@dataclass
class CentralServer:
    """A running central API: where it listens, its database, and a way to issue tokens."""

    url: str
    db_path: Path | str  # a SQLite file, or a PostgreSQL URL
    storage: SqliteCentralStorage
    app: FastAPI
    sessions: list[requests.Session] = field(default_factory=list)

    def stored_bytes(self) -> bytes:
        """Everything the database keeps, as bytes to search: the SQLite file and its WAL, or
        every row of every PostgreSQL table as text."""
        if isinstance(self.db_path, Path):
            wal = self.db_path.with_name(self.db_path.name + "-wal")
            return self.db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
        import psycopg

        with psycopg.connect(self.db_path) as conn:
            tables = [row[0] for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )]  # fmt: skip
            rows = [
                str(row[0])
                for table in tables
                for row in conn.execute(f'SELECT t::text FROM "{table}" t')
            ]
        return "\n".join(rows).encode()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of one SQL query (`?` placeholders) on the central database, either kind."""
        if isinstance(self.db_path, Path):
            import sqlite3

            with contextlib.closing(sqlite3.connect(self.db_path)) as conn:
                return conn.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.db_path) as conn:
            return [tuple(row) for row in conn.execute(sql.replace("?", "%s"), params)]

    def add_device(self, officer_id: str = "petugas-1", branch: str = "KC-BOGOR") -> str:
        """Register a device for `officer_id` in `branch` and return its token."""
        return issue_device(self.storage, officer_id, branch, at=utc_stamp()).token

    def session(self, token: str | None = None) -> requests.Session:
        """A requests session that sends `token` as the bearer token (closed at teardown)."""
        session = requests.Session()
        if token is not None:
            session.headers["Authorization"] = f"Bearer {token}"
        self.sessions.append(session)
        return session

    def push(self, token: str, items: list[dict[str, Any]], **headers: str) -> requests.Response:
        """POST one batch of `items` with `token`."""
        body: dict[str, Any] = {"batch_id": str(uuid.uuid4()), "items": items}
        return self.session(token).post(
            f"{self.url}/v1/push", json=body, headers=headers, timeout=30
        )

    def pull(self, token: str, cursor: int = 0, limit: int | None = None) -> requests.Response:
        """GET the branch's changes after `cursor`."""
        params: dict[str, int] = {"cursor": cursor}
        if limit is not None:
            params["limit"] = limit
        return self.session(token).get(f"{self.url}/v1/pull", params=params, timeout=30)


@contextmanager
def running_server(
    app: FastAPI, storage: Any, db_path: Path | str, *, log_config: dict[str, Any] | None = None
) -> Iterator[CentralServer]:
    """Serve `app` with uvicorn on a free loopback port in a thread until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # log_config=None: uvicorn leaves logging alone and its records reach caplog.
    config = uvicorn.Config(app, log_config=log_config, lifespan="off", access_log=True)
    server = uvicorn.Server(config)  # not the main thread: uvicorn installs no signal handlers
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="central-api", daemon=True
    )
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            if requests.get(f"{url}/v1/health", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the central API did not start")
        time.sleep(0.02)
    central = CentralServer(url=url, db_path=db_path, storage=storage, app=app)
    try:
        yield central
    finally:
        for session in central.sessions:
            session.close()
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


StartServer = Callable[..., CentralServer]


NewDatabase = Callable[[], Any]


@pytest.fixture(params=["sqlite", "postgres"])
def central_db(request: pytest.FixtureRequest, tmp_path: Path) -> NewDatabase:
    """Makes a fresh, empty central database: a SQLite file path, or a new database in the
    session's PostgreSQL cluster (its URL); every test using it runs on both."""
    count = 0

    def sqlite() -> Path:
        nonlocal count
        count += 1
        return tmp_path / f"central-{count}.db"

    if request.param == "sqlite":
        return sqlite
    cluster = request.getfixturevalue("pg_cluster")
    return lambda: cluster.new_database()


@pytest.fixture
def central_server_factory(central_db: NewDatabase) -> Iterator[StartServer]:
    """Start more central servers: `start(settings=..., storage=...)` (a fresh DB unless given)."""
    with ExitStack() as stack:

        def start(
            settings: ServerSettings = TEST_SETTINGS, storage: CentralStorage | None = None
        ) -> CentralServer:
            db_path = central_db()
            if storage is None:
                storage = open_central(db_path)
                stack.callback(storage.close)
            app = create_app(storage, settings=settings)
            return stack.enter_context(running_server(app, storage, db_path))

        yield start


@pytest.fixture
def central_server(central_server_factory: StartServer) -> CentralServer:
    """The real central API on 127.0.0.1 with a fresh SQLite file in tmp_path."""
    return central_server_factory()


# --- records and items -------------------------------------------------------------------


def nik_for(n: int) -> str:
    """A valid NIK for test person `n` (kecamatan 32.01.01, born 1980-1999, women +40)."""
    serial = n % 9999 + 1
    month = (n // 9999) % 12 + 1
    day = (n // (9999 * 12)) % 28 + 1 + (40 if n % 2 else 0)
    year = 80 + (n // (9999 * 12 * 28)) % 20
    return f"320101{day:02d}{month:02d}{year:02d}{serial:04d}"


def make_record(n: int = 0, **overrides: Any) -> dict[str, Any]:
    """A valid record for person `n` (status `prospect`, no NIK unless asked), with `overrides`."""
    record: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "full_name": f"Warga Uji {chr(65 + n % 26)}",
        "phone": f"0812{n:08d}",
        "occupation": "ojol",
        "monthly_income": 2_000_000,
        "region_code": "32.01.01.1001",
        "rw": "001",
        "rt": "002",
        "street": "Jl. Melati No. 1",
        "status": "prospect",
        "consent": False,
    }
    record.update(overrides)
    return record


def enrolled_record(n: int = 0, **overrides: Any) -> dict[str, Any]:
    """A valid enrolled record with consent and an NIK."""
    values: dict[str, Any] = {"status": "enrolled", "nik": nik_for(n), "consent": True}
    values.update(overrides)
    return make_record(n, **values)


def record_item(
    data: dict[str, Any], version: int = 1, base_version: int | None = None
) -> dict[str, Any]:
    """The push item for one record version, with its correct content hash."""
    return {
        "kind": "record",
        "id": data["id"],
        "version": version,
        "base_version": base_version,
        "content_hash": content_hash(data),
        "data": data,
    }


def visit_item(record_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """The push item for one visit (outcome `met` unless given)."""
    data: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "record_id": record_id,
        "at": "2026-01-15T09:30:00+07:00",
        "outcome": "met",
        "rw": "001",
        "rt": "002",
    }
    data.update(fields)
    return {
        "kind": "visit",
        "id": data["id"],
        "version": 1,
        "content_hash": content_hash(data),
        "data": data,
    }


def statuses(response: requests.Response) -> list[str]:
    """The item statuses of a push answer, in order."""
    assert response.status_code == 200, response.text
    return [result["status"] for result in response.json()["results"]]


def today_wib() -> dt.date:
    """The date the server validates against by default."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=7)).date()
