"""Forgetting a person on request (UU 27/2022): the central side of `outreach forget`.

`POST /v1/records/{record_id}/forget` (a device token of the record's branch): the personal
fields (`outreach_tui.domain.privacy.PERSONAL_FIELDS`) are blanked in the record's current state
and in every stored version, the NIK column is cleared (which also lifts any duplicate flag it
held) and visit notes of the record are removed; a `forgotten` server change tells the branch's
other laptops. Idempotent: forgetting twice answers the same. A device may forget only its own
officer's records: a colleague's is 403 (`officer_forbidden`, the branch does it with `outreach
server forget`), another branch's or an unknown one 404 (`record_not_found`). Records flagged as
duplicates of the forgotten one are unflagged (or point at the record now holding the NIK).
Ids, status, area, KPJ number and dates stay, for the branch's reports.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from outreach_tui.domain.privacy import PERSONAL_FIELDS, PERSONAL_VISIT_FIELDS
from sync.protocol import RECORD_DATA_FIELDS, VISIT_DATA_FIELDS, ForgetResponse
from sync.server.answers import shown_holder
from sync.server.errors import ApiError
from sync.server.storage import CentralStorage, CentralWriter, Device, RecordState

logger = logging.getLogger("sync.server")


def _blank(text: str, fields: tuple[str, ...], allowed: frozenset[str]) -> str:
    """JSON text with the personal keys set to null (keys kept, so the shape stays).

    Keys outside the contract (`allowed`), which servers before strict fields stored as
    sent, are dropped: whatever they held is not kept after a forget either.
    """
    data: dict[str, Any] = json.loads(text)
    data = {name: value for name, value in data.items() if name in allowed}
    for name in fields:
        if name in data:
            data[name] = None
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def blank_record(text: str) -> str:
    """A stored record's JSON with its personal fields blanked (versions and current state)."""
    return _blank(text, PERSONAL_FIELDS, RECORD_DATA_FIELDS)


def blank_visit(text: str) -> str:
    """A stored visit's JSON with its personal fields blanked."""
    return _blank(text, PERSONAL_VISIT_FIELDS, VISIT_DATA_FIELDS)


def forget_rows(conn: sqlite3.Connection, record_id: str, at: str) -> bool:
    """Blank one record's personal data in the SQLite central database (inside a transaction).

    Returns False when the record is not stored. The version rows keep their content hash, so
    a replay of a forgotten version is still answered `duplicate`, not stored again.
    """
    row = conn.execute(
        "SELECT rid, record FROM records WHERE record_id = ?", (record_id,)
    ).fetchone()
    if row is None:
        return False
    rid, record = row
    versions = conn.execute(
        "SELECT version, data FROM record_versions WHERE rid = ?", (rid,)
    ).fetchall()
    conn.executemany(
        "UPDATE record_versions SET data = ? WHERE rid = ? AND version = ?",
        [(blank_record(data), rid, version) for version, data in versions],
    )
    conn.execute(
        "UPDATE records SET record = ?, nik = NULL, updated_at = ? WHERE rid = ?",
        (None if record is None else blank_record(record), at, rid),
    )
    visits = conn.execute(
        "SELECT visit_id, data FROM visits WHERE record_id = ?", (record_id,)
    ).fetchall()
    conn.executemany(
        "UPDATE visits SET data = ? WHERE visit_id = ?",
        [(blank_visit(data), visit_id) for visit_id, data in visits],
    )
    return True


def forget_record(
    storage: CentralStorage, device: Device, record_id: str, at: str
) -> ForgetResponse:
    """Forget one record of the device's own officer; ApiError 404 / 403 otherwise.

    Another branch's record answers 404 like an unknown one (its existence is none of the
    device's business); a colleague's record is 403 `officer_forbidden`: forgetting it is a
    branch staff action (`outreach server forget`).
    """
    record_id = record_id.strip().lower()
    with storage.write() as writer:
        state = writer.record_state(record_id)
        if state is None or state.branch != device.branch:
            raise ApiError(404, "record_not_found")
        if state.officer_id != device.officer_id:
            logger.info("forget refused: device %s, a colleague's record", device.device_id)
            raise ApiError(403, "officer_forbidden")
        forget_state(writer, state, at, actor=f"device:{device.device_id}")
    logger.info("forget device=%s", device.device_id)
    return ForgetResponse(record_id=record_id, status="forgotten", at=at)


def forget_state(
    writer: CentralWriter, state: RecordState, at: str, *, actor: str, reason: str | None = None
) -> list[str]:
    """Blank `state`'s record, tell its branch, lift the flags that pointed at it; audited.

    Returns the ids of the records whose duplicate flag was lifted or moved.
    """
    writer.forget_record(state.record_id, at)
    writer.log_change(state.branch, state.record_id, "forgotten", {}, at)
    moved = []
    for flagged_id in writer.flagged_by(state.record_id):
        flagged = writer.record_state(flagged_id)
        holder = writer.reflag(flagged_id)
        if flagged is not None:
            shown, _ = shown_holder(writer, flagged.branch, flagged.officer_id, holder)
            writer.log_change(
                flagged.branch, flagged_id, "duplicate_nik", {"duplicate_of": shown}, at
            )
        moved.append(flagged_id)
    writer.audit(at, actor, "forget", record_id=state.record_id, reason=reason)
    return moved


def staff_forget(
    storage: CentralStorage, record_id: str, at: str, *, actor: str, reason: str
) -> tuple[RecordState | None, list[str]]:
    """The branch forgets any of its records by hand (`outreach server forget`); audited."""
    with storage.write() as writer:
        state = writer.record_state(record_id.strip().lower())
        if state is None:
            return None, []
        return state, forget_state(writer, state, at, actor=actor, reason=reason)
