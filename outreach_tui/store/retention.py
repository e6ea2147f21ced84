"""Keeping less (UU 27/2022): the retention purge, requests to forget a person, and their queue.

What is removed from a record (``PERSONAL_FIELDS``): name, NIK, birth date, sex, phone, street,
notes and income; ``full_name`` and ``name_key`` become '' (the columns are NOT NULL). What stays:
id, version, status, area (region_code, rw, rt), KPJ number, programs, contribution, occupation,
decline reason, follow-up date, consent and its proof, created_at / updated_at; so purged records
still count in reports. Besides the row:

- every ``record_versions`` row of the record is deleted: the versions are frozen (a trigger
  forbids UPDATE), and their history is personal data; nothing is left to push, since a purge
  only takes records whose every change the central API acknowledged;
- its search-index row is deleted;
- the notes of its visits (and of any visit the central API acknowledged before the cutoff) are
  removed: visits are immutable (UPDATE is forbidden), so the row is deleted and inserted again
  without its note; an acknowledged visit is never pushed again.

A purge never writes a version or a change-log row, so sync never pushes it back. It runs with
``PRAGMA secure_delete = ON`` and ends with a merge of the search index, a new ANALYZE when
``sqlite_stat4`` exists (it keeps sample index values: NIKs, phones, names), a VACUUM and a WAL
checkpoint (TRUNCATE), so the removed bytes are gone from the database file, not just unlinked.

A forget request (:meth:`RetentionMixin.forget_record`) removes the same fields at once, whether
or not the record was sent: its unsent change-log rows are dropped (they would push the person's
data) and, if the central API may hold the record, a ``forget_requests`` row waits for the next
sync (``sync/forget.py``). The audit log names the fields removed, never their values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlcipher3

from .audit import AuditEntry, append_audit
from .base import StoreBase, owned, utc_now
from .connection import Connection
from .fields import CONTENT_FIELDS, PERSONAL_FIELDS, canonical_id, content_json, sha256_hex
from .outbox import PUSH_CHECKPOINT

_HELD = "('accepted', 'duplicate')"
_BLANK = ", ".join(
    f"{name} = ''" if name == "full_name" else f"{name} = NULL" for name in PERSONAL_FIELDS
)
_VISIT_COLUMNS = (
    "id",
    "record_id",
    "at",
    "region_code",
    "rw",
    "rt",
    "outcome",
    "note",
    "officer_id",
    "created_at",
)
FORGET_RESULTS = ("forgotten", "not_held", "forbidden")


def _stamp(moment: datetime) -> str:
    """A datetime in the store's fixed-width UTC text form (see ``utc_now``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(slots=True)
class PurgeReport:
    """What a purge did (or, with ``dry_run``, would do)."""

    cutoff: str
    days: int
    dry_run: bool = False
    records: list[str] = field(default_factory=list)  # ids of the records emptied
    visits: int = 0  # visit notes removed
    kept_unsent: int = 0  # records still holding personal data because not acknowledged
    compacted: bool = False  # VACUUM ran: the removed bytes are gone from the file

    def to_json(self) -> dict[str, Any]:
        """The report as ``outreach purge --json`` prints it (ids, counts; no personal data)."""
        data = asdict(self)
        data["record_count"] = len(self.records)
        return data


class RetentionMixin(StoreBase):
    """The retention purge, forget requests, and the queue of forget requests for sync."""

    @owned
    def purge_expired(
        self, now: datetime | None = None, days: int = 30, *, dry_run: bool = False
    ) -> PurgeReport:
        """Remove the personal fields of records acknowledged by the central API before
        ``now - days``, and the notes of such visits; records with unsent changes are kept."""
        if days < 0:
            raise ValueError("days must be >= 0")
        moment = now or datetime.now(UTC)
        cutoff = _stamp(moment - timedelta(days=days))
        checkpoint = self._checkpoint()
        report = PurgeReport(cutoff=cutoff, days=days, dry_run=dry_run)
        ids = [
            row[0]
            for row in self._conn.execute(
                "SELECT r.id FROM records r JOIN sync_acks a ON a.entity = 'record' "
                "AND a.entity_id = r.id AND a.version = r.version "
                f"WHERE r.purged_at IS NULL AND r.sync_state = 'synced' AND a.ack IN {_HELD} "
                "AND a.ack_at <= ? AND NOT EXISTS (SELECT 1 FROM changes c WHERE "
                "c.entity = 'record' AND c.entity_id = r.id AND c.seq > ?) ORDER BY r.rid",
                (cutoff, checkpoint),
            )
        ]
        report.records = ids
        report.kept_unsent = int(
            self._scalar(
                "SELECT count(*) FROM records WHERE purged_at IS NULL AND sync_state <> 'synced'"
            )
        )
        visit_ids = [
            row[0]
            for row in self._conn.execute(
                "SELECT v.id FROM visits v JOIN sync_acks a ON a.entity = 'visit' "
                f"AND a.entity_id = v.id WHERE v.note IS NOT NULL AND a.ack IN {_HELD} "
                "AND a.ack_at <= ?",
                (cutoff,),
            )
        ]
        if dry_run:
            report.visits = len(visit_ids) + self._visit_notes_of(ids, exclude=visit_ids)
            return report
        if not ids and not visit_ids:
            return report
        with self._secure_delete():
            with self._write() as conn:
                now_text = utc_now()
                audit = self._empty_records(conn, ids, now_text, "purge")
                report.visits = _drop_visit_notes(conn, ids, visit_ids)
                append_audit(conn, now_text, "retention", audit)
            report.compacted = self._compact()
        return report

    def _checkpoint(self) -> int:
        """The push checkpoint: change-log rows above it are not acknowledged yet."""
        return int(self._scalar("SELECT value FROM meta WHERE key = ?", (PUSH_CHECKPOINT,)) or 0)

    def _visit_notes_of(self, record_ids: list[str], exclude: list[str]) -> int:
        """How many visits of ``record_ids`` have a note (those not in ``exclude``)."""
        if not record_ids:
            return 0
        return int(
            self._scalar(
                "SELECT count(*) FROM visits WHERE note IS NOT NULL AND record_id IN "
                "(SELECT value FROM json_each(?)) AND id NOT IN (SELECT value FROM json_each(?))",
                (json.dumps(record_ids), json.dumps(exclude)),
            )
        )

    def _empty_records(
        self, conn: Connection, ids: list[str], now: str, action: str
    ) -> list[AuditEntry]:
        """Blank the personal fields of ``ids``, drop their versions and search rows."""
        audit: list[AuditEntry] = []
        if not ids:
            return audit
        columns = ", ".join(CONTENT_FIELDS)
        rows = conn.execute(
            f"SELECT id, rid, version, {columns} FROM records "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        ).fetchall()
        updates = []
        for row in rows:
            content = dict(zip(CONTENT_FIELDS, row[3:], strict=True))
            removed = [name for name in PERSONAL_FIELDS if content[name] not in (None, "")]
            for name in PERSONAL_FIELDS:
                content[name] = None
            content["consent"] = bool(content["consent"])
            updates.append((sha256_hex(content_json(content)), now, row[1]))
            audit.append(AuditEntry(action, "record", row[0], row[2], removed))
        conn.executemany(
            f"UPDATE records SET {_BLANK}, name_key = '', content_hash = ?, purged_at = ? "
            "WHERE rid = ?",
            updates,
        )
        doomed = json.dumps(ids)
        conn.execute(
            "DELETE FROM records_fts WHERE rowid IN (SELECT rid FROM records "
            "WHERE id IN (SELECT value FROM json_each(?)))",
            (doomed,),
        )
        conn.execute(
            "DELETE FROM record_versions WHERE record_id IN (SELECT value FROM json_each(?))",
            (doomed,),
        )
        return audit

    @contextmanager
    def _secure_delete(self) -> Iterator[None]:
        """Run a block with ``PRAGMA secure_delete = ON``: deleted content is overwritten."""
        self._conn.execute("PRAGMA secure_delete = ON")
        try:
            yield
        finally:
            self._conn.execute("PRAGMA secure_delete = OFF")

    def _compact(self) -> bool:
        """Make removed bytes really go: merge the search index, VACUUM, truncate the WAL.

        False when another connection kept VACUUM from running (the removal itself is already
        committed; secure_delete has overwritten the deleted content, and the next purge or
        forget compacts again).
        """
        with self._write() as conn:
            conn.execute("INSERT INTO records_fts (records_fts) VALUES ('optimize')")
            # sqlite_stat4 (ANALYZE, run by PRAGMA optimize) keeps sample values of indexes,
            # NIKs, phones and name keys among them: sample again from what is left.
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'").fetchone():
                conn.execute("ANALYZE records")
                conn.execute("ANALYZE visits")
        try:
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlcipher3.OperationalError:
            return False
        return True

    @owned
    def forget_record(self, record_id: str, *, actor: str) -> bool:
        """Remove one person's personal data now (a UU PDP request); False when no such record.

        Every version goes, the unsent changes of the record are dropped (they would push the
        data), the notes of its visits are removed, and a request waits for the next sync when
        the central API may hold the record. Audited with the field names only.
        """
        if not actor:
            raise ValueError("actor is required: the audit log must say who asked")
        try:
            record_id = canonical_id(record_id)
        except ValueError:
            return False
        if not self._scalar("SELECT 1 FROM records WHERE id = ?", (record_id,)):
            return False
        with self._secure_delete():
            with self._write() as conn:
                now = utc_now()
                checkpoint = self._checkpoint()
                sent = self._scalar(
                    "SELECT 1 FROM sync_acks WHERE entity = 'record' AND entity_id = ?",
                    (record_id,),
                )
                audit = self._empty_records(conn, [record_id], now, "forget")
                _drop_visit_notes(conn, [record_id], [])
                conn.execute(
                    "DELETE FROM changes WHERE entity = 'record' AND entity_id = ? AND seq > ?",
                    (record_id, checkpoint),
                )
                # Versions sent but never answered are not sent again (their data is gone).
                conn.execute(
                    "DELETE FROM sync_acks WHERE entity = 'record' AND entity_id = ? "
                    "AND ack IS NULL",
                    (record_id,),
                )
                conn.execute(
                    "UPDATE records SET sync_state = 'synced' WHERE id = ? "
                    "AND sync_state = 'pending'",
                    (record_id,),
                )
                if sent:
                    conn.execute(
                        "INSERT INTO forget_requests (record_id, requested_at, actor) "
                        "VALUES (?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET "
                        "requested_at = excluded.requested_at, sent_at = NULL, result = NULL",
                        (record_id, now, actor),
                    )
                append_audit(conn, now, actor, audit)
            self._compact()
        return True

    @owned
    def pending_forgets(self, limit: int = 1000) -> list[str]:
        """Ids of records whose forget request the central API has not answered yet."""
        rows = self._conn.execute(
            "SELECT record_id FROM forget_requests WHERE sent_at IS NULL "
            "ORDER BY requested_at LIMIT ?",
            (limit,),
        )
        return [row[0] for row in rows]

    @owned
    def forget_sent(self, record_id: str, result: str) -> None:
        """The central API answered a forget request: ``forgotten``, ``not_held`` or
        ``forbidden`` (another branch's record)."""
        if result not in FORGET_RESULTS:
            raise ValueError(f"unknown forget result: {result!r}")
        with self._write() as conn:
            conn.execute(
                "UPDATE forget_requests SET sent_at = ?, result = ? WHERE record_id = ?",
                (utc_now(), result, record_id),
            )
            append_audit(
                conn,
                utc_now(),
                "central",
                [AuditEntry("forget_" + result, "record", record_id, None, [])],
            )

    @owned
    def forget_requests(self) -> list[dict[str, Any]]:
        """Every forget request with its state (ids and times only)."""
        return self._rows(
            "SELECT record_id, requested_at, actor, sent_at, result FROM forget_requests "
            "ORDER BY requested_at"
        )


def _drop_visit_notes(conn: Connection, record_ids: list[str], visit_ids: list[str]) -> int:
    """Remove the notes of the visits of ``record_ids`` and of ``visit_ids``; returns how many.

    Visits are immutable (a trigger forbids UPDATE): each is deleted and inserted again, the
    same row without its note, in the caller's transaction.
    """
    columns = ", ".join(_VISIT_COLUMNS)
    rows = conn.execute(
        f"SELECT {columns} FROM visits WHERE note IS NOT NULL AND "
        "(record_id IN (SELECT value FROM json_each(?)) OR id IN (SELECT value FROM json_each(?)))",
        (json.dumps(record_ids), json.dumps(visit_ids)),
    ).fetchall()
    if not rows:
        return 0
    note = _VISIT_COLUMNS.index("note")
    conn.executemany("DELETE FROM visits WHERE id = ?", [(row[0],) for row in rows])
    marks = ", ".join("?" for _ in _VISIT_COLUMNS)
    conn.executemany(
        f"INSERT INTO visits ({columns}) VALUES ({marks})",
        [(*row[:note], None, *row[note + 1 :]) for row in rows],
    )
    return len(rows)
