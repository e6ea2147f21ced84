"""The SQLite implementation of the central storage: stdlib sqlite3, WAL, one connection per thread.

FastAPI runs sync endpoints in a thread pool and a SQLite connection belongs to the thread that
opened it, so every thread gets its own connection (opened on first use, closed by `close`).
Writers take the write lock up front (`BEGIN IMMEDIATE`) and wait for it up to the busy timeout;
readers never block in WAL mode.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sync.protocol import ServerChange, ServerChangeKind
from sync.server.central import PaidResult, mark_paid
from sync.server.kpj import make_kpj
from sync.server.sqlite_schema import migrate
from sync.server.storage import (
    CurrentRecord,
    Device,
    NewVersion,
    NewVisit,
    RecordState,
    StoredItem,
)

BUSY_TIMEOUT_MS = 15_000
CACHE_KIB = 64 * 1024  # page cache per connection
_RECORD_SELECT = (
    "SELECT r.record_id, r.branch, r.officer_id, r.version, r.content_hash, r.record, "
    "r.central_status, r.duplicate_of, k.kpj_number, r.updated_at "
    "FROM records r LEFT JOIN kpj_numbers k ON k.record_id = r.record_id"
)


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _state(row: tuple[Any, ...]) -> RecordState:
    return RecordState(
        record_id=row[0],
        branch=row[1],
        officer_id=row[2],
        version=row[3],
        content_hash=row[4],
        record=json.loads(row[5]),
        central_status=row[6],
        duplicate_of=row[7],
        kpj_number=row[8],
        updated_at=row[9],
    )


def _device(row: tuple[Any, ...] | None) -> Device | None:
    if row is None:
        return None
    return Device(
        device_id=row[0], officer_id=row[1], branch=row[2], created_at=row[3], revoked_at=row[4]
    )


class SqliteWriter:
    """The operations of one `BEGIN IMMEDIATE` transaction (implements `CentralWriter`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._depth = 0

    @contextmanager
    def item(self) -> Iterator[None]:
        """A savepoint: an exception inside rolls back this item's writes only, then propagates."""
        self._depth += 1
        name = f"item{self._depth}"
        self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self._conn.execute(f"ROLLBACK TO {name}")
            self._conn.execute(f"RELEASE {name}")
            raise
        else:
            self._conn.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    def record_state(self, record_id: str) -> RecordState | None:
        """The current state of a record, or None when the server has never accepted it."""
        row = self._conn.execute(_RECORD_SELECT + " WHERE r.record_id = ?", (record_id,)).fetchone()
        return None if row is None else _state(row)

    def insert_version(self, version: NewVersion) -> bool:
        """Keep a record version; False when (record_id, version) is already stored."""
        cursor = self._conn.execute(
            "INSERT INTO record_versions (record_id, version, base_version, content_hash, data, "
            "branch, officer_id, device_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (record_id, version) DO NOTHING",
            (
                version.record_id,
                version.version,
                version.base_version,
                version.content_hash,
                version.data_json,
                version.branch,
                version.officer_id,
                version.device_id,
                version.received_at,
            ),
        )
        return cursor.rowcount == 1

    def stored_version(self, record_id: str, version: int) -> StoredItem | None:
        """The stored version `version` of a record, for replay and conflict answers."""
        row = self._conn.execute(
            "SELECT record_id, version, content_hash, branch FROM record_versions "
            "WHERE record_id = ? AND version = ?",
            (record_id, version),
        ).fetchone()
        return None if row is None else StoredItem(*row)

    def save_current(self, current: CurrentRecord) -> str | None:
        """Upsert the current state; flagged (returns the holder's id) when the NIK is taken."""
        try:
            # A statement that breaks a constraint undoes only itself (ON CONFLICT ABORT).
            self._upsert(current, None)
            return None
        except sqlite3.IntegrityError:
            # Only the partial unique index on NIK can refuse this upsert.
            holder = self._conn.execute(
                "SELECT record_id FROM records WHERE nik = ? AND duplicate_of IS NULL "
                "AND record_id <> ?",
                (current.nik, current.record_id),
            ).fetchone()
            if holder is None:  # pragma: no cover - the index and this query disagree
                raise
            self._upsert(current, holder[0])
            return str(holder[0])

    def _upsert(self, current: CurrentRecord, duplicate_of: str | None) -> None:
        self._conn.execute(
            "INSERT INTO records (record_id, branch, officer_id, version, content_hash, record, "
            "nik, duplicate_of, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (record_id) DO UPDATE SET officer_id = excluded.officer_id, "
            "version = excluded.version, content_hash = excluded.content_hash, "
            "record = excluded.record, nik = excluded.nik, duplicate_of = excluded.duplicate_of, "
            "updated_at = excluded.updated_at",
            (
                current.record_id,
                current.branch,
                current.officer_id,
                current.version,
                current.content_hash,
                _json(current.record),
                current.nik,
                duplicate_of,
                current.updated_at,
                current.updated_at,
            ),
        )

    def assign_kpj(self, record_id: str, at: str) -> tuple[str, bool]:
        """The record's KPJ number; a new one is made from the row's sequence number."""
        cursor = self._conn.execute(
            "INSERT INTO kpj_numbers (record_id, assigned_at) VALUES (?, ?) "
            "ON CONFLICT (record_id) DO NOTHING",
            (record_id, at),
        )
        if cursor.rowcount == 1:
            seq = int(cursor.lastrowid or 0)
            number = make_kpj(seq)
            self._conn.execute("UPDATE kpj_numbers SET kpj_number = ? WHERE seq = ?", (number, seq))
            return number, True
        row = self._conn.execute(
            "SELECT kpj_number FROM kpj_numbers WHERE record_id = ?", (record_id,)
        ).fetchone()
        return str(row[0]), False

    def set_central_status(self, record_id: str, status: str | None, at: str) -> None:
        """Set the status only the central side decides (`active` once paid)."""
        self._conn.execute(
            "UPDATE records SET central_status = ?, updated_at = ? WHERE record_id = ?",
            (status, at, record_id),
        )

    def log_change(
        self,
        branch: str,
        record_id: str,
        kind: ServerChangeKind,
        fields: Mapping[str, Any],
        at: str,
    ) -> int:
        """Append a server change in this transaction; returns its seq."""
        cursor = self._conn.execute(
            "INSERT INTO server_changes (branch, record_id, kind, fields, at) "
            "VALUES (?, ?, ?, ?, ?)",
            (branch, record_id, kind, _json(fields), at),
        )
        return int(cursor.lastrowid or 0)

    def insert_visit(self, visit: NewVisit) -> bool:
        """Keep a visit; False when the visit id is already stored."""
        cursor = self._conn.execute(
            "INSERT INTO visits (visit_id, record_id, content_hash, data, branch, officer_id, "
            "device_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (visit_id) DO NOTHING",
            (
                visit.visit_id,
                visit.record_id,
                visit.content_hash,
                visit.data_json,
                visit.branch,
                visit.officer_id,
                visit.device_id,
                visit.received_at,
            ),
        )
        return cursor.rowcount == 1

    def stored_visit(self, visit_id: str) -> StoredItem | None:
        """The stored visit with this id."""
        row = self._conn.execute(
            "SELECT visit_id, 1, content_hash, branch FROM visits WHERE visit_id = ?", (visit_id,)
        ).fetchone()
        return None if row is None else StoredItem(*row)


class SqliteCentralStorage:
    """The central database in one SQLite file (implements `CentralStorage`)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        try:
            migrate(self._conn())
        except BaseException:
            self.close()
            raise

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, opened with the pragmas on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise RuntimeError("the central storage is closed")
        # Used only by this thread; check_same_thread is off so that `close` may close it.
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: an acknowledged push survives a power cut, so the laptop may move its checkpoint.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Record ids are random UUIDs, so index inserts land on random pages: keep more in RAM.
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
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
        for conn in connections:
            conn.close()
        self._local = threading.local()

    def __enter__(self) -> SqliteCentralStorage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_central(path: Path | str) -> SqliteCentralStorage:
    """Open (creating and migrating as needed) the central database file at `path`."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return SqliteCentralStorage(target)
