"""The SQLite implementation of the central storage: stdlib sqlite3, WAL, one connection per thread.

FastAPI runs sync endpoints in a thread pool and a SQLite connection belongs to the thread that
opened it, so every thread gets its own connection (opened on first use, closed by `close`).
Writers take the write lock up front (`BEGIN IMMEDIATE`) and wait for it up to the busy timeout;
readers never block in WAL mode. A thread of the storage's own copies the WAL back into the
database file (`Checkpointer`), so a commit only appends to the WAL and fsyncs it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from outreach_tui.safefile import private_database
from sync.protocol import ServerChange
from sync.server import central_sql as sql
from sync.server.central import PaidResult, mark_paid
from sync.server.central_sql import Run
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

    def schema_version(self) -> int:
        """The schema version this database is at (PRAGMA user_version)."""
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    def add_device(self, device: Device, token_hash: str) -> None:
        """Register a device under the sha256 of its token."""
        self._conn().execute(sql.INSERT_DEVICE, sql.device_params(device, token_hash))

    def revoke_device(self, device_id: str, at: str) -> Device | None:
        """Withdraw a device's token; revoking twice keeps the first time."""
        conn = self._conn()
        conn.execute(sql.REVOKE_DEVICE, (at, device_id))
        return self.device(device_id)

    def device_by_token_hash(self, token_hash: str) -> Device | None:
        """The device holding this token hash, revoked or not."""
        return _device(
            self._conn().execute(sql.DEVICE_BY + "token_hash = ?", (token_hash,)).fetchone()
        )

    def register_device_key(self, device: Device, key_id: str, public_key: str, at: str) -> bool:
        """Make `key_id` the device's one active slip key (`central_sql.register_key`)."""
        with self.write() as writer:
            conn = self._conn()
            return sql.register_key(
                lambda q, p: conn.execute(q, p), writer.audit, device, key_id, public_key, at
            )

    def device_key(self, key_id: str) -> dict[str, Any] | None:
        """A slip key with its officer, branch and whether its device was revoked."""
        row = self._conn().execute(sql.KEY_INFO + "WHERE k.key_id = ?", (key_id,)).fetchone()
        return _key_info(row) if row else None

    def branch_keys(self, branch: str) -> list[dict[str, Any]]:
        """Every slip key of a branch's devices (revoked ones flagged)."""
        rows = self._conn().execute(
            sql.KEY_INFO + "WHERE d.branch = ? ORDER BY k.registered_at", (branch,)
        )
        return [_key_info(row) for row in rows]

    def device(self, device_id: str) -> Device | None:
        """One device by its id, revoked or not (read only; for the lost-laptop report)."""
        return _device(
            self._conn().execute(sql.DEVICE_BY + "device_id = ?", (device_id,)).fetchone()
        )

    def device_items(self, device_id: str) -> Iterator[tuple[str, str, str | None, str, str, str]]:
        """Everything a device sent and the server kept: (kind, id, record id, data, branch, at).

        Records: every accepted version; visits: each visit. Read only, by a full scan (there
        is no index on the device: this serves the rare lost-laptop report, not requests).
        """
        yield from self._conn().execute(sql.DEVICE_ITEMS, (device_id, device_id))

    @contextmanager
    def write(self, branch: str | None = None) -> Iterator[SqliteWriter]:
        """One `BEGIN IMMEDIATE` transaction; commit at the end, roll back on an exception.

        SQLite has one writer at a time, so every transaction is serialized whatever `branch`.
        """
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
        self,
        branch: str,
        cursor: int,
        limit: int,
        officer_id: str | None = None,
        skip_kinds: tuple[str, ...] = (),
    ) -> tuple[list[ServerChange], bool]:
        """The branch's server changes after `cursor`, oldest first, and whether more remain.

        With `officer_id` (a device's pull) only the changes of that officer's records: the
        fence is in the query, so nothing of a colleague's records is ever read for a device.
        """
        query = sql.CHANGES_AFTER
        params: list[Any] = [branch]
        if officer_id is not None:
            query += " AND officer_id = ?"
            params.append(officer_id)
        for kind in skip_kinds:  # kinds an older laptop does not know (sync.protocol)
            query += " AND kind <> ?"
            params.append(kind)
        query += " AND seq > ? ORDER BY seq LIMIT ?"
        params += [cursor, limit + 1]
        rows = self._conn().execute(query, params).fetchall()
        changes = [
            ServerChange(seq=r[0], kind=r[1], record_id=r[2], fields=json.loads(r[3]), at=r[4])
            for r in rows[:limit]
        ]
        return changes, len(rows) > limit

    def owned_records(
        self, branch: str, officer_id: str, after: int, limit: int, since: str | None
    ) -> tuple[list[dict[str, Any]], bool]:
        """The current versions of one officer's records (fenced in the query), with visits."""
        rows = (
            self._conn()
            .execute(
                sql.OWNED_SELECT + "AND json_extract(v.data, '$.full_name') IS NOT NULL "
                "ORDER BY r.rid LIMIT ?",
                (branch, officer_id, after, since or "", limit + 1),
            )
            .fetchall()
        )
        names = sql.OWNED_NAMES
        found = [dict(zip(names, row, strict=True)) for row in rows[:limit]]
        by_id = {}
        for item in found:
            item["data"] = json.loads(item["data"])
            item["visits"] = []
            by_id[item["id"]] = item
        if by_id:
            visits = self._conn().execute(
                "SELECT visit_id, record_id, content_hash, data FROM visits "
                "WHERE record_id IN (SELECT value FROM json_each(?)) AND branch = ? "
                "ORDER BY received_at",
                (json.dumps(list(by_id)), branch),
            )
            for visit_id, record_id, digest, data in visits:
                by_id[record_id]["visits"].append(
                    {"id": visit_id, "content_hash": digest, "data": json.loads(data)}
                )
        return found, len(rows) > limit

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

    @contextmanager
    def transaction(self, branch: str | None = None) -> Iterator[Run]:
        """A write transaction (as `write`) for statements of other modules (`?` placeholders):
        the branch console's tables."""
        with self.write(branch):
            yield self._run

    @contextmanager
    def reader(self) -> Iterator[Run]:
        """Reads outside a transaction (`?` placeholders), for other modules' statements."""
        yield self._run

    def _run(self, query: str, params: Sequence[Any] = ()) -> Any:
        """One `?` statement on this thread's connection."""
        return self._conn().execute(query, params)

    def ping(self) -> bool:
        """Whether the database file answers a trivial query now (the readiness check)."""
        try:
            self._conn().execute("SELECT 1 FROM devices LIMIT 1").fetchall()
            return True
        except sqlite3.Error:
            return False

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


SQLITE_MAGIC = b"SQLite format 3\x00"


class CentralDbError(Exception):
    """The central database cannot be opened as asked; `code` is a translation key, `params`
    its parameters (never a password)."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _private_file(target: Path) -> None:
    """Create the database file 0600 in a 0700 folder; SQLite gives -wal/-shm the same mode."""
    if not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(target.parent, 0o700)
    private_database(target)


def _check_existing(target: Path) -> None:
    """A file that is there, is SQLite, and holds a central schema; CentralDbError otherwise."""
    if not target.exists():
        raise CentralDbError("server.db_missing")
    if not target.is_file():
        raise CentralDbError("server.db_not_sqlite")
    with target.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if not header:
        raise CentralDbError("server.db_empty")
    if header != SQLITE_MAGIC:
        raise CentralDbError("server.db_not_sqlite")
    try:
        conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            has_devices = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'devices'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise CentralDbError("server.db_not_sqlite") from None
    if version < 1 or not has_devices:
        raise CentralDbError("server.db_not_central")


def open_sqlite(
    path: Path | str, *, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> SqliteCentralStorage:
    """Open the central database file at `path`, migrating its schema as needed.

    Only `create=True` (serving, or an explicit migrate) makes a new file; a command on a
    missing, empty or foreign file raises CentralDbError and creates nothing. The file and its
    -wal/-shm are private to the service user (0600) whatever the umask.
    """
    target = Path(path)
    if create and (not target.exists() or target.stat().st_size == 0):
        _private_file(target)
    else:
        _check_existing(target)
        with contextlib.suppress(OSError):
            os.chmod(target, 0o600)
    return SqliteCentralStorage(target, busy_timeout_ms=busy_timeout_ms)
