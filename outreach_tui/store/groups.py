"""Groups, their members, events and attendance on the laptop (issue 14; DOMAIN.md 'Groups and
events'). Every write is checked by `domain.groups` first (a refused group or event raises
`GroupError` naming each field and rule; nothing is written), versioned where it can change,
and audited. Attendance is immutable: a person attended an event once, with their status then.
Every write queues what changed for the central API in the same transaction (`group_outbox.py`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .audit import AuditEntry, append_audit
from .base import StoreBase, owned, utc_now
from .fields import canonical_id
from .group_outbox import queue_pairs, queue_versioned

if TYPE_CHECKING:
    from outreach_tui.domain.problems import Problem

ENROLLED = ("enrolled", "active")
CONVERSION_DAYS = 30  # an attendee who enrolled within this many days of the event


def _stamp(moment: dt.datetime) -> str:
    """A UTC moment as the store writes them (text order = time order)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _problem(field: str, code: str) -> Problem:
    # The domain is imported when a group is written, not with the store (its import stays light).
    from outreach_tui.domain.problems import Problem

    return Problem(field, code)


class GroupError(ValueError):
    """A group, event, membership or attendance refused: `problems` name field and rule."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(", ".join(p.code for p in problems))
        self.problems = list(problems)


class GroupsMixin(StoreBase):
    """Part of `Store`: groups, members, events and attendance.

    Queries that join these small tables to `records` name them first with CROSS JOIN: SQLite
    then keeps them the outer loop, instead of walking 100,000 records in an index's order."""

    # -- groups ---------------------------------------------------------------------------
    @owned
    def save_group(
        self, raw: Mapping[str, Any], *, actor: str, officer_id: str | None = None
    ) -> str:
        """Create or change a group (a new version when it changes); returns its id."""
        from outreach_tui.domain.groups import GROUP_FIELDS, validate_group

        check = validate_group(raw)
        if not check.ok:
            raise GroupError(check.errors)
        group = check.record
        group_id = group["id"] or str(uuid.uuid4())
        now = utc_now()
        columns = [name for name in GROUP_FIELDS if name != "id"]
        with self._write() as conn:
            old = conn.execute(
                f"SELECT version, {', '.join(columns)} FROM groups WHERE id = ?", (group_id,)
            ).fetchone()
            if old is None:
                version = 1
                conn.execute(
                    f"INSERT INTO groups (id, version, {', '.join(columns)}, officer_id, "
                    f"created_at, updated_at) VALUES (?, 1, {', '.join('?' * len(columns))}, "
                    "?, ?, ?)",
                    (group_id, *[group[c] for c in columns], officer_id, now, now),
                )
                changed = [c for c in columns if group[c] is not None]
            else:
                changed = [c for i, c in enumerate(columns) if old[i + 1] != group[c]]
                if not changed:
                    return group_id
                version = int(old[0]) + 1
                conn.execute(
                    f"UPDATE groups SET version = ?, {', '.join(f'{c} = ?' for c in columns)}, "
                    "updated_at = ? WHERE id = ?",
                    (version, *[group[c] for c in columns], now, group_id),
                )
            action = "create" if version == 1 else "update"
            append_audit(conn, now, actor, [AuditEntry(action, "group", group_id, version,
                                                       changed)])  # fmt: skip
            queue_versioned(conn, "group", group_id, version, now)
        return group_id

    @owned
    def add_members(self, group_id: str, record_ids: Sequence[str], *, actor: str) -> int:
        """Make records members of a group (a record may belong to several); returns how many
        were new. A record or group this laptop does not hold is refused, naming it."""
        group_id = self._known("groups", group_id, "group_id")
        ids = [canonical_id(r) for r in record_ids]
        now = utc_now()
        with self._write() as conn:
            held = {
                row[0]
                for row in conn.execute(
                    f"SELECT id FROM records WHERE id IN ({', '.join('?' * len(ids))})", ids
                )
            } if ids else set()  # fmt: skip
            if len(held) < len(set(ids)):
                raise GroupError([_problem("record_id", "record_id.unknown")])
            new: list[tuple[str, str]] = []
            for record_id in dict.fromkeys(ids):
                if conn.execute(
                    "INSERT INTO group_members (group_id, record_id, added_at) VALUES (?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (group_id, record_id, now),
                ).rowcount:
                    new.append((group_id, record_id))
            added = len(new)
            if added:
                queue_pairs(conn, "membership", new, now)
                append_audit(conn, now, actor, [AuditEntry("members_added", "group", group_id,
                                                           None, ["members"])])  # fmt: skip
        return added

    @owned
    def groups(self) -> list[dict[str, Any]]:
        """Every group with its coverage: members recorded, enrolled or active, declared."""
        from outreach_tui.domain.groups import coverage

        rows = self._rows(
            "SELECT g.*, count(m.record_id) AS members, "
            "sum(CASE WHEN r.status IN ('enrolled', 'active') THEN 1 ELSE 0 END) AS enrolled "
            "FROM groups g LEFT JOIN group_members m ON m.group_id = g.id "
            "LEFT JOIN records r ON r.id = m.record_id GROUP BY g.id ORDER BY g.name"
        )
        for row in rows:
            row["enrolled"] = int(row["enrolled"] or 0)
            row["of_members"], row["of_declared"] = coverage(
                row["members"], row["enrolled"], row["declared_workers"]
            )
        return rows

    @owned
    def group_decline_reasons(self) -> dict[str, dict[str, int]]:
        """Per group id, why its members declined: reason code ('' for none given) -> count."""
        found: dict[str, dict[str, int]] = {}
        for group_id, reason, count in self._conn.execute(
            "SELECT m.group_id, coalesce(r.decline_reason, ''), count(*) FROM group_members m "
            "CROSS JOIN records r ON r.id = m.record_id WHERE r.status = 'declined' "
            "GROUP BY m.group_id, coalesce(r.decline_reason, '') ORDER BY 3 DESC, 2"
        ):
            found.setdefault(group_id, {})[reason] = int(count)
        return found

    @owned
    def groups_of(self, record_id: str) -> list[dict[str, Any]]:
        """The groups a record belongs to, by name (id, name, kind)."""
        return self._rows(
            "SELECT g.id, g.name, g.kind FROM group_members m JOIN groups g ON g.id = m.group_id "
            "WHERE m.record_id = ? ORDER BY g.name",
            (record_id,),
        )

    # -- events and attendance ------------------------------------------------------------
    @owned
    def save_event(
        self, raw: Mapping[str, Any], *, actor: str, officer_id: str | None = None,
        now: dt.datetime | None = None,
    ) -> str:  # fmt: skip
        """Create or change an event; returns its id."""
        from outreach_tui.domain.groups import EVENT_FIELDS, validate_event

        moment = now or dt.datetime.now(dt.UTC)
        check = validate_event(raw, now=moment)
        problems = list(check.errors)
        event = check.record
        for name, table in (("group_id", "groups"), ("follows_event_id", "events")):
            if event[name] is not None and not self._scalar(
                f"SELECT 1 FROM {table} WHERE id = ?", (event[name],)
            ):
                problems.append(_problem(name, f"{name}.format"))
        if problems:
            raise GroupError(problems)
        event_id = event["id"] or str(uuid.uuid4())
        columns = [name for name in EVENT_FIELDS if name != "id"]
        values = [int(event[c]) if c == "held" else event[c] for c in columns]
        stamp = utc_now()
        with self._write() as conn:
            old = conn.execute("SELECT version FROM events WHERE id = ?", (event_id,)).fetchone()
            if old is None:
                version = 1
                conn.execute(
                    f"INSERT INTO events (id, version, {', '.join(columns)}, officer_id, "
                    f"created_at, updated_at) VALUES (?, 1, {', '.join('?' * len(columns))}, "
                    "?, ?, ?)",
                    (event_id, *values, officer_id, stamp, stamp),
                )
            else:
                version = int(old[0]) + 1
                conn.execute(
                    f"UPDATE events SET version = ?, {', '.join(f'{c} = ?' for c in columns)}, "
                    "updated_at = ? WHERE id = ?",
                    (version, *values, stamp, event_id),
                )
            action = "create" if version == 1 else "update"
            append_audit(conn, stamp, actor, [AuditEntry(action, "event", event_id, version,
                                                         columns)])  # fmt: skip
            queue_versioned(conn, "event", event_id, version, stamp)
        return event_id

    @owned
    def attend(
        self, event_id: str, record_id: str, *, actor: str, status_then: str | None = None
    ) -> bool:
        """A person attended an event (once: a second call changes nothing); their status at
        that moment is kept for the follow-up (`status_then` when it is written down later,
        from the paper list of a past event). Returns whether it was new."""
        event_id = self._known("events", event_id, "event_id")
        record_id = self._known("records", record_id, "record_id")
        now = utc_now()
        with self._write() as conn:
            added = conn.execute(
                "INSERT INTO attendance (event_id, record_id, status_then, at) "
                "SELECT ?, id, coalesce(?, status), ? FROM records WHERE id = ? "
                "ON CONFLICT DO NOTHING",
                (event_id, status_then, now, record_id),
            ).rowcount
            if added:
                append_audit(conn, now, actor, [AuditEntry("attended", "event", event_id, None,
                                                           ["attendance"])])  # fmt: skip
                queue_pairs(conn, "attendance", [(event_id, record_id)], now)
        return bool(added)

    @owned
    def follow_up(self, event_id: str) -> list[dict[str, Any]]:
        """The attendees of an event with their status then and now (who registered since,
        who is still undecided, who declined and why), by name."""
        event_id = self._known("events", event_id, "event_id")
        return self._rows(
            "SELECT r.id, r.full_name, a.status_then, r.status AS status_now, "
            "r.decline_reason, a.at FROM attendance a CROSS JOIN records r ON r.id = a.record_id "
            "WHERE a.event_id = ? ORDER BY r.full_name",
            (event_id,),
        )

    @owned
    def events(self) -> list[dict[str, Any]]:
        """Every event, newest first, with attendance, how many enrolled since, and how many
        of those within 30 days of the event (a version saved as enrolled in that window)."""
        rows = self._rows(
            "SELECT e.*, count(a.record_id) AS attended, "
            "sum(CASE WHEN r.status IN ('enrolled', 'active') AND "
            "a.status_then NOT IN ('enrolled', 'active') THEN 1 ELSE 0 END) AS enrolled_since "
            "FROM events e LEFT JOIN attendance a ON a.event_id = e.id "
            "LEFT JOIN records r ON r.id = a.record_id GROUP BY e.id ORDER BY e.starts_at DESC"
        )
        for row in rows:
            row["held"] = bool(row["held"])
            row["enrolled_since"] = int(row["enrolled_since"] or 0)
            start = dt.datetime.fromisoformat(row["starts_at"]).astimezone(dt.UTC)
            until = start + dt.timedelta(days=CONVERSION_DAYS)
            row["enrolled_30d"] = int(
                self._scalar(
                    "SELECT count(DISTINCT a.record_id) FROM attendance a "
                    "JOIN record_versions v ON v.record_id = a.record_id "
                    "WHERE a.event_id = ? AND a.status_then NOT IN ('enrolled', 'active') "
                    "AND json_extract(v.data, '$.status') = 'enrolled' "
                    "AND v.created_at >= ? AND v.created_at < ?",
                    (row["id"], _stamp(start), _stamp(until)),
                )
                or 0
            )
        return rows

    @owned
    def attendance_rows(self) -> list[dict[str, Any]]:
        """Every attendance with its event and the person's status then and now."""
        return self._rows(
            "SELECT a.event_id, e.starts_at AS event_starts_at, e.place AS event_place, "
            "a.record_id, r.full_name, a.status_then, r.status AS status_now, r.decline_reason, "
            "a.at FROM attendance a CROSS JOIN events e ON e.id = a.event_id "
            "CROSS JOIN records r ON r.id = a.record_id ORDER BY e.starts_at, r.full_name"
        )

    @owned
    def arrears(self, *, inactive_only: bool = True) -> list[dict[str, Any]]:
        """Participants the central API made inactive (or all it told of), by RW and name."""
        where = "WHERE a.inactive = 1" if inactive_only else ""
        rows = self._rows(
            "SELECT r.id, r.full_name, r.region_code, r.rw, r.rt, r.phone, a.inactive, a.months, "
            # CROSS JOIN keeps arrears (a few rows) the outer loop: with a plain JOIN SQLite
            # walked 100k records in the ORDER BY's index order (0.36 s on every home refresh).
            f"a.paid_through, a.at FROM arrears a CROSS JOIN records r ON r.id = a.record_id "
            f"{where} "
            "ORDER BY r.region_code, r.rw, r.full_name"
        )
        for row in rows:
            row["inactive"] = bool(row["inactive"])
        return rows

    @owned
    def arrears_of(self, record_id: str) -> dict[str, Any] | None:
        """What the central API last said of one participant's payments, or None."""
        rows = self._rows(
            "SELECT inactive, months, paid_through, at FROM arrears WHERE record_id = ?",
            (record_id,),
        )
        if not rows:
            return None
        rows[0]["inactive"] = bool(rows[0]["inactive"])
        return rows[0]

    def _known(self, table: str, value: str, field: str) -> str:
        try:
            ident = canonical_id(value)
        except ValueError:
            raise GroupError([_problem(field, f"{field}.format")]) from None
        if not self._scalar(f"SELECT 1 FROM {table} WHERE id = ?", (ident,)):
            raise GroupError([_problem(field, f"{field}.unknown")])
        return ident
