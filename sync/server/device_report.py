"""What one device held, for the lost-laptop drill (`outreach server device-report`).

The central server knows what a device *sent*: every accepted record version and visit keeps
the id of the device that pushed it. It does not log pulls; a pull only carries what the
centre decided about the branch's records (KPJ number, paid status, duplicate flag) and the
laptop applies it to records it already holds. So a device held:

- every record it pushed, with the personal fields that were filled in any version it sent;
- what it could have pulled about those records after sending them (`received_fields`, and
  `last_received_at`: the latest such change; whether the laptop really pulled it, the server
  cannot tell).

Groups the device was the last to write are listed too (kind `group`): their contact person's
name and phone are personal data on the laptop (`group.contact_name`, `group.contact_phone`).

Not in the report: records made on the laptop and never synced (the server never saw them),
and items the server rejected (it keeps no copy). The person's name is added only when asked
(`names=True`): the branch needs it for the notification letters, a report without names can
be passed around.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from outreach_tui.domain.spreadsheet import spreadsheet_cell
from sync.protocol import ServerChange
from sync.server.storage import Device, RecordState

# Fields that say nothing about who the person is: reference, status, area, programme, dates of
# the work. Every other filled field of a record or visit counts as personal (new fields too).
NOT_PERSONAL_RECORD: frozenset[str] = frozenset(
    {
        "id", "status", "region_code", "rw", "rt", "programs", "payment_period", "follow_up_on",
        "consent", "consent_at", "consent_by", "consent_version", "monthly_contribution",
        "kpj_number", "sync_state", "officer_id", "created_at", "updated_at", "version",
        "duplicate_of",
    }
)  # fmt: skip
NOT_PERSONAL_VISIT: frozenset[str] = frozenset(
    {"id", "record_id", "at", "outcome", "region_code", "rw", "rt", "officer_id"}
)
# A group's fields that name nobody: its contact person's name and phone do.
NOT_PERSONAL_GROUP: frozenset[str] = frozenset(
    {"id", "name", "kind", "region_code", "rw", "rt", "contact_role", "declared_workers"}
)
REPORT_FIELDS: tuple[str, ...] = (
    "record_id",
    "kind",
    "branch",
    "personal_fields",
    "received_fields",
    "versions_sent",
    "visits_sent",
    "first_sent_at",
    "last_sent_at",
    "last_received_at",
)
NAME_FIELD = "full_name"
_PAGE = 5000


class DeviceReportStorage(Protocol):
    """The reads the report needs (SqliteCentralStorage has them)."""

    def device(self, device_id: str) -> Device | None: ...

    def device_items(
        self, device_id: str
    ) -> Iterable[tuple[str, str, str | None, str, str, str]]: ...

    def changes_after(
        self, branch: str, cursor: int, limit: int
    ) -> tuple[list[ServerChange], bool]: ...

    def record(self, record_id: str) -> RecordState | None: ...

    def reader(self) -> AbstractContextManager[Any]: ...


@dataclass
class Held:
    """One record (or a visit of no record) the device held."""

    record_id: str
    kind: str
    branch: str
    personal_fields: set[str] = field(default_factory=set)
    received_fields: set[str] = field(default_factory=set)
    versions_sent: int = 0
    visits_sent: int = 0
    first_sent_at: str = ""
    last_sent_at: str = ""
    last_received_at: str = ""
    full_name: str | None = None

    def sent(self, at: str) -> None:
        """Note one item sent at `at` (server time)."""
        self.first_sent_at = min(self.first_sent_at or at, at)
        self.last_sent_at = max(self.last_sent_at, at)

    def row(self, names: bool) -> dict[str, Any]:
        """The report row; list-valued fields sorted."""
        row: dict[str, Any] = {
            "record_id": self.record_id,
            "kind": self.kind,
            "branch": self.branch,
            "personal_fields": sorted(self.personal_fields),
            "received_fields": sorted(self.received_fields),
            "versions_sent": self.versions_sent,
            "visits_sent": self.visits_sent,
            "first_sent_at": self.first_sent_at,
            "last_sent_at": self.last_sent_at,
            "last_received_at": self.last_received_at or None,
        }
        if names:
            row[NAME_FIELD] = self.full_name
        return row


@dataclass
class DeviceReport:
    """The device and what it held, in record id order."""

    device: Device
    held: list[Held]
    names: bool

    def rows(self) -> Iterator[dict[str, Any]]:
        """One row per record (or stray visit)."""
        for item in self.held:
            yield item.row(self.names)

    def to_json(self) -> dict[str, Any]:
        """The whole report: the device, then its records."""
        device = self.device
        return {
            "device": {
                "device_id": device.device_id,
                "officer_id": device.officer_id,
                "branch": device.branch,
                "created_at": device.created_at,
                "revoked_at": device.revoked_at,
            },
            "records": list(self.rows()),
        }


def _filled(data: dict[str, Any], not_personal: frozenset[str]) -> set[str]:
    return {
        name
        for name, value in data.items()
        if name not in not_personal and value not in (None, "", [], {}, False)
    }


def _data(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def device_report(
    storage: DeviceReportStorage, device_id: str, *, names: bool = False
) -> DeviceReport | None:
    """What `device_id` held, or None when the server does not know that device."""
    device = storage.device(device_id)
    if device is None:
        return None
    held: dict[str, Held] = {}
    for kind, item_id, record_id, text, branch, at in storage.device_items(device_id):
        data = _data(text)
        key = record_id or item_id
        entry = held.get(key)
        if entry is None:
            entry = held[key] = Held(key, "record" if record_id else "visit", branch)
        entry.sent(at)
        if kind == "record":
            entry.versions_sent += 1
            entry.personal_fields |= _filled(data, NOT_PERSONAL_RECORD)
        else:
            entry.visits_sent += 1
            entry.personal_fields |= {f"visit.{name}" for name in _filled(data, NOT_PERSONAL_VISIT)}
    _add_received(storage, device.branch, held)
    if names:
        for entry in held.values():
            state = storage.record(entry.record_id) if entry.kind == "record" else None
            name = state.record.get(NAME_FIELD) if state is not None else None
            entry.full_name = str(name) if name else None
    _add_groups(storage, device_id, held, names)
    return DeviceReport(device, [held[key] for key in sorted(held)], names)


def _add_groups(
    storage: DeviceReportStorage, device_id: str, held: dict[str, Held], names: bool
) -> None:
    """The groups the device was the last to write, with their contact person's fields."""
    with storage.reader() as run:
        rows = run(
            "SELECT group_id, branch, version, data, received_at, updated_at FROM groups "
            "WHERE device_id = ?",
            (device_id,),
        ).fetchall()
    for group_id, branch, version, text, first, last in rows:
        data = _data(text)
        entry = held[group_id] = Held(group_id, "group", branch)
        entry.versions_sent = int(version)
        entry.first_sent_at, entry.last_sent_at = first, last
        entry.personal_fields = {f"group.{n}" for n in _filled(data, NOT_PERSONAL_GROUP)}
        if names:
            entry.full_name = str(data.get("name") or "") or None


def _add_received(storage: DeviceReportStorage, branch: str, held: dict[str, Held]) -> None:
    """What the branch's pull offered about each held record after the device first sent it."""
    cursor, more = 0, True
    while more:
        changes, more = storage.changes_after(branch, cursor, _PAGE)
        for change in changes:
            entry = held.get(change.record_id)
            if entry is not None and change.at >= entry.first_sent_at:
                entry.received_fields |= set(change.fields)
                entry.last_received_at = max(entry.last_received_at, change.at)
        if changes:
            cursor = changes[-1].seq


def write_json(report: DeviceReport, out: IO[str]) -> int:
    """The report as one JSON object; returns how many records."""
    out.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    out.write("\n")
    return len(report.held)


def write_csv(report: DeviceReport, out: IO[str], *, plain: bool = False) -> int:
    """One CSV row per record; list fields joined with `;`. Returns how many rows."""
    header = (*REPORT_FIELDS, NAME_FIELD) if report.names else REPORT_FIELDS
    if not plain:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in report.rows():
        cells = []
        for name in header:
            value = row.get(name)
            if isinstance(value, list):
                value = ";".join(value)
            cells.append(spreadsheet_cell(name, value, plain=plain))
        writer.writerow(cells)
    return len(report.held)
