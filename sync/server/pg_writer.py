"""The central database's write side on PostgreSQL: one transaction's primitives.

The same operations as `sqlite_writer.SqliteWriter`, on the same tables and keys; where SQLite
leans on its single writer (the next rid or KPJ number read under the write lock), PostgreSQL
uses sequences, and where a refused statement must undo only itself, a savepoint.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors

from sync.protocol import ServerChangeKind
from sync.server import central_sql as sql
from sync.server.central_sql import pg
from sync.server.forget import blank_record, blank_visit
from sync.server.kpj import make_kpj
from sync.server.sqlite_writer import _json, _state
from sync.server.storage import (
    CurrentRecord,
    NewChange,
    NewRecord,
    NewVersion,
    NewVisit,
    RecordHead,
    RecordState,
    StoredItem,
)

RECORD_SELECT = pg(sql.RECORD_SELECT)
_INSERT_CHANGE = pg(sql.INSERT_CHANGE)
UNIQUE = errors.UniqueViolation


class PgWriter:
    """The operations of one write transaction on PostgreSQL (implements `CentralWriter`)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn
        self._new_rids: dict[str, int] = {}

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self._conn.execute(sql, params).fetchone()

    @contextmanager
    def item(self) -> Iterator[None]:
        """A savepoint: an exception inside rolls back this item's writes only, then propagates."""
        with self._conn.transaction():
            yield

    @contextmanager
    def _attempt(self) -> Iterator[None]:
        """A statement that may be refused by a unique key: a refusal undoes only itself."""
        with self._conn.transaction():
            yield

    def run(self, query: str, params: Sequence[Any] = ()) -> Any:
        """A `?` statement of another module inside this transaction (groups and events)."""
        return self._conn.execute(pg(query), params)

    def record_state(self, record_id: str) -> RecordState | None:
        """The current state of a record, or None when the server has never accepted it."""
        row = self._one(RECORD_SELECT + " WHERE r.record_id = %s", (record_id,))
        return None if row is None else _state(row)

    def record_heads(self, record_ids: Sequence[str]) -> dict[str, RecordHead]:
        """The stored records among `record_ids`, by id, in one query."""
        if not record_ids:
            return {}
        rows = self._conn.execute(
            "SELECT r.record_id, r.branch, r.version, r.content_hash, r.duplicate_of, "
            "k.kpj_number FROM records r LEFT JOIN kpj_numbers k ON k.rid = r.rid "
            "WHERE r.record_id = ANY(%s)",
            (list(record_ids),),
        )
        return {row[0]: RecordHead(*row) for row in rows}

    def _refused_at(self, records: Sequence[NewRecord]) -> int:
        """The index of the first record whose id or NIK is held (stored, or earlier in the
        batch); len(records) when none is."""
        ids = [new.record_id for new in records]
        niks = [new.nik for new in records if new.nik]
        held_ids = {
            row[0]
            for row in self._conn.execute(
                "SELECT record_id FROM records WHERE record_id = ANY(%s)", (ids,)
            )
        }
        held_niks = {
            row[0]
            for row in self._conn.execute(
                "SELECT nik FROM records WHERE nik = ANY(%s) AND duplicate_of IS NULL", (niks,)
            )
        }
        for index, new in enumerate(records):
            if new.record_id in held_ids or (new.nik and new.nik in held_niks):
                return index
            held_ids.add(new.record_id)
            if new.nik:
                held_niks.add(new.nik)
        return len(records)

    def insert_new_records(self, records: Sequence[NewRecord]) -> int:
        """Store new records in order until one's id or NIK is taken; returns how many."""
        if not records:
            return 0
        stored = len(records)
        while True:
            batch = records[:stored]
            try:
                with self._attempt():
                    rids = self._insert_rows(batch)
                break
            except UNIQUE:
                # Another transaction took an id or NIK meanwhile, or one is held: find the
                # first refused record and store only those before it.
                stored = min(stored - 1, self._refused_at(records[:stored]))
                if stored <= 0:
                    return 0
        self._new_rids.update(zip((new.record_id for new in batch), rids, strict=True))
        return stored

    def _insert_rows(self, batch: Sequence[NewRecord]) -> list[int]:
        """Insert the records and their first versions; the rids in order."""
        rids = [
            int(row[0])
            for row in self._conn.execute(
                "SELECT nextval('records_rid_seq') FROM generate_series(1, %s)",
                (len(batch),),
            )
        ]
        # COPY: one stream per table for the whole batch (a taken id or NIK fails the stream,
        # and the savepoint around it, as an INSERT would).
        with self._conn.cursor() as cursor:
            with cursor.copy(
                "COPY records (rid, record_id, branch, officer_id, version, content_hash, "
                "record, nik, created_at, updated_at, consent_at, consent_by, consent_version, "
                "status, region_code, rw, decline_reason) FROM STDIN"
            ) as copy:
                for rid, new in zip(rids, batch, strict=True):
                    copy.write_row((
                        rid, new.record_id, new.branch, new.officer_id, new.version,
                        new.content_hash, None if new.record_is_data else _json(new.record),
                        new.nik, new.received_at, new.received_at, new.consent_at,
                        new.consent_by, new.consent_version, *sql.facts(new.record),
                    ))  # fmt: skip
            with cursor.copy(
                "COPY record_versions (rid, version, base_version, content_hash, data, branch, "
                "officer_id, device_id, received_at) FROM STDIN"
            ) as copy:
                for rid, new in zip(rids, batch, strict=True):
                    copy.write_row((
                        rid, new.version, new.base_version, new.content_hash, new.data_json,
                        new.branch, new.officer_id, new.device_id, new.received_at,
                    ))  # fmt: skip
        return rids

    def insert_version(self, version: NewVersion) -> bool:
        """Keep a version of a record that has its row; False when the version is stored."""
        cursor = self._conn.execute(pg(sql.INSERT_VERSION_OF_RECORD), sql.version_params(version))
        if cursor.rowcount == 1:
            return True
        if self._rid(version.record_id) is None:
            raise LookupError("a version needs its record's current state first")
        return False

    def _rid(self, record_id: str) -> int | None:
        row = self._one(pg(sql.RID_OF), (record_id,))
        return None if row is None else int(row[0])

    def stored_version(self, record_id: str, version: int) -> StoredItem | None:
        """The stored version `version` of a record, for replay and conflict answers."""
        row = self._one(pg(sql.STORED_VERSION), (record_id, version))
        return None if row is None else StoredItem(*row)

    def save_current(self, current: CurrentRecord) -> str | None:
        """Upsert the current state; flagged (returns the holder's id) when the NIK is taken."""
        try:
            with self._attempt():
                self._upsert(current, None)
            return None
        except UNIQUE:
            holder = self._one(pg(sql.NIK_HOLDER), (current.nik, current.record_id))
            if holder is None:  # pragma: no cover - the index and this query disagree
                raise
            self._upsert(current, holder[0])
            return str(holder[0])

    def _upsert(self, current: CurrentRecord, duplicate_of: str | None) -> None:
        self._conn.execute(
            pg(sql.UPSERT_CURRENT), sql.current_params(current, _json(current.record), duplicate_of)
        )

    def assign_kpj(self, record_id: str, at: str) -> tuple[str, bool]:
        """The record's KPJ number; a new one is made from the next sequence number."""
        row = self._one(pg(sql.KPJ_OF) + " FOR UPDATE OF r", (record_id,))
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
                "SELECT record_id, rid FROM records WHERE record_id = ANY(%s)", (missing,)
            )
            rids = {**rids, **{row[0]: int(row[1]) for row in rows}}
        return self._assign([rids[record_id] for record_id in record_ids], at)

    def _assign(self, rids: list[int], at: str) -> list[str]:
        if not rids:
            return []
        # Numbers from the sequence: never handed out twice, whatever runs at the same time
        # (a number taken by a rolled-back transaction is skipped, as SQLite never does).
        seqs = [
            int(row[0])
            for row in self._conn.execute(
                "SELECT nextval('kpj_seq') FROM generate_series(1, %s)", (len(rids),)
            )
        ]
        numbers = [make_kpj(seq) for seq in seqs]
        with (
            self._conn.cursor() as cursor,
            cursor.copy("COPY kpj_numbers (seq, rid, kpj_number, assigned_at) FROM STDIN") as copy,
        ):
            for row in zip(seqs, rids, numbers, strict=True):
                copy.write_row((*row, at))
        return numbers

    def set_central_status(self, record_id: str, status: str | None, at: str) -> None:
        """Set the status only the central side decides (`active` once paid)."""
        self._conn.execute(pg(sql.SET_CENTRAL_STATUS), (status, at, record_id))

    def log_change(
        self,
        branch: str,
        record_id: str,
        kind: ServerChangeKind,
        fields: Mapping[str, Any],
        at: str,
    ) -> int:
        """Append a server change in this transaction; returns its seq."""
        row = self._one(
            _INSERT_CHANGE + " RETURNING seq",
            (branch, record_id, kind, _json(fields), at, record_id),
        )
        return int(row[0]) if row else 0

    def log_changes(self, changes: Sequence[NewChange]) -> None:
        """Append server changes in order (the owners read in one query, then one COPY)."""
        if not changes:
            return
        owners = dict(
            self._conn.execute(
                "SELECT record_id, officer_id FROM records WHERE record_id = ANY(%s)",
                (list({c.record_id for c in changes}),),
            ).fetchall()
        )
        with (
            self._conn.cursor() as cursor,
            cursor.copy(
                "COPY server_changes (branch, record_id, kind, fields, at, officer_id) FROM STDIN"
            ) as copy,
        ):
            for c in changes:
                copy.write_row(
                    (c.branch, c.record_id, c.kind, _json(c.fields), c.at, owners.get(c.record_id))
                )

    def insert_visit(self, visit: NewVisit) -> bool:
        """Keep a visit; False when the visit id is already stored."""
        cursor = self._conn.execute(pg(sql.INSERT_VISIT), sql.visit_params(visit))
        return cursor.rowcount == 1

    def stored_visit(self, visit_id: str) -> StoredItem | None:
        """The stored visit with this id."""
        row = self._one(pg(sql.STORED_VISIT), (visit_id,))
        return None if row is None else StoredItem(*row)

    def forget_record(self, record_id: str, at: str) -> bool:
        """Blank a record's personal fields in every row that keeps them (as `forget_rows`)."""
        row = self._one("SELECT rid, record FROM records WHERE record_id = %s", (record_id,))
        if row is None:
            return False
        rid, record = row
        versions = self._conn.execute(
            "SELECT version, data FROM record_versions WHERE rid = %s", (rid,)
        ).fetchall()
        with self._conn.cursor() as cursor:
            cursor.executemany(
                "UPDATE record_versions SET data = %s WHERE rid = %s AND version = %s",
                [(blank_record(data), rid, version) for version, data in versions],
            )
            self._conn.execute(
                "UPDATE records SET record = %s, nik = NULL, updated_at = %s WHERE rid = %s",
                (None if record is None else blank_record(record), at, rid),
            )
            visits = self._conn.execute(
                "SELECT visit_id, data FROM visits WHERE record_id = %s", (record_id,)
            ).fetchall()
            cursor.executemany(
                "UPDATE visits SET data = %s WHERE visit_id = %s",
                [(blank_visit(data), visit_id) for visit_id, data in visits],
            )
        return True

    def flagged_by(self, record_id: str) -> list[str]:
        """The records flagged as holding the NIK of `record_id`, oldest first."""
        rows = self._conn.execute(pg(sql.FLAGGED_BY), (record_id,))
        return [str(row[0]) for row in rows]

    def reflag(self, record_id: str) -> str | None:
        """Lift a record's duplicate flag; when another record now holds its NIK, point there."""
        try:
            with self._attempt():
                self._conn.execute(pg(sql.LIFT_FLAG), (record_id,))
            return None
        except UNIQUE:
            holder = self._one(pg(sql.HOLDER_OF_NIK_OF), (record_id, record_id))
            assert holder is not None
            self._conn.execute(pg(sql.SET_FLAG), (holder[0], record_id))
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
        """One entry of the central audit log."""
        self._conn.execute(pg(sql.INSERT_AUDIT), (at, actor, action, record_id, key_id, reason))
