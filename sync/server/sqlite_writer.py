"""The central database's write side: one transaction's primitives (`CentralWriter` in SQLite)."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sync.protocol import ServerChangeKind
from sync.server import central_sql as sql
from sync.server.forget import forget_rows
from sync.server.kpj import make_kpj
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

# `records.record` is NULL when the normalized record is the current version's data as sent.

_RECORD_SELECT = sql.RECORD_SELECT
_HEADS_SELECT = (
    "SELECT r.record_id, r.branch, r.version, r.content_hash, r.duplicate_of, k.kpj_number "
    "FROM records r LEFT JOIN kpj_numbers k ON k.rid = r.rid "
    "WHERE r.record_id IN (SELECT value FROM json_each(?))"
)
_INSERT_RECORD = (
    "INSERT INTO records (rid, record_id, branch, officer_id, version, content_hash, record, "
    "nik, created_at, updated_at, consent_at, consent_by, consent_version, status, "
    "region_code, rw, decline_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_VERSION = (
    "INSERT INTO record_versions (rid, version, base_version, content_hash, data, branch, "
    "officer_id, device_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_CHANGE = sql.INSERT_CHANGE


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
        consent_at=row[10],
        consent_by=row[11],
        consent_version=row[12],
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
        "replaced_at": row[5] if len(row) > 5 else None,
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

    def run(self, query: str, params: Sequence[Any] = ()) -> Any:
        """A `?` statement of another module inside this transaction (groups and events)."""
        return self._conn.execute(query, params)

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
                new.consent_at,
                new.consent_by,
                new.consent_version,
                *sql.facts(new.record),
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
        cursor = self._conn.execute(sql.INSERT_VERSION_OF_RECORD, sql.version_params(version))
        if cursor.rowcount == 1:
            return True
        if self._rid(version.record_id) is None:
            raise LookupError("a version needs its record's current state first")
        return False

    def _rid(self, record_id: str) -> int | None:
        row = self._conn.execute(sql.RID_OF, (record_id,)).fetchone()
        return None if row is None else int(row[0])

    def stored_version(self, record_id: str, version: int) -> StoredItem | None:
        """The stored version `version` of a record, for replay and conflict answers."""
        row = self._conn.execute(sql.STORED_VERSION, (record_id, version)).fetchone()
        return None if row is None else StoredItem(*row)

    def save_current(self, current: CurrentRecord) -> str | None:
        """Upsert the current state; flagged (returns the holder's id) when the NIK is taken."""
        try:
            # A statement that breaks a constraint undoes only itself (ON CONFLICT ABORT).
            self._upsert(current, None)
            return None
        except sqlite3.IntegrityError:
            # Only the partial unique index on NIK can refuse this upsert.
            holder = self._conn.execute(sql.NIK_HOLDER, (current.nik, current.record_id)).fetchone()
            if holder is None:  # pragma: no cover - the index and this query disagree
                raise
            self._upsert(current, holder[0])
            return str(holder[0])

    def _upsert(self, current: CurrentRecord, duplicate_of: str | None) -> None:
        self._conn.execute(
            sql.UPSERT_CURRENT, sql.current_params(current, _json(current.record), duplicate_of)
        )

    def assign_kpj(self, record_id: str, at: str) -> tuple[str, bool]:
        """The record's KPJ number; a new one is made from the next sequence number."""
        row = self._conn.execute(sql.KPJ_OF, (record_id,)).fetchone()
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
        self._conn.execute(sql.SET_CENTRAL_STATUS, (status, at, record_id))

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
            _INSERT_CHANGE, (branch, record_id, kind, _json(fields), at, record_id)
        )
        return int(cursor.lastrowid or 0)

    def log_changes(self, changes: Sequence[NewChange]) -> None:
        """Append server changes in order."""
        self._conn.executemany(
            _INSERT_CHANGE,
            [(c.branch, c.record_id, c.kind, _json(c.fields), c.at, c.record_id) for c in changes],
        )

    def insert_visit(self, visit: NewVisit) -> bool:
        """Keep a visit; False when the visit id is already stored."""
        cursor = self._conn.execute(sql.INSERT_VISIT, sql.visit_params(visit))
        return cursor.rowcount == 1

    def stored_visit(self, visit_id: str) -> StoredItem | None:
        """The stored visit with this id."""
        row = self._conn.execute(sql.STORED_VISIT, (visit_id,)).fetchone()
        return None if row is None else StoredItem(*row)

    def forget_record(self, record_id: str, at: str) -> bool:
        """Blank a record's personal fields in every row that keeps them (`forget.forget_rows`)."""
        return forget_rows(self._conn, record_id, at)

    def flagged_by(self, record_id: str) -> list[str]:
        """The records flagged as holding the NIK of `record_id`, oldest first."""
        rows = self._conn.execute(sql.FLAGGED_BY, (record_id,))
        return [str(row[0]) for row in rows]

    def reflag(self, record_id: str) -> str | None:
        """Lift a record's duplicate flag; when another record now holds its NIK, point there."""
        try:
            self._conn.execute(sql.LIFT_FLAG, (record_id,))
            return None
        except sqlite3.IntegrityError:
            holder = self._conn.execute(sql.HOLDER_OF_NIK_OF, (record_id, record_id)).fetchone()
            self._conn.execute(sql.SET_FLAG, (holder[0], record_id))
            return str(holder[0])

    def audit(
        self,
        at: str,
        actor: str,
        action: str,
        *,
        record_id: str | None = None,
        key_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        """One entry of the central audit log (who did what by hand or as a device, and why)."""
        self._conn.execute(sql.INSERT_AUDIT, (at, actor, action, record_id, key_id, reason))
