"""The console's groups and events (issue 14): coverage per group (members enrolled or active
over members recorded and over the workers the group declares, with the decline reasons of its
members) and events with attendance and conversion (attendees who were not enrolled then and
are now, and those whose enrolled version reached the centre within 30 days of the event).
Statements are shared by SQLite and PostgreSQL; every one is fenced by the staff's branch."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from outreach_tui.domain.groups import coverage
from sync.server.console.store import ConsoleStore

CONVERSION_DAYS = 30
_ENROLLED_NOW = "(r.status IN ('enrolled', 'active') OR r.central_status = 'active')"


def branch_groups(console: ConsoleStore, branch: str) -> list[dict[str, Any]]:
    """Every group of the branch with its coverage and its members' decline reasons."""
    rows = console.rows(
        "SELECT g.group_id, g.name, g.kind, g.region_code, g.declared_workers, g.officer_id, "
        f"count(r.record_id), sum(CASE WHEN {_ENROLLED_NOW} THEN 1 ELSE 0 END) "
        "FROM groups g LEFT JOIN group_members m ON m.group_id = g.group_id "
        "AND m.branch = g.branch LEFT JOIN records r ON r.record_id = m.record_id "
        "AND r.branch = g.branch WHERE g.branch = ? GROUP BY g.group_id, g.name, g.kind, "
        "g.region_code, g.declared_workers, g.officer_id ORDER BY g.name",
        (branch,),
    )
    reasons: dict[str, list[tuple[str, int]]] = {}
    for group_id, reason, count in console.rows(
        "SELECT m.group_id, coalesce(r.decline_reason, '-'), count(*) FROM group_members m "
        "JOIN records r ON r.record_id = m.record_id AND r.branch = m.branch "
        "WHERE m.branch = ? AND r.status = 'declined' "
        "GROUP BY m.group_id, coalesce(r.decline_reason, '-') ORDER BY 3 DESC",
        (branch,),
    ):
        reasons.setdefault(group_id, []).append((reason, int(count)))
    groups = []
    for group_id, name, kind, region, declared, officer, members, enrolled in rows:
        enrolled = int(enrolled or 0)
        of_members, of_declared = coverage(int(members), enrolled, declared)
        groups.append({"group_id": group_id, "name": name, "kind": kind, "region_code": region,
                       "declared": declared, "officer_id": officer, "members": int(members),
                       "enrolled": enrolled, "of_members": of_members,
                       "of_declared": of_declared,
                       "reasons": reasons.get(group_id, [])})  # fmt: skip
    return groups


def branch_events(console: ConsoleStore, branch: str) -> list[dict[str, Any]]:
    """Every event of the branch, newest first: attendance, enrolled since, within 30 days."""
    rows = console.rows(
        "SELECT e.event_id, e.starts_at, e.kind, e.place, e.held, e.institution, g.name, "
        "e.officer_id, e.data, count(a.record_id), "
        "sum(CASE WHEN a.status_then NOT IN ('enrolled', 'active') AND "
        f"{_ENROLLED_NOW} THEN 1 ELSE 0 END) "
        "FROM events e LEFT JOIN groups g ON g.group_id = e.group_id AND g.branch = e.branch "
        "LEFT JOIN attendance a ON a.event_id = e.event_id AND a.branch = e.branch "
        "LEFT JOIN records r ON r.record_id = a.record_id AND r.branch = e.branch "
        "WHERE e.branch = ? GROUP BY e.event_id, e.starts_at, e.kind, e.place, e.held, "
        "e.institution, g.name, e.officer_id, e.data ORDER BY e.starts_at DESC",
        (branch,),
    )
    within = _enrolled_within(console, branch)
    return [
        {"event_id": event_id, "starts_at": starts, "kind": kind, "place": place,
         "held": bool(held), "partner": group_name or institution or "-", "officer_id": officer,
         "officers": json.loads(data).get("officers") or officer,
         "attended": int(attended), "enrolled_since": int(since or 0),
         "enrolled_30d": len(within.get(event_id, ()))}
        for event_id, starts, kind, place, held, institution, group_name, officer, data,
        attended, since in rows
    ]  # fmt: skip


def _enrolled_within(console: ConsoleStore, branch: str) -> dict[str, set[str]]:
    """Per event, the attendees (not enrolled then) of whom a version saying `enrolled` reached
    the centre within 30 days of the event's start. The versions' JSON is read here, not in
    SQL, so one statement serves both databases; only converted attendees' versions are read."""
    rows = console.rows(
        "SELECT a.event_id, e.starts_at, a.record_id, v.received_at, v.data FROM attendance a "
        "JOIN events e ON e.event_id = a.event_id AND e.branch = a.branch "
        "JOIN records r ON r.record_id = a.record_id AND r.branch = a.branch "
        "JOIN record_versions v ON v.rid = r.rid "
        f"WHERE a.branch = ? AND a.status_then NOT IN ('enrolled', 'active') AND {_ENROLLED_NOW}",
        (branch,),
    )
    found: dict[str, set[str]] = {}
    for event_id, starts, record_id, received, data in rows:
        start = dt.datetime.fromisoformat(starts).astimezone(dt.UTC)
        at = dt.datetime.fromisoformat(received.replace("Z", "+00:00"))
        if not start <= at < start + dt.timedelta(days=CONVERSION_DAYS):
            continue
        try:
            status = json.loads(data).get("status")
        except (ValueError, AttributeError):
            continue
        if status == "enrolled":
            found.setdefault(event_id, set()).add(record_id)
    return found


def event_attendees(console: ConsoleStore, branch: str, event_id: str) -> dict[str, Any] | None:
    """One event of the branch with its attendees, by name: status then and now, and why those
    who declined did (None for an event the branch does not hold)."""
    found = console.rows(
        "SELECT event_id, starts_at, kind, place, held FROM events "
        "WHERE event_id = ? AND branch = ?",
        (event_id, branch),
    )
    if not found:
        return None
    ident, starts, kind, place, held = found[0]
    people = []
    for record_id, then, status, central, reason in console.rows(
        "SELECT a.record_id, a.status_then, r.status, r.central_status, r.decline_reason "
        "FROM attendance a LEFT JOIN records r ON r.record_id = a.record_id "
        "AND r.branch = a.branch WHERE a.event_id = ? AND a.branch = ?",
        (event_id, branch),
    ):
        state = console.storage.record(record_id)
        name = (state.record.get("full_name") if state is not None else None) or "-"
        now = central if central in ("active", "inactive") else status
        people.append({"record_id": record_id, "name": name, "then": then, "now": now,
                       "known": state is not None, "reason": reason})  # fmt: skip
    people.sort(key=lambda p: str(p["name"]).casefold())
    return {"event_id": ident, "starts_at": starts, "kind": kind, "place": place,
            "held": bool(held), "people": people}  # fmt: skip
