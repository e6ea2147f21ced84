"""The store's side of sync: the outbox read from the change log, acknowledgments, the journal.

Rules kept here (docs/sync-protocol.md):
- A version is frozen; once sent (`sync_acks.sent_at`) it is re-sent unchanged, with the
  base it was first sent with, until the server answers it. A later edit is pushed as a
  new version whose base is the newest version the server has or may have.
- Of the unsent versions of one record only the newest is pushed (intermediate versions
  stay local history).
- The push checkpoint (meta `sync.push_checkpoint`) moves only in `apply_push_results`,
  in the same transaction that stores the server's answers.
- Server changes (KPJ number, `active`, duplicate flags) are applied without making a
  new version and never overwrite a local edit that is not yet sent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sync.outbox import OutboxItem  # the shape sync declares; the store fills it
from sync.protocol import content_hash

from .audit import AuditEntry, append_audit
from .base import StoreBase, owned, utc_now
from .fields import CONTENT_FIELDS

PUSH_CHECKPOINT = "sync.push_checkpoint"
PULL_CURSOR = "sync.pull_cursor"
# The server owns these: never pushed as the officer's content.
_SERVER_OWNED = frozenset({"kpj_number"})
_WIRE_FIELDS = tuple(f for f in CONTENT_FIELDS if f not in _SERVER_OWNED)
_VISIT_FIELDS = ("record_id", "at", "region_code", "rw", "rt", "outcome", "note", "officer_id")
# What a record's sync_state becomes when the server answers its newest version.
_STATE = {
    "accepted": "synced",
    "duplicate": "synced",
    "conflict": "conflict",
    "rejected": "rejected",
}
_HELD = ("accepted", "duplicate")  # answers that mean the server holds that version


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


class OutboxMixin(StoreBase):
    """Implements sync.client.SyncStore over the change log and the sync tables."""

    def _meta_int(self, key: str) -> int:
        value = self._scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return int(value) if value else 0

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
        rows = self._conn.execute(
            "SELECT seq, entity, entity_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
            (after_seq, limit),
        ).fetchall()
        if not rows:
            return [], after_seq
        upto = rows[-1][0]
        items: list[OutboxItem] = []
        seen: set[tuple[str, str]] = set()
        records = [(seq, eid) for seq, entity, eid in rows if entity == "record"]
        visits = [(seq, eid) for seq, entity, eid in rows if entity == "visit"]
        acks = self._acks([eid for _, eid in records], "record")
        current = self._current_versions([eid for _, eid in records])
        wanted: list[tuple[int, str, int, int | None]] = []
        for seq, record_id in records:
            if ("record", record_id) in seen or record_id not in current:
                continue
            seen.add(("record", record_id))
            wanted.extend(
                _versions_to_push(seq, record_id, current[record_id], acks.get(record_id, {}))
            )
        items.extend(self._version_items(wanted))
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

    def _current_versions(self, ids: list[str]) -> dict[str, int]:
        """The current version of each stored record among ``ids`` (one query)."""
        if not ids:
            return {}
        rows = self._conn.execute(
            "SELECT id, version FROM records WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(ids))),),
        )
        return dict(rows.fetchall())

    def _version_items(self, wanted: list[tuple[int, str, int, int | None]]) -> list[OutboxItem]:
        """The frozen content of each (seq, id, version, base) as an item (one query)."""
        if not wanted:
            return []
        keys = json.dumps([[record_id, version] for _, record_id, version, _ in wanted])
        data: dict[tuple[str, int], str] = {
            (rid, ver): raw
            for rid, ver, raw in self._conn.execute(
                "SELECT v.record_id, v.version, v.data FROM json_each(?) AS k "
                "JOIN record_versions v ON v.record_id = json_extract(k.value, '$[0]') "
                "AND v.version = json_extract(k.value, '$[1]')",
                (keys,),
            )
        }
        items = []
        for seq, record_id, version, base in wanted:
            stored = json.loads(data[(record_id, version)])
            fields = {name: stored.get(name) for name in _WIRE_FIELDS}
            items.append(
                OutboxItem(seq, "record", record_id, version, base, content_hash(fields), fields)
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
        return OutboxItem(seq, "visit", visit_id, 1, None, content_hash(data), data)

    @owned
    def mark_sent(self, items: Sequence[OutboxItem]) -> None:
        """Freeze what is about to go out: its first send time and the base it was sent with."""
        now = utc_now()
        with self._write() as conn:
            conn.executemany(
                "INSERT INTO sync_acks (entity, entity_id, version, sent_at, sent_base) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (entity, entity_id, version) DO NOTHING",
                [(i.kind, i.id, i.version, now, i.base_version) for i in items],
            )

    @owned
    def apply_push_results(
        self, items: Sequence[OutboxItem], results: Sequence[dict[str, Any]], upto_seq: int
    ) -> None:
        """Store the server's answers and move the checkpoint, in one transaction."""
        now = utc_now()
        with self._write() as conn:
            acks, states = [], []
            for item, result in zip(items, results, strict=True):
                status = result["status"]
                reasons = json.dumps(result.get("reasons") or [], ensure_ascii=False)
                flagged = result.get("duplicate_of")
                acks.append((status, now, reasons, flagged, item.kind, item.id, item.version))
                if item.kind == "record":
                    state = "duplicate" if flagged else _STATE[status]
                    states.append((state, flagged, result.get("kpj_number"), item.id, item.version))
            conn.executemany(
                "UPDATE sync_acks SET ack = ?, ack_at = ?, reasons = ?, duplicate_of = ? "
                "WHERE entity = ? AND entity_id = ? AND version = ?",
                acks,
            )
            # Only the answer for a record's newest version sets its state.
            conn.executemany(
                "UPDATE records SET sync_state = ?, duplicate_of = ?, "
                "kpj_number = coalesce(?, kpj_number) WHERE id = ? AND version = ?",
                states,
            )
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (PUSH_CHECKPOINT, str(upto_seq)),
            )

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
                    cur = conn.execute(
                        "UPDATE records SET kpj_number = ? WHERE id = ?",
                        (str(fields["kpj_number"]), record_id),
                    )
                elif kind == "status" and fields.get("status") == "active":
                    # Only an unchanged `enrolled` becomes active: a local edit of the status
                    # that is not yet sent wins until the server has seen it.
                    cur = conn.execute(
                        "UPDATE records SET status = 'active' WHERE id = ? AND status = 'enrolled'",
                        (record_id,),
                    )
                elif kind == "duplicate_nik":
                    cur = conn.execute(
                        "UPDATE records SET sync_state = 'duplicate', duplicate_of = ? "
                        "WHERE id = ?",
                        (fields.get("duplicate_of"), record_id),
                    )
                else:
                    continue
                if cur.rowcount:
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
        return int(records) + int(visits)

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
        return rows
