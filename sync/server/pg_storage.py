"""The PostgreSQL implementation of the central storage: psycopg 3 with a connection pool.

Chosen by a `postgresql://` database URL (`open_storage`). Several workers (processes) share
the database; within one, FastAPI's threads share the pool. Write transactions are serialized
per branch (a transaction-scoped advisory lock on the branch, shared by writers of other
branches), so a branch's server changes become visible in the order of their seq, which pull
cursors rely on; a write that does not know its branch up front (a payment, a forget by hand)
takes the lock of every branch. Uniqueness (versions, NIK, KPJ numbers, visits) is decided by
the database's keys as on SQLite. Waiting longer than the lock timeout, an exhausted pool or a
lost connection raise `StorageBusy`, which the API answers 503 with Retry-After.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool, PoolTimeout

from sync.protocol import ServerChange
from sync.server import central_sql as sql
from sync.server.busy import StorageBusy
from sync.server.central import PaidResult, mark_paid
from sync.server.central_sql import Run, pg
from sync.server.pg_schema import migrate
from sync.server.pg_writer import RECORD_SELECT, PgWriter
from sync.server.sqlite_writer import _device, _key_info, _state
from sync.server.storage import Device, RecordState

logger = logging.getLogger("sync.server")

ALL_BRANCHES = 0x6F75_7400  # the advisory lock every branch writer shares
LOCK_TIMEOUT_MS = 15_000  # how long a writer waits for a lock before answering 503
POOL_TIMEOUT_S = 15.0  # how long a request waits for a free connection
# Errors that mean "busy or briefly gone", never "broken": the laptop retries after 503.
TRANSIENT = (
    errors.LockNotAvailable,
    errors.DeadlockDetected,
    errors.SerializationFailure,
    errors.QueryCanceled,
    errors.AdminShutdown,
    errors.CannotConnectNow,
    psycopg.OperationalError,
    PoolTimeout,
)


def branch_lock(branch: str) -> int:
    """The advisory lock key of a branch's writers (a signed 64-bit number from its name)."""
    return int.from_bytes(hashlib.sha256(branch.encode()).digest()[:8], "big", signed=True)


class PostgresCentralStorage:
    """The central database on PostgreSQL (implements `CentralStorage`)."""

    def __init__(
        self,
        url: str,
        *,
        min_size: int = 1,
        max_size: int = 8,
        migrate_schema: bool = True,
        lock_timeout_ms: int = LOCK_TIMEOUT_MS,
    ) -> None:
        self.url = url
        self.lock_timeout_ms = int(lock_timeout_ms)
        self._pool = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            timeout=POOL_TIMEOUT_S,
            kwargs={"autocommit": True},
            configure=self._configure,
            check=ConnectionPool.check_connection,  # a dropped connection is replaced
            open=False,
            name="outreach-central",
        )
        try:
            self._pool.open(wait=True, timeout=POOL_TIMEOUT_S)
        except PoolTimeout as exc:
            self._pool.close()
            raise ConnectionError(str(exc)) from None
        if migrate_schema:
            with self._pool.connection() as conn:
                migrate(conn, at=_now())

    def _configure(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute(f"SET lock_timeout = {self.lock_timeout_ms}")
        conn.execute("SET synchronous_commit = on")  # an acknowledged push is on disk

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection; busy or lost turns into StorageBusy."""
        try:
            with self._pool.connection() as conn:
                yield conn
        except TRANSIENT as exc:
            raise StorageBusy(type(exc).__name__) from exc

    def schema_version(self) -> int:
        """The schema version this database is at."""
        from sync.server.pg_schema import current_version

        with self._conn() as conn:
            return current_version(conn)

    # -- devices and keys ---------------------------------------------------------------------
    def add_device(self, device: Device, token_hash: str) -> None:
        """Register a device under the sha256 of its token."""
        with self._conn() as conn:
            conn.execute(pg(sql.INSERT_DEVICE), sql.device_params(device, token_hash))

    def revoke_device(self, device_id: str, at: str) -> Device | None:
        """Withdraw a device's token; revoking twice keeps the first time."""
        with self._conn() as conn:
            conn.execute(pg(sql.REVOKE_DEVICE), (at, device_id))
        return self.device(device_id)

    def _device_where(self, column: str, value: str) -> Device | None:
        with self._conn() as conn:
            return _device(conn.execute(pg(sql.DEVICE_BY) + f"{column} = %s", (value,)).fetchone())

    def device_by_token_hash(self, token_hash: str) -> Device | None:
        """The device holding this token hash, revoked or not."""
        return self._device_where("token_hash", token_hash)

    def device(self, device_id: str) -> Device | None:
        """One device by its id, revoked or not."""
        return self._device_where("device_id", device_id)

    def register_device_key(self, device: Device, key_id: str, public_key: str, at: str) -> bool:
        """Make `key_id` the device's one active slip key (`central_sql.register_key`)."""
        with self.write(device.branch) as writer:
            conn = writer._conn
            return sql.register_key(
                lambda q, p: conn.execute(pg(q), p), writer.audit, device, key_id, public_key, at
            )

    def device_key(self, key_id: str) -> dict[str, Any] | None:
        """A slip key with its officer, branch and whether its device was revoked."""
        with self._conn() as conn:
            row = conn.execute(pg(sql.KEY_INFO) + "WHERE k.key_id = %s", (key_id,)).fetchone()
        return _key_info(row) if row else None

    def branch_keys(self, branch: str) -> list[dict[str, Any]]:
        """Every slip key of a branch's devices (revoked ones flagged)."""
        with self._conn() as conn:
            rows = conn.execute(
                pg(sql.KEY_INFO) + "WHERE d.branch = %s ORDER BY k.registered_at", (branch,)
            ).fetchall()
        return [_key_info(row) for row in rows]

    def device_items(self, device_id: str) -> Iterator[tuple[str, str, str | None, str, str, str]]:
        """Everything a device sent and the server kept: (kind, id, record id, data, branch, at)."""
        with self._conn() as conn:
            rows = conn.execute(pg(sql.DEVICE_ITEMS), (device_id, device_id)).fetchall()
        yield from rows

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def write(self, branch: str | None = None) -> Iterator[PgWriter]:
        """One transaction, serialized with the other writers of `branch` (of every branch
        when None); committed at the end, rolled back on an exception."""
        with self._conn() as conn:
            try:
                with conn.transaction():
                    if branch is None:
                        conn.execute("SELECT pg_advisory_xact_lock(%s)", (ALL_BRANCHES,))
                    else:
                        conn.execute(
                            "SELECT pg_advisory_xact_lock_shared(%s), pg_advisory_xact_lock(%s)",
                            (ALL_BRANCHES, branch_lock(branch)),
                        )
                    yield PgWriter(conn)
            except TRANSIENT as exc:
                raise StorageBusy(type(exc).__name__) from exc

    # -- reading ------------------------------------------------------------------------------
    def changes_after(
        self,
        branch: str,
        cursor: int,
        limit: int,
        officer_id: str | None = None,
        skip_kinds: tuple[str, ...] = (),
    ) -> tuple[list[ServerChange], bool]:
        """The branch's server changes after `cursor`, oldest first, and whether more remain."""
        query = pg(sql.CHANGES_AFTER)
        params: list[Any] = [branch]
        if officer_id is not None:
            query += " AND officer_id = %s"
            params.append(officer_id)
        for kind in skip_kinds:  # kinds an older laptop does not know (sync.protocol)
            query += " AND kind <> %s"
            params.append(kind)
        query += " AND seq > %s ORDER BY seq LIMIT %s"
        params += [cursor, limit + 1]
        with self._conn() as conn:
            rows = conn.execute(query, params).fetchall()
        changes = [
            ServerChange(seq=r[0], kind=r[1], record_id=r[2], fields=json.loads(r[3]), at=r[4])
            for r in rows[:limit]
        ]
        return changes, len(rows) > limit

    def owned_records(
        self, branch: str, officer_id: str, after: int, limit: int, since: str | None
    ) -> tuple[list[dict[str, Any]], bool]:
        """The current versions of one officer's records (fenced in the query), with visits."""
        names = sql.OWNED_NAMES
        with self._conn() as conn:
            rows = conn.execute(
                pg(sql.OWNED_SELECT) + "AND (v.data::jsonb ->> 'full_name') IS NOT NULL "
                "ORDER BY r.rid LIMIT %s",
                (branch, officer_id, after, since or "", limit + 1),
            ).fetchall()
            found = [dict(zip(names, row, strict=True)) for row in rows[:limit]]
            by_id = {}
            for item in found:
                item["data"] = json.loads(item["data"])
                item["visits"] = []
                by_id[item["id"]] = item
            if by_id:
                visits = conn.execute(
                    "SELECT visit_id, record_id, content_hash, data FROM visits "
                    "WHERE record_id = ANY(%s) AND branch = %s ORDER BY received_at",
                    (list(by_id), branch),
                ).fetchall()
                for visit_id, record_id, digest, data in visits:
                    by_id[record_id]["visits"].append(
                        {"id": visit_id, "content_hash": digest, "data": json.loads(data)}
                    )
        return found, len(rows) > limit

    def record(self, record_id: str) -> RecordState | None:
        """The current state of one record (any branch)."""
        with self._conn() as conn:
            row = conn.execute(RECORD_SELECT + " WHERE r.record_id = %s", (record_id,)).fetchone()
        return None if row is None else _state(row)

    def current_records(self, branch: str | None = None) -> Iterator[RecordState]:
        """Every record's current state in id order, optionally of one branch (streamed)."""
        with self._conn() as conn, conn.transaction(), conn.cursor(name="current") as cursor:
            cursor.itersize = 2000
            if branch is None:
                cursor.execute(RECORD_SELECT + " ORDER BY r.record_id")
            else:
                cursor.execute(
                    RECORD_SELECT + " WHERE r.branch = %s ORDER BY r.record_id", (branch,)
                )
            for row in cursor:
                yield _state(row)

    def mark_paid(self, record_id: str, *, today: dt.date | None = None) -> PaidResult:
        """Mark an enrolled participant paid (`active`); see `central.mark_paid`."""
        return mark_paid(self, record_id, today=today)

    def rate_acquire(self, key: str, rate: float, burst: int) -> float:
        """One token of `key`'s bucket, kept in the database so every worker shares it: 0.0
        when allowed, else the seconds to wait (as `ratelimit.RateLimiter.acquire`)."""
        now = dt.datetime.now(dt.UTC).timestamp()
        refill = "least(%(burst)s, b.tokens + greatest(0, %(now)s - b.at) * %(rate)s)"
        with self._conn() as conn:
            row = conn.execute(
                "INSERT INTO rate_buckets AS b (key, tokens, at, allowed) "
                "VALUES (%(key)s, %(burst)s - 1, %(now)s, true) "
                f"ON CONFLICT (key) DO UPDATE SET tokens = CASE WHEN {refill} >= 1 "
                f"THEN {refill} - 1 ELSE {refill} END, allowed = {refill} >= 1, at = %(now)s "
                "RETURNING tokens, allowed",
                {"key": key, "burst": float(burst), "now": now, "rate": rate},
            ).fetchone()
        assert row is not None
        tokens, allowed = float(row[0]), bool(row[1])
        return 0.0 if allowed else (1.0 - tokens) / rate

    @contextmanager
    def transaction(self, branch: str | None = None) -> Iterator[Run]:
        """A write transaction (as `write`) for statements of other modules (`?` placeholders):
        the branch console's tables."""
        with self.write(branch) as writer:
            conn = writer._conn

            def run(query: str, params: Sequence[Any] = ()) -> Any:
                return conn.execute(pg(query), params)

            yield run

    @contextmanager
    def reader(self) -> Iterator[Run]:
        """Reads on a pooled connection (`?` placeholders), for other modules' statements."""
        with self._conn() as conn:

            def run(query: str, params: Sequence[Any] = ()) -> Any:
                return conn.execute(pg(query), params)

            yield run

    def ping(self) -> bool:
        """Whether the database answers a trivial query now (the deep health check)."""
        try:
            with self._pool.connection(timeout=2) as conn:
                conn.execute("SELECT 1")
            return True
        except Exception:
            return False

    def close(self) -> None:
        """Close the pool's connections."""
        self._pool.close()

    def __enter__(self) -> PostgresCentralStorage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
