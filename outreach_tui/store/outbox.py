"""The store's side of sync: the outbox read from the change log, acknowledgments, the journal.

Rules kept here (docs/sync-protocol.md):
- A version is frozen; once sent (`sync_acks.sent_at`) it is re-sent unchanged, with the
  base it was first sent with, until the server answers it. A later edit is pushed as a
  new version whose base is the newest version the server has or may have.
- Of the unsent versions of one record only the newest is pushed (intermediate versions
  stay local history).
- The push checkpoint (meta `sync.push_checkpoint`) moves only in `apply_push_results`,
  in the same transaction that stores the server's answers (`syncstate.py`).
- Server changes (KPJ number, `active`, duplicate flags) are applied without making a
  new version and never overwrite a local edit that is not yet sent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sync.outbox import OutboxItem  # the shape sync declares; the store fills it

from .audit import AuditEntry, append_audit
from .base import owned, utc_now
from .connection import Connection
from .fields import CONTENT_FIELDS
from .syncstate import PUSH_CHECKPOINT, SyncStateMixin

PULL_CURSOR = "sync.pull_cursor"
# meta key prefix: the version the server said it holds when it answered a record `conflict`
# (`ItemResult.current_version`); `resolve_conflict` (conflicts.py) bases a new version on it.
SERVER_VERSION = "sync.server_version."
# The server owns these: never pushed as the officer's content.
_SERVER_OWNED = frozenset({"kpj_number"})
_WIRE_SORTED = tuple(sorted(f for f in CONTENT_FIELDS if f not in _SERVER_OWNED))
_VISIT_FIELDS = ("record_id", "at", "region_code", "rw", "rt", "outcome", "note", "officer_id")
_HELD = ("accepted", "duplicate")  # answers that mean the server holds that version


def _set_kpj(conn: Connection, record_id: str, kpj: str) -> bool:
    """Set a record's KPJ number; True if the record is here (even if it had that number).

    The push's answer usually brought the number already: rewriting a scattered wide row
    with the same value was most of a pull's cost, so an equal number writes nothing.
    """
    if conn.execute(
        "UPDATE records SET kpj_number = ?1 WHERE id = ?2 AND kpj_number IS NOT ?1",
        (kpj, record_id),
    ).rowcount:
        return True
    return conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone() is not None


def _versions_to_push(
    seq: int, record_id: str, current: int, acks: dict[int, tuple[Any, ...]]
) -> list[tuple[int, str, int, int | None]]:
    """(seq, id, version, base) to send for one record: answers still owed, then the newest.

    Versions sent but never answered go again first, with the base they were first sent
    with; the newest version follows, based on the newest version the server has or may
    have. Versions in between that were never sent stay local history.
    """
    held = max((v for v, (ack, _, _) in acks.items() if ack in _HELD), default=None)
    owed = sorted(v for v, (ack, sent, _) in acks.items() if sent and not ack)
    versions = [v for v in owed if held is None or v > held]
    if current not in versions and not acks.get(current, (None,))[0]:
        versions.append(current)
    wanted: list[tuple[int, str, int, int | None]] = []
    base = held
    for version in versions:
        ack = acks.get(version)
        sent_base = ack[2] if ack and ack[1] else base
        wanted.append((seq, record_id, version, sent_base))
        base = version
    return wanted


class OutboxMixin(SyncStateMixin):
    """Implements sync.client.SyncStore over the change log and the sync tables."""

    def _meta_int(self, key: str) -> int:
        value = self._scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return int(value) if value else 0

    @owned
    def apply_push_results(
        self,
        items: Sequence[OutboxItem],
        results: Sequence[dict[str, Any]],
        upto_seq: int,
        *,
        then_sent: Sequence[OutboxItem] = (),
        settle: bool = True,
    ) -> None:
        """Keep the server's version of each record conflict, then store the answers.

        Written before the answers' transaction: a crash in between sends the batch again
        and the server answers the same, so the version is never missing for a stored conflict.
        """
        held = [
            (SERVER_VERSION + item.id, str(int(result["current_version"])))
            for item, result in zip(items, results, strict=True)
            if item.kind == "record"
            and result.get("status") == "conflict"
            and isinstance(result.get("current_version"), int)
        ]
        if held:
            with self._write() as conn:
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    held,
                )
        super().apply_push_results(items, results, upto_seq, then_sent=then_sent, settle=settle)

    @owned
    def push_checkpoint(self) -> int:
        """The change-log position up to which the server acknowledged everything."""
        return self._meta_int(PUSH_CHECKPOINT)

    @owned
    def pull_cursor(self) -> int:
        """The server's change cursor up to which this laptop has applied server changes."""
        return self._meta_int(PULL_CURSOR)

    @owned
    def outbox_size(self) -> int:
        """How many change-log entries are not yet acknowledged (an upper bound on items)."""
        return int(
            self._scalar("SELECT count(*) FROM changes WHERE seq > ?", (self.push_checkpoint(),))
        )

    @owned
    def outbox(self, after_seq: int, limit: int) -> tuple[list[OutboxItem], int]:
        """Items for up to `limit` change-log entries after `after_seq`, and the last seq read."""
        # One read: each position with its record's current version and that version's
        # frozen data (what is usually sent); other versions are read by _version_items.
        rows = self._conn.execute(
            "SELECT c.seq, c.entity, c.entity_id, r.version, v.data, "
            "r.consent_at, r.consent_by, r.consent_version FROM changes c "
            "LEFT JOIN records r ON c.entity = 'record' AND r.id = c.entity_id "
            "LEFT JOIN record_versions v ON v.record_id = r.id AND v.version = r.version "
            "WHERE c.seq > ? ORDER BY c.seq LIMIT ?",
            (after_seq, limit),
        ).fetchall()
        if not rows:
            return [], after_seq
        upto = rows[-1][0]
        items: list[OutboxItem] = []
        seen: set[tuple[str, str]] = set()
        records = [(row[0], row[2]) for row in rows if row[1] == "record"]
        visits = [(row[0], row[2]) for row in rows if row[1] == "visit"]
        acks = self._acks([eid for _, eid in records], "record")
        current: dict[str, int] = {}
        known: dict[tuple[str, int], str] = {}
        proofs: dict[str, tuple[str | None, str | None, str | None]] = {}
        for _, entity, eid, version, data, *proof in rows:
            if entity == "record" and version is not None:
                current[eid] = version
                if proof[0] is not None:  # consent proof (record columns, sent unhashed)
                    proofs[eid] = (proof[0], proof[1], proof[2])
                if data is not None:
                    known[(eid, version)] = data
        wanted: list[tuple[int, str, int, int | None]] = []
        for seq, record_id in records:
            if ("record", record_id) in seen or record_id not in current:
                continue
            seen.add(("record", record_id))
            if record_id not in acks:  # never sent: its current version, on no base
                wanted.append((seq, record_id, current[record_id], None))
                continue
            wanted.extend(_versions_to_push(seq, record_id, current[record_id], acks[record_id]))
        items.extend(self._version_items(wanted, known, proofs))
        visit_acks = self._acks([eid for _, eid in visits], "visit")
        for seq, visit_id in visits:
            if ("visit", visit_id) in seen or visit_acks.get(visit_id, {}).get(1, (None,))[0]:
                continue
            seen.add(("visit", visit_id))
            item = self._visit_item(seq, visit_id, visit_acks.get(visit_id, {}))
            if item is not None:
                items.append(item)
        items.sort(key=lambda i: i.seq)
        return items, upto

    def _acks(self, ids: list[str], entity: str) -> dict[str, dict[int, tuple[Any, ...]]]:
        """For each id: version -> (ack, sent_at, sent_base)."""
        found: dict[str, dict[int, tuple[Any, ...]]] = {}
        if not ids:
            return found
        for eid, version, ack, sent_at, sent_base in self._conn.execute(
            "SELECT entity_id, version, ack, sent_at, sent_base FROM sync_acks "
            "WHERE entity = ? AND entity_id IN (SELECT value FROM json_each(?))",
            (entity, json.dumps(sorted(set(ids)))),
        ):
            found.setdefault(eid, {})[version] = (ack, sent_at, sent_base)
        return found

    def _version_items(
        self,
        wanted: list[tuple[int, str, int, int | None]],
        known: dict[tuple[str, int], str],
        proofs: dict[str, tuple[str | None, str | None, str | None]] | None = None,
    ) -> list[OutboxItem]:
        """The frozen content of each (seq, id, version, base) as an item.

        ``known`` holds the data of versions already read; the others take one query.
        """
        if not wanted:
            return []
        data = known
        missing = [[rid, ver] for _, rid, ver, _ in wanted if (rid, ver) not in data]
        if missing:
            data.update(
                ((rid, ver), raw)
                for rid, ver, raw in self._conn.execute(
                    "SELECT v.record_id, v.version, v.data FROM json_each(?) AS k "
                    "JOIN record_versions v ON v.record_id = json_extract(k.value, '$[0]') "
                    "AND v.version = json_extract(k.value, '$[1]')",
                    (json.dumps(missing),),
                )
            )
        items = []
        for seq, record_id, version, base in wanted:
            stored = json.loads(data[(record_id, version)])
            fields = dict.fromkeys(_WIRE_SORTED)  # every wire field, in sorted order
            fields.update(stored)
            if len(fields) != len(_WIRE_SORTED):  # a key that is not sent (kpj_number)
                fields = {name: stored.get(name) for name in _WIRE_SORTED}
            proof = proofs.get(record_id) if proofs else None
            items.append(
                OutboxItem.of(
                    seq, "record", record_id, version, base, fields, presorted=True, consent=proof
                )
            )
        return items

    def _visit_item(
        self, seq: int, visit_id: str, acks: dict[int, tuple[Any, ...]]
    ) -> OutboxItem | None:
        rows = self._rows(
            f"SELECT {', '.join(_VISIT_FIELDS)} FROM visits WHERE id = ?", (visit_id,)
        )
        if not rows:
            return None
        data = rows[0]
        return OutboxItem.of(seq, "visit", visit_id, 1, None, data)

    @owned
    def apply_server_changes(self, changes: Sequence[dict[str, Any]], cursor: int) -> int:
        """Apply what the centre learned; returns how many changes touched a local record."""
        applied = 0
        now = utc_now()
        audit: list[AuditEntry] = []
        with self._write() as conn:
            for change in changes:
                record_id, fields = change["record_id"], change.get("fields") or {}
                kind = change["kind"]
                if kind == "kpj_number" and fields.get("kpj_number"):
                    touched = _set_kpj(conn, record_id, str(fields["kpj_number"]))
                elif kind == "status" and fields.get("status") == "active":
                    # Only an unchanged `enrolled` becomes active: a local edit of the status
                    # that is not yet sent wins until the server has seen it.
                    touched = conn.execute(
                        "UPDATE records SET status = 'active' WHERE id = ? AND status = 'enrolled'",
                        (record_id,),
                    ).rowcount
                    if "paid_through" in fields:  # a payment: arrears cleared or moved on
                        touched = _keep_arrears(conn, record_id, fields, inactive=False) or touched
                elif kind == "status" and fields.get("status") == "inactive":
                    touched = _keep_arrears(conn, record_id, fields, inactive=True)
                elif kind == "duplicate_nik":
                    # duplicate_of null: the central API lifted the flag (docs/sync-protocol.md).
                    other = fields.get("duplicate_of")
                    touched = conn.execute(
                        "UPDATE records SET sync_state = CASE WHEN ? IS NOT NULL THEN 'duplicate' "
                        "WHEN sync_state = 'duplicate' THEN 'synced' ELSE sync_state END, "
                        "duplicate_of = ? WHERE id = ?",
                        (other, other, record_id),
                    ).rowcount
                elif kind == "review":
                    touched = bool(_keep_review_note(conn, record_id, fields))
                else:
                    continue
                if touched:
                    applied += 1
                    audit.append(
                        AuditEntry("server_" + kind, "record", record_id, None, list(fields))
                    )
            if audit:
                append_audit(conn, now, "central", audit)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (PULL_CURSOR, str(cursor)),
            )
        return applied

    @owned
    def start_sync_run(self) -> int:
        """Open a journal entry for a sync run (kept even if the run dies)."""
        with self._write() as conn:
            cur = conn.execute("INSERT INTO sync_runs (started_at) VALUES (?)", (utc_now(),))
        return int(cur.lastrowid or 0)

    @owned
    def finish_sync_run(self, run_id: int, summary: dict[str, Any]) -> None:
        """Close a journal entry with the run's counts and error."""
        with self._write() as conn:
            conn.execute(
                "UPDATE sync_runs SET ended_at = ?, sent = ?, accepted = ?, duplicates = ?, "
                "flagged = ?, conflicts = ?, rejected = ?, pulled = ?, errors = ?, remaining = ?, "
                "set_aside = ? WHERE id = ?",
                (
                    utc_now(),
                    summary.get("sent", 0),
                    summary.get("accepted", 0),
                    summary.get("duplicates", 0),
                    summary.get("flagged", 0),
                    summary.get("conflicts", 0),
                    summary.get("rejected", 0),
                    summary.get("pulled", 0),
                    summary.get("errors", ""),
                    summary.get("remaining", 0),
                    summary.get("set_aside", 0),
                    run_id,
                ),
            )

    @owned
    def sync_runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest sync runs of the journal, newest first."""
        return self._rows("SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?", (limit,))

    @owned
    def set_aside_count(self) -> int:
        """How many records and visits wait set aside (a person must fix or resolve them)."""
        records = self._scalar(
            "SELECT count(*) FROM records WHERE sync_state IN ('conflict', 'rejected', 'duplicate')"
        )
        visits = self._scalar(
            "SELECT count(*) FROM sync_acks WHERE entity = 'visit' "
            "AND ack IN ('conflict', 'rejected')"
        )
        sent_back = self._scalar(  # those not already counted above
            "SELECT count(*) FROM review_notes n CROSS JOIN records r ON r.id = n.record_id "
            f"WHERE {_SENT_BACK} AND r.sync_state NOT IN ('conflict', 'rejected', 'duplicate')"
        )
        return int(records) + int(visits) + int(sent_back)

    @owned
    def oldest_unsent_at(self) -> str | None:
        """When the oldest change not yet acknowledged by the central API was made (UTC)."""
        checkpoint = self._scalar("SELECT value FROM meta WHERE key = ?", (PUSH_CHECKPOINT,))
        value = self._scalar("SELECT min(at) FROM changes WHERE seq > ?", (int(checkpoint or 0),))
        return str(value) if value else None

    @owned
    def set_aside(self) -> list[dict[str, Any]]:
        """Records whose newest version the server did not take (conflict, rejected, duplicate)."""
        rows = self._rows(
            "SELECT r.id, r.full_name, r.version, r.sync_state, r.duplicate_of, a.reasons "
            "FROM records r LEFT JOIN sync_acks a ON a.entity = 'record' AND a.entity_id = r.id "
            "AND a.version = r.version "
            "WHERE r.sync_state IN ('conflict', 'rejected', 'duplicate') ORDER BY r.updated_at"
        )
        for row in rows:
            row["reasons"] = json.loads(row["reasons"]) if row["reasons"] else []
        notes = self._rows(
            "SELECT r.id, r.full_name, r.version, r.duplicate_of, n.decision, n.comment, "
            "n.decided_by FROM review_notes n CROSS JOIN records r ON r.id = n.record_id "
            f"WHERE {_SENT_BACK} ORDER BY n.decided_at"
        )
        listed = {row["id"]: row for row in rows}
        for note in notes:
            reason = {"field": "", "code": f"review.{note.pop('decision')}",
                      "message": note.pop("comment"), "by": note.pop("decided_by")}  # fmt: skip
            aside = listed.get(note["id"])
            if aside is not None:  # already set aside (a flagged NIK): the decision comes first
                aside["sync_state"] = "sent_back"
                aside["reasons"] = [reason, *aside["reasons"]]
            else:
                rows.append({**note, "sync_state": "sent_back", "reasons": [reason]})
        return rows


# A note applies while the record is still at the version the supervisor saw (not purged).
_SENT_BACK = "r.version <= n.version AND r.purged_at IS NULL"


def _keep_review_note(conn: Any, record_id: str, fields: dict[str, Any]) -> bool:
    """Keep a supervisor's note on a local record (the newest wins); whether the record is here."""
    if not conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone():
        return False
    conn.execute(
        "INSERT INTO review_notes (record_id, version, decision, comment, decided_by, decided_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET "
        "version = excluded.version, decision = excluded.decision, comment = excluded.comment, "
        "decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        (record_id, int(fields.get("version") or 0), str(fields.get("decision") or "has_issues"),
         str(fields.get("comment") or "")[:500], str(fields.get("by") or "")[:64],
         str(fields.get("at") or "")[:40]),
    )  # fmt: skip
    return True


def _keep_arrears(conn: Any, record_id: str, fields: dict[str, Any], *, inactive: bool) -> bool:
    """What the centre says of a participant's payments (`arrears`): inactive or not, months
    unpaid, the last month paid. The record's own status stays as the officer saved it."""
    if not conn.execute("SELECT 1 FROM records WHERE id = ?", (record_id,)).fetchone():
        return False
    months = fields.get("months_in_arrears")
    conn.execute(
        "INSERT INTO arrears (record_id, inactive, months, paid_through, at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET "
        "inactive = excluded.inactive, months = excluded.months, "
        "paid_through = excluded.paid_through, at = excluded.at",
        (record_id, int(inactive), int(months) if isinstance(months, int) else None,
         str(fields.get("paid_through") or "")[:7] or None, utc_now()),
    )  # fmt: skip
    return True
