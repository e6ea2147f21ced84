"""The central rules for pushed groups, memberships, events and attendance (issue 14).

A group or an event is versioned content owned by the officer whose device sent it first: a
new version replaces the stored one, the same version again is a replay (`duplicate`) or, with
other content, a `conflict`; an older version than the stored one is a `conflict` naming the
server's version. A membership (a record in a group) and an attendance (a record at an event)
are immutable, keyed by `sync.protocol.pair_id` of their two ids. Every item is checked by the
same domain rules as on the laptop (`domain.groups`) and fenced by branch: a group, event or
record of another branch is refused (`branch.forbidden`, naming the field); one the server does
not know yet is accepted (it may come in a later batch). Statements use `?` placeholders and run
on SQLite and PostgreSQL through `CentralWriter.run`.

Every handler refuses before it writes, and writes with one statement that a unique key cannot
make fail (`ON CONFLICT DO NOTHING`, or an update of a row it read): so these items need no
savepoint, and what the batch holds of the ids they name is read once per batch (`Known`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from outreach_tui.domain import codes, fields
from outreach_tui.domain.groups import validate_event, validate_group
from outreach_tui.domain.problems import Problem
from sync.protocol import PushItem, pair_id
from sync.server.answers import Answer, PushContext, _answer, _Checked, _refuse
from sync.server.storage import CentralWriter

# A laptop's clock may run a little ahead of the server's: an event it marked as held just
# after it started is not refused for a few minutes of difference.
CLOCK_SLACK = dt.timedelta(minutes=15)
STATUSES_THEN = frozenset({*codes.STATUSES, "inactive"})


def _json(record: Mapping[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _moment(at: str) -> dt.datetime:
    return dt.datetime.fromisoformat(at.replace("Z", "+00:00"))


_KEYS = {"groups": "group_id", "events": "event_id", "records": "record_id"}
_HEADS = {"groups": "branch, officer_id, version, content_hash",
          "events": "branch, officer_id, version, content_hash", "records": "branch"}  # fmt: skip
_CHUNK = 500


class Known:
    """What the database holds of the groups, events and records a batch's items name: read
    for the whole batch in one query per table (and chunk), then kept current as the batch
    writes; an id not read ahead (written another way) is looked up on its own. A row is
    (branch, officer_id, version, content_hash) for a group or event, (branch,) for a record,
    None for an id the server does not hold."""

    def __init__(self, writer: CentralWriter, items: Sequence[PushItem]) -> None:
        self.writer = writer
        self.rows: dict[tuple[str, str], tuple[Any, ...] | None] = {}
        wanted: dict[str, set[Any]] = {table: set() for table in _KEYS}
        for item in items:
            data = item.data
            names = {
                "group": (("groups", item.id),),
                "event": (
                    ("events", item.id),
                    ("groups", data.get("group_id")),
                    ("events", data.get("follows_event_id")),
                ),
                "membership": (
                    ("groups", data.get("group_id")),
                    ("records", data.get("record_id")),
                ),
                "attendance": (
                    ("events", data.get("event_id")),
                    ("records", data.get("record_id")),
                ),
            }.get(item.kind, ())
            for table, ident in names:
                wanted[table].add(ident)
        for table, found in wanted.items():
            ids = sorted(i for i in found if isinstance(i, str) and i)
            self.rows.update(((table, ident), None) for ident in ids)
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                for row in self.writer.run(
                    f"SELECT {_KEYS[table]}, {_HEADS[table]} FROM {table} "
                    f"WHERE {_KEYS[table]} IN ({', '.join('?' * len(chunk))})",
                    chunk,
                ).fetchall():
                    self.rows[(table, row[0])] = tuple(row[1:])

    def get(self, table: str, ident: str) -> tuple[Any, ...] | None:
        if (table, ident) not in self.rows:
            row = self.writer.run(
                f"SELECT {_HEADS[table]} FROM {table} WHERE {_KEYS[table]} = ?", (ident,)
            ).fetchone()
            self.rows[(table, ident)] = None if row is None else tuple(row)
        return self.rows[(table, ident)]

    def put(self, table: str, ident: str, row: tuple[Any, ...]) -> None:
        self.rows[(table, ident)] = row


def _fence(known: Known, item: PushItem, ctx: PushContext, field: str, table: str,
           ident: str | None) -> None:  # fmt: skip
    """Refuse an item naming a group, event or record another branch holds (unknown is fine)."""
    if ident is None:
        return
    row = known.get(table, ident)
    if row is not None and row[0] != ctx.device.branch:
        raise _refuse(item, "rejected", ctx, Problem(field, "branch.forbidden"))


def _versioned(
    known: Known, item: PushItem, ctx: PushContext, checked: _Checked, table: str,
    columns: Mapping[str, Any],
) -> Answer:  # fmt: skip
    """Store a group or event version under the version rules of the module doc."""
    device, ident, writer, key = ctx.device, checked.id, known.writer, _KEYS[table]
    held = known.get(table, ident)
    if held is not None:
        branch, officer, version, digest = held
        if branch != device.branch:
            raise _refuse(item, "rejected", ctx, Problem("id", "branch.forbidden"))
        if officer != device.officer_id:
            raise _refuse(item, "rejected", ctx, Problem("id", "officer.forbidden"))
        if version == item.version:
            if digest == checked.digest:
                return _answer(item, "duplicate", ctx)
            params = {"version": item.version, "current_version": version}
            raise _refuse(item, "conflict", ctx, Problem("version", "version.content_differs",
                                                         params))  # fmt: skip
        if version > item.version:
            params = {"base_version": item.base_version or item.version,
                      "current_version": version}  # fmt: skip
            raise _refuse(item, "conflict", ctx, Problem("version", "version.stale_base", params))
        names = ", ".join(f"{name} = ?" for name in columns)
        writer.run(
            f"UPDATE {table} SET version = ?, content_hash = ?, {names}, "
            f"device_id = ?, updated_at = ? WHERE {key} = ?",
            (item.version, checked.digest, *columns.values(), device.device_id, ctx.at, ident),
        )
        known.put(table, ident, (branch, officer, item.version, checked.digest))
        return _answer(item, "accepted", ctx)
    names = ", ".join(columns)
    marks = ", ".join("?" * (len(columns) + 8))
    writer.run(
        f"INSERT INTO {table} ({key}, branch, officer_id, device_id, version, content_hash, "
        f"{names}, received_at, updated_at) VALUES ({marks})",
        (ident, device.branch, device.officer_id, device.device_id, item.version,
         checked.digest, *columns.values(), ctx.at, ctx.at),
    )  # fmt: skip
    known.put(table, ident, (device.branch, device.officer_id, item.version, checked.digest))
    return _answer(item, "accepted", ctx)


def _group(known: Known, item: PushItem, ctx: PushContext, checked: _Checked) -> Answer:
    check = validate_group({**item.data, "id": checked.id})
    if not check.ok:
        raise _refuse(item, "rejected", ctx, *check.errors)
    group = check.record
    columns = {
        "data": _json(group), "name": group["name"], "kind": group["kind"],
        "region_code": group["region_code"], "declared_workers": group["declared_workers"],
    }  # fmt: skip
    return _versioned(known, item, ctx, checked, "groups", columns)


def _event(known: Known, item: PushItem, ctx: PushContext, checked: _Checked) -> Answer:
    check = validate_event({**item.data, "id": checked.id}, now=_moment(ctx.at) + CLOCK_SLACK)
    if not check.ok:
        raise _refuse(item, "rejected", ctx, *check.errors)
    event = check.record
    _fence(known, item, ctx, "group_id", "groups", event["group_id"])
    _fence(known, item, ctx, "follows_event_id", "events", event["follows_event_id"])
    columns = {
        "data": _json(event), "kind": event["kind"], "starts_at": event["starts_at"],
        "held": int(bool(event["held"])), "place": event["place"],
        "group_id": event["group_id"], "institution": event["institution"],
    }  # fmt: skip
    return _versioned(known, item, ctx, checked, "events", columns)


def _pair(item: PushItem, ctx: PushContext, checked: _Checked, first: str) -> tuple[str, str]:
    """The two ids of a membership or an attendance, checked, and the item id they make."""
    problems: list[Problem] = []
    ids: list[str] = []
    for name in (first, "record_id"):
        value, bad = fields.read_uuid(item.data.get(name), name)
        if fields.is_blank(item.data.get(name)):
            bad = [Problem(name, f"{name}.required")]
        problems += bad
        ids.append(value if isinstance(value, str) else "")
    if problems:
        raise _refuse(item, "rejected", ctx, *problems)
    if pair_id(ids[0], ids[1]) != checked.id:
        raise _refuse(item, "rejected", ctx, Problem("id", "id.mismatch"))
    return ids[0], ids[1]


def _moment_problem(value: object, name: str) -> list[Problem]:
    text = fields.as_text(value)
    if text is None:
        return [Problem(name, f"{name}.required")]
    try:
        _moment(text.strip())
    except ValueError:
        return [Problem(name, f"{name}.format")]
    return []


def _immutable(known: Known, item: PushItem, ctx: PushContext, checked: _Checked,
               table: str, values: Mapping[str, Any]) -> Answer:  # fmt: skip
    device, writer = ctx.device, known.writer
    names = ", ".join(values)
    marks = ", ".join("?" * (len(values) + 6))
    stored = writer.run(
        f"INSERT INTO {table} (item_id, branch, officer_id, device_id, content_hash, {names}, "
        f"received_at) VALUES ({marks}) ON CONFLICT DO NOTHING",
        (checked.id, device.branch, device.officer_id, device.device_id, checked.digest,
         *values.values(), ctx.at),
    ).rowcount  # fmt: skip
    if stored:
        return _answer(item, "accepted", ctx)
    row = writer.run(
        f"SELECT branch, content_hash FROM {table} WHERE item_id = ?", (checked.id,)
    ).fetchone()
    if row is not None and row[0] != device.branch:
        raise _refuse(item, "rejected", ctx, Problem("id", "branch.forbidden"))
    if row is not None and row[1] == checked.digest:
        return _answer(item, "duplicate", ctx)
    raise _refuse(item, "conflict", ctx, Problem("id", "item.content_differs"))


def _membership(known: Known, item: PushItem, ctx: PushContext,
                checked: _Checked) -> Answer:  # fmt: skip
    group_id, record_id = _pair(item, ctx, checked, "group_id")
    problems = _moment_problem(item.data.get("added_at"), "added_at")
    if problems:
        raise _refuse(item, "rejected", ctx, *problems)
    _fence(known, item, ctx, "group_id", "groups", group_id)
    _fence(known, item, ctx, "record_id", "records", record_id)
    values = {"group_id": group_id, "record_id": record_id,
              "added_at": str(item.data["added_at"]).strip()}  # fmt: skip
    return _immutable(known, item, ctx, checked, "group_members", values)


def _attendance(known: Known, item: PushItem, ctx: PushContext,
                checked: _Checked) -> Answer:  # fmt: skip
    event_id, record_id = _pair(item, ctx, checked, "event_id")
    problems = _moment_problem(item.data.get("at"), "at")
    status = item.data.get("status_then")
    if not isinstance(status, str) or status not in STATUSES_THEN:
        problems.append(Problem("status_then", "status_then.unknown"))
    if problems:
        raise _refuse(item, "rejected", ctx, *problems)
    _fence(known, item, ctx, "event_id", "events", event_id)
    _fence(known, item, ctx, "record_id", "records", record_id)
    values = {"event_id": event_id, "record_id": record_id, "status_then": status,
              "at": str(item.data["at"]).strip()}  # fmt: skip
    return _immutable(known, item, ctx, checked, "attendance", values)


Handler = Callable[[Known, PushItem, PushContext, _Checked], Answer]
HANDLERS: dict[str, Handler] = {
    "group": _group,
    "membership": _membership,
    "event": _event,
    "attendance": _attendance,
}


def officer_items(storage: Any, branch: str, officer_id: str) -> list[dict[str, Any]]:
    """Everything of groups and events the officer's devices pushed in their branch, for
    caseload recovery: groups, then events, then memberships, then attendance (the order a
    laptop can store them in). Groups and events as the server holds them now."""
    items: list[dict[str, Any]] = []
    with storage.reader() as run:
        for kind, table, key in (("group", "groups", "group_id"), ("event", "events", "event_id")):
            for ident, version, digest, data in run(
                f"SELECT {key}, version, content_hash, data FROM {table} "
                f"WHERE branch = ? AND officer_id = ? ORDER BY received_at, {key}",
                (branch, officer_id),
            ).fetchall():
                items.append({"kind": kind, "id": ident, "version": int(version),
                              "content_hash": digest, "data": json.loads(data)})  # fmt: skip
        for ident, digest, group_id, record_id, added_at in run(
            "SELECT item_id, content_hash, group_id, record_id, added_at FROM group_members "
            "WHERE branch = ? AND officer_id = ? ORDER BY received_at, item_id",
            (branch, officer_id),
        ).fetchall():
            data = {"id": ident, "group_id": group_id, "record_id": record_id,
                    "added_at": added_at}  # fmt: skip
            items.append({"kind": "membership", "id": ident, "version": 1,
                          "content_hash": digest, "data": data})  # fmt: skip
        for ident, digest, event_id, record_id, status, at in run(
            "SELECT item_id, content_hash, event_id, record_id, status_then, at FROM attendance "
            "WHERE branch = ? AND officer_id = ? ORDER BY received_at, item_id",
            (branch, officer_id),
        ).fetchall():
            data = {"id": ident, "event_id": event_id, "record_id": record_id,
                    "status_then": status, "at": at}  # fmt: skip
            items.append({"kind": "attendance", "id": ident, "version": 1,
                          "content_hash": digest, "data": data})  # fmt: skip
    return items
