"""Caseload recovery, the central side: a device gets back its own officer's records.

`GET /v1/records/mine?after=N&limit=M&since=YYYY-MM-DD` answers the current version of each
record the device's officer owns in its branch (the fence is in the storage query), oldest
first, with its visits and central facts (KPJ number, paid status, duplicate flag shown as the
owner may see it). Forgotten records (their name blanked) are left out. `since` leaves out
records not changed since that day (the laptop's retention rule). Read only.
"""

from __future__ import annotations

from typing import Any

from sync.protocol import HELD_BY_COLLEAGUE, HELD_IN_OTHER_BRANCH, RecoveredRecord
from sync.server.storage import Device

MAX_RECOVER_ITEMS = 500


def shown_flag(storage: Any, device: Device, holder: str | None) -> str | None:
    """The duplicate flag as this device may see it (the holder's id only if it is its own)."""
    if holder is None:
        return None
    state = storage.record(holder)
    if state is None or state.branch != device.branch:
        return HELD_IN_OTHER_BRANCH
    if state.officer_id != device.officer_id:
        return HELD_BY_COLLEAGUE
    return holder


def recover_page(
    storage: Any, device: Device, after: int, limit: int, since: str | None
) -> tuple[list[RecoveredRecord], int, bool]:
    """One page of the device officer's records after `after`; (records, cursor, more)."""
    rows, more = storage.owned_records(
        device.branch, device.officer_id, after, min(limit, MAX_RECOVER_ITEMS), since
    )
    records = []
    cursor = after
    for row in rows:
        cursor = int(row.pop("cursor"))
        row["duplicate_of"] = shown_flag(storage, device, row.get("duplicate_of"))
        records.append(RecoveredRecord.model_validate(row))
    return records, cursor, more
