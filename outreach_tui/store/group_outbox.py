"""Groups, memberships, events and attendance on their way to the central API (issue 14).

Every write of `groups.py` queues a row in `group_outbox` in its own transaction. A sync sends
them in a phase of their own after records and visits (docs/sync-protocol.md, 'Groups and
events'), and only to a server that names these kinds: an older server would refuse the whole
batch. A group or an event is sent as it is now, at its current version (one item covers every
row of it still waiting); a membership or an attendance is immutable, its item id the pair id
of its two ids. Each row keeps the server's answer; a row answered `rejected` or `conflict` is
not sent again (a new version of the group or event is).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sync.outbox import OutboxItem, pair_id

from .audit import AuditEntry, append_audit
from .base import StoreBase, owned, utc_now
from .connection import Connection

GROUP_ENTITIES = ("group", "membership", "event", "attendance")
_QUEUE = (
    "INSERT INTO group_outbox (entity, entity_id, version, first_id, record_id, at) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def queue_versioned(conn: Connection, entity: str, entity_id: str, version: int, at: str) -> None:
    """Queue a group or event version (inside the write that made it)."""
    conn.execute(_QUEUE, (entity, entity_id, version, None, None, at))


def queue_pairs(conn: Connection, entity: str, pairs: Sequence[tuple[str, str]], at: str) -> None:
    """Queue new memberships (group, record) or attendances (event, record)."""
    conn.executemany(
        _QUEUE, [(entity, pair_id(first, record), 1, first, record, at) for first, record in pairs]
    )


class GroupOutboxMixin(StoreBase):
    """Part of `Store`: the group phase of a sync (`sync.client.SyncClient.push_groups`)."""

    @owned
    def group_outbox_size(self) -> int:
        """Rows waiting for an answer of the central API."""
        return int(self._scalar("SELECT count(*) FROM group_outbox WHERE ack IS NULL") or 0)

    @owned
    def group_outbox(self, limit: int) -> list[OutboxItem]:
        """Up to `limit` items for the waiting rows, oldest first. An item's `seq` is the last
        row it answers; a group or event is read as it is now."""
        from outreach_tui.domain.groups import EVENT_FIELDS, GROUP_FIELDS

        rows = self._conn.execute(
            "SELECT seq, entity, entity_id, first_id, record_id FROM group_outbox "
            "WHERE ack IS NULL ORDER BY seq LIMIT ?",
            (limit,),
        ).fetchall()
        last: dict[str, int] = {}
        for seq, _entity, entity_id, _first, _record in rows:
            last[entity_id] = seq
        items: list[OutboxItem] = []
        for seq, entity, entity_id, first, record in rows:
            if last[entity_id] != seq:
                continue  # a later row of the same group or event covers this one
            if entity in ("group", "event"):
                names = GROUP_FIELDS if entity == "group" else EVENT_FIELDS
                table = "groups" if entity == "group" else "events"
                found = self._conn.execute(
                    f"SELECT version, {', '.join(names)} FROM {table} WHERE id = ?", (entity_id,)
                ).fetchone()
                if found is None:  # pragma: no cover - groups and events are never deleted
                    continue
                data = dict(zip(names, found[1:], strict=True))
                if entity == "event":
                    data["held"] = bool(data["held"])
                items.append(OutboxItem.of(seq, entity, entity_id, int(found[0]), None, data))
                continue
            if entity == "membership":
                stamp = self._scalar(
                    "SELECT added_at FROM group_members WHERE group_id = ? AND record_id = ?",
                    (first, record),
                )
                data = {"id": entity_id, "group_id": first, "record_id": record,
                        "added_at": stamp}  # fmt: skip
            else:
                found = self._conn.execute(
                    "SELECT status_then, at FROM attendance WHERE event_id = ? AND record_id = ?",
                    (first, record),
                ).fetchone()
                if found is None:  # pragma: no cover - attendance is never deleted
                    continue
                data = {"id": entity_id, "event_id": first, "record_id": record,
                        "status_then": found[0], "at": found[1]}  # fmt: skip
            items.append(OutboxItem.of(seq, entity, entity_id, 1, None, data))
        return items

    @owned
    def apply_group_results(
        self, items: Sequence[OutboxItem], results: Sequence[dict[str, Any]]
    ) -> None:
        """Keep each answer on the rows its item covers, in one transaction."""
        now = utc_now()
        with self._write() as conn:
            conn.executemany(
                "UPDATE group_outbox SET ack = ?, ack_at = ?, reasons = ? "
                "WHERE entity_id = ? AND seq <= ? AND ack IS NULL",
                [
                    (result["status"], now, json.dumps(result.get("reasons") or []) or None,
                     item.id, item.seq)
                    for item, result in zip(items, results, strict=True)
                ],
            )  # fmt: skip

    @owned
    def group_sync_states(self) -> dict[str, str]:
        """The last answer (or `pending`) of each group, event, membership and attendance id."""
        rows = self._conn.execute(
            "SELECT entity_id, coalesce(ack, 'pending') FROM group_outbox ORDER BY seq"
        ).fetchall()
        return {entity_id: state for entity_id, state in rows}

    @owned
    def sync_marks(self) -> dict[str, tuple[str, str]]:
        """Per group and event: (`pending` | `sent` | `refused`, the first refusal's message),
        counting its own versions and its memberships or attendance. Absent: nothing to send."""
        last: dict[str, tuple[str, str, str | None]] = {}
        for entity_id, owner, state, reasons in self._conn.execute(
            "SELECT entity_id, coalesce(first_id, entity_id), coalesce(ack, 'pending'), reasons "
            "FROM group_outbox ORDER BY seq"
        ):
            last[entity_id] = (owner, state, reasons)
        marks: dict[str, tuple[str, str]] = {}
        for owner, state, reasons in last.values():
            mark = {"pending": "pending", "rejected": "refused", "conflict": "refused"}.get(
                state, "sent"
            )
            said = ""
            if mark == "refused" and reasons:
                said = next((str(r.get("message") or "") for r in json.loads(reasons)), "")
            held = marks.get(owner)
            rank = ("sent", "pending", "refused")
            if held is None or rank.index(mark) > rank.index(held[0]):
                marks[owner] = (mark, said)
        return marks

    @owned
    def recover_groups(self, items: Sequence[Mapping[str, Any]]) -> dict[str, int]:
        """Caseload recovery of groups and events (`GET /v1/groups/mine`): store what the laptop
        lacks, or holds at a lower version with nothing of it waiting to be sent, as already
        acknowledged (no outbox row: never pushed back). A membership or attendance is kept
        when its group or event and its record are on the laptop. Returns counts by kind."""
        from outreach_tui.domain.groups import EVENT_FIELDS, GROUP_FIELDS

        counts = {"group": 0, "event": 0, "membership": 0, "attendance": 0}
        now = utc_now()
        with self._write() as conn:
            audit: list[AuditEntry] = []
            pending = [item for item in items if item.get("kind") in ("group", "event")]
            while pending:  # an event may follow another event sent after it: retry until fixed
                later = []
                for item in pending:
                    kind = str(item["kind"])
                    names = GROUP_FIELDS if kind == "group" else EVENT_FIELDS
                    stored = _recover_versioned(conn, kind, names, item, now)
                    if stored is None:
                        later.append(item)
                    elif stored:
                        counts[kind] += 1
                        audit.append(AuditEntry("recover", kind, str(item["id"]),
                                                int(item["version"]), []))  # fmt: skip
                if len(later) == len(pending):
                    break  # what remains names a group or event the server did not send
                pending = later
            for item in items:
                pair = item.get("kind")
                if pair not in ("membership", "attendance"):
                    continue
                data = item["data"]
                if pair == "membership":
                    added = conn.execute(
                        "INSERT INTO group_members (group_id, record_id, added_at) "
                        "SELECT g.id, r.id, ? FROM groups g, records r WHERE g.id = ? "
                        "AND r.id = ? ON CONFLICT DO NOTHING",
                        (data.get("added_at") or now, data.get("group_id"), data.get("record_id")),
                    ).rowcount
                else:
                    added = conn.execute(
                        "INSERT INTO attendance (event_id, record_id, status_then, at) "
                        "SELECT e.id, r.id, ?, ? FROM events e, records r WHERE e.id = ? "
                        "AND r.id = ? ON CONFLICT DO NOTHING",
                        (data.get("status_then"), data.get("at") or now, data.get("event_id"),
                         data.get("record_id")),
                    ).rowcount  # fmt: skip
                counts[str(pair)] += added
            if audit:
                append_audit(conn, now, "central", audit)
        return counts


def _recover_versioned(conn: Connection, kind: str, names: Sequence[str],
                       item: Mapping[str, Any], now: str) -> bool | None:  # fmt: skip
    """Store a recovered group or event: True stored, False kept the laptop's, None when it
    names a group or event not on the laptop (yet)."""
    table = "groups" if kind == "group" else "events"
    data = item["data"]
    ident, version = str(item["id"]), int(item["version"])
    values = {name: data.get(name) for name in names if name != "id"}
    if kind == "event":
        values["held"] = int(bool(values["held"]))
        for name, other in (("group_id", "groups"), ("follows_event_id", "events")):
            ref = values.get(name)
            if ref and not conn.execute(f"SELECT 1 FROM {other} WHERE id = ?", (ref,)).fetchone():
                return None
    held = conn.execute(f"SELECT version FROM {table} WHERE id = ?", (ident,)).fetchone()
    if held is not None:
        waiting = conn.execute(
            "SELECT 1 FROM group_outbox WHERE entity_id = ? AND ack IS NULL", (ident,)
        ).fetchone()
        if held[0] >= version or waiting:
            return False
        conn.execute(
            f"UPDATE {table} SET version = ?, {', '.join(f'{n} = ?' for n in values)}, "
            "updated_at = ? WHERE id = ?",
            (version, *values.values(), now, ident),
        )
        return True
    conn.execute(
        f"INSERT INTO {table} (id, version, {', '.join(values)}, officer_id, created_at, "
        f"updated_at) VALUES (?, ?, {', '.join('?' * len(values))}, NULL, ?, ?)",
        (ident, version, *values.values(), now, now),
    )
    return True
