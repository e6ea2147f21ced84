"""The SQLite implementation of the central storage: stdlib sqlite3, WAL, one connection per thread.

FastAPI runs sync endpoints in a thread pool and a SQLite connection belongs to the thread that
opened it, so every thread gets its own connection (opened on first use, closed by `close`).
Writers take the write lock up front (`BEGIN IMMEDIATE`) and wait for it up to the busy timeout;
readers never block in WAL mode. A thread of the storage's own copies the WAL back into the
database file (`_Checkpointer`), so a commit only appends to the WAL and fsyncs it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
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
    NewChange,
    NewRecord,
    NewVersion,
    NewVisit,
    RecordHead,
    RecordState,
    StoredItem,
)

logger = logging.getLogger("sync.server")

BUSY_TIMEOUT_MS = 15_000
CACHE_KIB = 64 * 1024  # page cache per connection
# WAL pages after which a committing writer checkpoints by itself: only when the background
# checkpointer fell behind (it starts after CHECKPOINT_DELAY_S without a commit, or after
# CHECKPOINT_EVERY commits in a row).
WAL_AUTOCHECKPOINT_PAGES = 16_384
CHECKPOINT_DELAY_S = 0.2
CHECKPOINT_EVERY = 8
# `records.record` is NULL when the normalized record is the current version's data as sent.
_RECORD_SELECT = (
    "SELECT r.record_id, r.branch, r.officer_id, r.version, r.content_hash, "
    "coalesce(r.record, v.data), r.central_status, r.duplicate_of, k.kpj_number, r.updated_at "
    "FROM records r LEFT JOIN kpj_numbers k ON k.rid = r.rid "
    "LEFT JOIN record_versions v ON r.record IS NULL AND v.rid = r.rid AND v.version = r.version"
)
_HEADS_SELECT = (
    "SELECT r.record_id, r.branch, r.version, r.content_hash, r.duplicate_of, k.kpj_number "
    "FROM records r LEFT JOIN kpj_numbers k ON k.rid = r.rid "
    "WHERE r.record_id IN (SELECT value FROM json_each(?))"
)
_INSERT_RECORD = (
    "INSERT INTO records (rid, record_id, branch, officer_id, version, content_hash, record, "
    "nik, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_VERSION = (
    "INSERT INTO record_versions (rid, version, base_version, content_hash, data, branch, "
    "officer_id, device_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_CHANGE = (
    "INSERT INTO server_changes (branch, record_id, kind, fields, at) VALUES (?, ?, ?, ?, ?)"
)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _json(value: Mapping[str, Any]) -> str:
    return _ENCODER.encode(value)


def _state(row: tuple[Any, ...]) -> RecordState:
    record = json.loads(row[5])
    record["id"] = row[0]  # the data as sent may lack it, or spell it otherwise
    return RecordState(
        record_id=row[0],
        branch=row[1],
        officer_id=row[2],
        version=row[3],
        content_hash=row[4],
        record=record,
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


def _key_info(row: tuple[Any, ...]) -> dict[str, Any]:
    """A device_keys row joined with its device, as the slips router wants it."""
    return {
        "key_id": row[0],
        "public_key": row[1],
        "officer_id": row[2],
        "branch": row[3],
        "revoked": row[4] is not None,
    }


class SqliteWriter:
    """The operations of one `BEGIN IMMEDIATE` transaction (implements `CentralWriter`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._depth = 0
        self._new_rids: dict[str, int] = {}  # rids of the records this transaction stored

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

    def record_heads(self, record_ids: Sequence[str]) -> dict[str, RecordHead]:
        """The stored records among `record_ids`, by id, in one query."""
        if not record_ids:
            return {}
        rows = self._conn.execute(_HEADS_SELECT, (json.dumps(list(record_ids)),))
        return {row[0]: RecordHead(*row) for row in rows}

    def _max_rid(self) -> int:
        return int(self._conn.execute("SELECT coalesce(max(rid), 0) FROM records").fetchone()[0])

    def insert_new_records(self, records: Sequence[NewRecord]) -> int:
        """Store new records in order until one's id or NIK is taken; returns how many."""
        if not records:
            return 0
        # Explicit, rising rids: the rows append, and how many went in is read back from them.
        first = self._max_rid() + 1
        rows = [
            (
                first + offset,
                new.record_id,
                new.branch,
                new.officer_id,
                new.version,
                new.content_hash,
                None if new.record_is_data else _json(new.record),
                new.nik,
                new.received_at,
                new.received_at,
            )
            for offset, new in enumerate(records)
        ]
        try:
            # Each row is its own statement (ON CONFLICT ABORT): the rows before a refused one
            # stay, and executemany stops there.
            self._conn.executemany(_INSERT_RECORD, rows)
            stored = len(records)
        except sqlite3.IntegrityError:
            # Only the unique record id or the unique unflagged NIK can refuse a row.
            stored = self._max_rid() - first + 1
        self._conn.executemany(
            _INSERT_VERSION,
            [
                (
                    first + offset,
                    new.version,
                    new.base_version,
                    new.content_hash,
                    new.data_json,
                    new.branch,
                    new.officer_id,
                    new.device_id,
                    new.received_at,
                )
                for offset, new in enumerate(records[:stored])
            ],
        )
        self._new_rids.update((new.record_id, first + n) for n, new in enumerate(records[:stored]))
        return stored

    def insert_version(self, version: NewVersion) -> bool:
        """Keep a version of a record that has its row; False when the version is stored."""
        cursor = self._conn.execute(
            "INSERT INTO record_versions (rid, version, base_version, content_hash, data, "
            "branch, officer_id, device_id, received_at) "
            "SELECT rid, ?, ?, ?, ?, ?, ?, ?, ? FROM records WHERE record_id = ? "
            "ON CONFLICT (rid, version) DO NOTHING",
            (
                version.version,
                version.base_version,
                version.content_hash,
                version.data_json,
                version.branch,
                version.officer_id,
                version.device_id,
                version.received_at,
                version.record_id,
            ),
        )
        if cursor.rowcount == 1:
            return True
        if self._rid(version.record_id) is None:
            raise LookupError("a version needs its record's current state first")
        return False

    def _rid(self, record_id: str) -> int | None:
        row = self._conn.execute(
            "SELECT rid FROM records WHERE record_id = ?", (record_id,)
        ).fetchone()
        return None if row is None else int(row[0])

    def stored_version(self, record_id: str, version: int) -> StoredItem | None:
        """The stored version `version` of a record, for replay and conflict answers."""
        row = self._conn.execute(
            "SELECT r.record_id, v.version, v.content_hash, v.branch "
            "FROM records r JOIN record_versions v ON v.rid = r.rid "
            "WHERE r.record_id = ? AND v.version = ?",
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
        """The record's KPJ number; a new one is made from the next sequence number."""
        row = self._conn.execute(
            "SELECT r.rid, k.kpj_number FROM records r LEFT JOIN kpj_numbers k ON k.rid = r.rid "
            "WHERE r.record_id = ?",
            (record_id,),
        ).fetchone()
        if row is None:
            raise LookupError("a KPJ number is only given to a stored record")
        if row[1] is not None:
            return str(row[1]), False
        return self._assign([int(row[0])], at)[0], True

    def assign_new_kpjs(self, record_ids: Sequence[str], at: str) -> list[str]:
        """KPJ numbers for stored records that have none yet, in order."""
        rids = self._new_rids
        missing = [record_id for record_id in record_ids if record_id not in rids]
        if missing:
            rows = self._conn.execute(
                "SELECT record_id, rid FROM records "
                "WHERE record_id IN (SELECT value FROM json_each(?))",
                (json.dumps(missing),),
            )
            rids = {**rids, **dict(rows.fetchall())}
        return self._assign([rids[record_id] for record_id in record_ids], at)

    def _assign(self, rids: list[int], at: str) -> list[str]:
        if not rids:
            return []
        # The next numbers of the AUTOINCREMENT sequence, read under the write lock; the
        # primary key and the unique keys on rid and number still refuse any reuse.
        last = self._conn.execute(
            "SELECT coalesce(max(seq), 0) FROM ("
            "SELECT seq FROM sqlite_sequence WHERE name = 'kpj_numbers' "
            "UNION ALL SELECT max(seq) FROM kpj_numbers)"
        ).fetchone()[0]
        numbers = [make_kpj(last + offset) for offset in range(1, len(rids) + 1)]
        self._conn.executemany(
            "INSERT INTO kpj_numbers (seq, rid, kpj_number, assigned_at) VALUES (?, ?, ?, ?)",
            [(last + offset, rid, numbers[offset - 1], at) for offset, rid in enumerate(rids, 1)],
        )
        return numbers

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
        cursor = self._conn.execute(_INSERT_CHANGE, (branch, record_id, kind, _json(fields), at))
        return int(cursor.lastrowid or 0)

    def log_changes(self, changes: Sequence[NewChange]) -> None:
        """Append server changes in order."""
        self._conn.executemany(
            _INSERT_CHANGE,
            [(c.branch, c.record_id, c.kind, _json(c.fields), c.at) for c in changes],
        )

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


class _Checkpointer:
    """Copies the WAL back into the database file in a thread of its own, off the request path.

    A commit only appends to the WAL (and fsyncs it: that is what makes it durable); copying
    those pages into the main file is the checkpoint, which SQLite otherwise runs inside the
    commit that crosses `wal_autocheckpoint`. Here it runs when the writers pause, or after
    every CHECKPOINT_EVERY commits, as a PASSIVE checkpoint that never blocks a writer or a
    reader; pages rewritten by several batches are copied once.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._wake = threading.Condition()
        self._commits = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="central-checkpoint", daemon=True)
        self._thread.start()

    def committed(self) -> None:
        """Note a commit; called by the writer after COMMIT."""
        with self._wake:
            self._commits += 1
            self._wake.notify()

    def stop(self) -> None:
        """Run a last checkpoint and end the thread."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join()

    def _loop(self) -> None:
        conn = sqlite3.connect(self._path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous = FULL")
            while self._wait():
                self._checkpoint(conn)
            self._checkpoint(conn)
        finally:
            conn.close()

    @staticmethod
    def _checkpoint(conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as exc:
            # Nothing is lost: the WAL keeps every commit, and writers checkpoint past
            # WAL_AUTOCHECKPOINT_PAGES themselves.
            logger.warning("background checkpoint failed: %s", type(exc).__name__)

    def _wait(self) -> bool:
        """Wait for commits, then for a pause in them; False when stopping."""
        with self._wake:
            while not self._commits and not self._stopping:
                self._wake.wait()
            while not self._stopping and self._commits < CHECKPOINT_EVERY:
                seen = self._commits
                self._wake.wait(CHECKPOINT_DELAY_S)
                if self._commits == seen:
                    break  # the writers paused
            self._commits = 0
            return not self._stopping


class SqliteCentralStorage:
    """The central database in one SQLite file (implements `CentralStorage`)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._checkpointer: _Checkpointer | None = None
        try:
            migrate(self._conn())
        except BaseException:
            self.close()
            raise
        self._checkpointer = _Checkpointer(self.path)

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


def open_central(path: Path | str) -> SqliteCentralStorage:
    """Open (creating and migrating as needed) the central database file at `path`."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return SqliteCentralStorage(target)
