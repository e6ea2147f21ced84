"""The SQLite implementation of the central storage: stdlib sqlite3, WAL, one connection per thread.

FastAPI runs sync endpoints in a thread pool and a SQLite connection belongs to the thread that
opened it, so every thread gets its own connection (opened on first use, closed by `close`).
Writers take the write lock up front (`BEGIN IMMEDIATE`) and wait for it up to the busy timeout;
readers never block in WAL mode. A thread of the storage's own copies the WAL back into the
database file (`Checkpointer`), so a commit only appends to the WAL and fsyncs it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sync.protocol import ServerChange
from sync.server.central import PaidResult, mark_paid
from sync.server.sqlite_schema import migrate
from sync.server.storage import (
    Device,
    RecordState,
)

logger = logging.getLogger("sync.server")

CACHE_KIB = 64 * 1024  # page cache per connection

from sync.server.sqlite_checkpoint import (  # noqa: E402
    BUSY_TIMEOUT_MS,
    WAL_AUTOCHECKPOINT_PAGES,
    Checkpointer,
)
from sync.server.sqlite_writer import (  # noqa: E402
    _RECORD_SELECT,
    SqliteWriter,
    _device,
    _key_info,
    _state,
)


class SqliteCentralStorage:
    """The central database in one SQLite file (implements `CentralStorage`)."""

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        # How long a writer waits for another one's lock before the request answers 503.
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._checkpointer: Checkpointer | None = None
        try:
            migrate(self._conn())
        except BaseException:
            self.close()
            raise
        self._checkpointer = Checkpointer(self.path)

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, opened with the pragmas on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise RuntimeError("the central storage is closed")
        # Used only by this thread; check_same_thread is off so that `close` may close it.
        conn = sqlite3.connect(
            self.path,
            timeout=self.busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: an acknowledged push survives a power cut, so the laptop may move its checkpoint.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Record ids are random UUIDs, so index inserts land on random pages: keep more in RAM.
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        self._local.conn = conn
        with self._lock:
            self._connections.append(conn)
        return conn

    def add_device(self, device: Device, token_hash: str) -> None:
        """Register a device under the sha256 of its token."""
        self._conn().execute(
            "INSERT INTO devices (device_id, officer_id, branch, token_hash, created_at, "
            "revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                device.device_id,
                device.officer_id,
                device.branch,
                token_hash,
                device.created_at,
                device.revoked_at,
            ),
        )

    def revoke_device(self, device_id: str, at: str) -> Device | None:
        """Withdraw a device's token; revoking twice keeps the first time."""
        conn = self._conn()
        conn.execute(
            "UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL",
            (at, device_id),
        )
        return _device(
            conn.execute(
                "SELECT device_id, officer_id, branch, created_at, revoked_at FROM devices "
                "WHERE device_id = ?",
                (device_id,),
            ).fetchone()
        )

    def device_by_token_hash(self, token_hash: str) -> Device | None:
        """The device holding this token hash, revoked or not."""
        return _device(
            self._conn()
            .execute(
                "SELECT device_id, officer_id, branch, created_at, revoked_at FROM devices "
                "WHERE token_hash = ?",
                (token_hash,),
            )
            .fetchone()
        )

    def register_device_key(self, device: Device, key_id: str, public_key: str, at: str) -> bool:
        """Keep a device's slip key; False when the key id belongs to another device."""
        conn = self._conn()
        conn.execute(
            "INSERT INTO device_keys (key_id, device_id, public_key, registered_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING",
            (key_id, device.device_id, public_key, at),
        )
        row = conn.execute(
            "SELECT device_id, public_key FROM device_keys WHERE key_id = ?", (key_id,)
        ).fetchone()
        return bool(row) and row[0] == device.device_id and row[1] == public_key

    def device_key(self, key_id: str) -> dict[str, Any] | None:
        """A slip key with its officer, branch and whether its device was revoked."""
        row = (
            self._conn()
            .execute(
                "SELECT k.key_id, k.public_key, d.officer_id, d.branch, d.revoked_at "
                "FROM device_keys k JOIN devices d ON d.device_id = k.device_id "
                "WHERE k.key_id = ?",
                (key_id,),
            )
            .fetchone()
        )
        return _key_info(row) if row else None

    def branch_keys(self, branch: str) -> list[dict[str, Any]]:
        """Every slip key of a branch's devices (revoked ones flagged)."""
        rows = self._conn().execute(
            "SELECT k.key_id, k.public_key, d.officer_id, d.branch, d.revoked_at "
            "FROM device_keys k JOIN devices d ON d.device_id = k.device_id "
            "WHERE d.branch = ? ORDER BY k.registered_at",
            (branch,),
        )
        return [_key_info(row) for row in rows]

    def device(self, device_id: str) -> Device | None:
        """One device by its id, revoked or not (read only; for the lost-laptop report)."""
        return _device(
            self._conn()
            .execute(
                "SELECT device_id, officer_id, branch, created_at, revoked_at FROM devices "
                "WHERE device_id = ?",
                (device_id,),
            )
            .fetchone()
        )

    def device_items(self, device_id: str) -> Iterator[tuple[str, str, str | None, str, str, str]]:
        """Everything a device sent and the server kept: (kind, id, record id, data, branch, at).

        Records: every accepted version; visits: each visit. Read only, by a full scan (there
        is no index on the device: this serves the rare lost-laptop report, not requests).
        """
        yield from self._conn().execute(
            "SELECT 'record', r.record_id, r.record_id, v.data, v.branch, v.received_at "
            "FROM record_versions v JOIN records r ON r.rid = v.rid WHERE v.device_id = ? "
            "UNION ALL SELECT 'visit', visit_id, record_id, data, branch, received_at "
            "FROM visits WHERE device_id = ?",
            (device_id, device_id),
        )

    @contextmanager
    def write(self) -> Iterator[SqliteWriter]:
        """One `BEGIN IMMEDIATE` transaction; commit at the end, roll back on an exception."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield SqliteWriter(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if self._checkpointer is not None:
            self._checkpointer.committed()

    def changes_after(
        self, branch: str, cursor: int, limit: int
    ) -> tuple[list[ServerChange], bool]:
        """The branch's server changes after `cursor`, oldest first, and whether more remain."""
        rows = (
            self._conn()
            .execute(
                "SELECT seq, kind, record_id, fields, at FROM server_changes "
                "WHERE branch = ? AND seq > ? ORDER BY seq LIMIT ?",
                (branch, cursor, limit + 1),
            )
            .fetchall()
        )
        changes = [
            ServerChange(seq=r[0], kind=r[1], record_id=r[2], fields=json.loads(r[3]), at=r[4])
            for r in rows[:limit]
        ]
        return changes, len(rows) > limit

    def record(self, record_id: str) -> RecordState | None:
        """The current state of one record (any branch)."""
        row = (
            self._conn().execute(_RECORD_SELECT + " WHERE r.record_id = ?", (record_id,)).fetchone()
        )
        return None if row is None else _state(row)

    def current_records(self, branch: str | None = None) -> Iterator[RecordState]:
        """Every record's current state in id order, optionally of one branch."""
        if branch is None:
            rows = self._conn().execute(_RECORD_SELECT + " ORDER BY r.record_id")
        else:
            rows = self._conn().execute(
                _RECORD_SELECT + " WHERE r.branch = ? ORDER BY r.record_id", (branch,)
            )
        for row in rows:
            yield _state(row)

    def mark_paid(self, record_id: str, *, today: dt.date | None = None) -> PaidResult:
        """Mark an enrolled participant paid (`active`); see `central.mark_paid`."""
        return mark_paid(self, record_id, today=today)

    def close(self) -> None:
        """Close every connection opened by any thread (call when no request is running)."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
            checkpointer, self._checkpointer = self._checkpointer, None
        if checkpointer is not None:
            checkpointer.stop()
        for conn in connections:
            conn.close()
        self._local = threading.local()

    def __enter__(self) -> SqliteCentralStorage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_central(
    path: Path | str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> SqliteCentralStorage:
    """Open (creating and migrating as needed) the central database file at `path`."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return SqliteCentralStorage(target, busy_timeout_ms=busy_timeout_ms)
