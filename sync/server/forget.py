"""Forgetting a person on request (UU 27/2022): the central side of `outreach forget`.

`POST /v1/records/{record_id}/forget` (a device token of the record's branch): the personal
fields (`outreach_tui.domain.privacy.PERSONAL_FIELDS`) are blanked in the record's current state
and in every stored version, the NIK column is cleared (which also lifts any duplicate flag it
held) and visit notes of the record are removed; a `forgotten` server change tells the branch's
other laptops. Idempotent: forgetting twice answers the same. Another branch's record is 403
(`branch_forbidden`), an unknown one 404 (`record_not_found`): the laptop then knows the centre
never held it. Ids, status, area, KPJ number and dates stay, for the branch's reports.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from outreach_tui.domain.privacy import PERSONAL_FIELDS, PERSONAL_VISIT_FIELDS
from sync.protocol import ForgetResponse
from sync.server.errors import ApiError
from sync.server.storage import CentralStorage, Device

logger = logging.getLogger("sync.server")


def _blank(text: str, fields: tuple[str, ...]) -> str:
    """JSON text with the personal keys set to null (keys kept, so the shape stays)."""
    data: dict[str, Any] = json.loads(text)
    for name in fields:
        if name in data:
            data[name] = None
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


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
        [(_blank(data, PERSONAL_FIELDS), rid, version) for version, data in versions],
    )
    conn.execute(
        "UPDATE records SET record = ?, nik = NULL, updated_at = ? WHERE rid = ?",
        (None if record is None else _blank(record, PERSONAL_FIELDS), at, rid),
    )
    visits = conn.execute(
        "SELECT visit_id, data FROM visits WHERE record_id = ?", (record_id,)
    ).fetchall()
    conn.executemany(
        "UPDATE visits SET data = ? WHERE visit_id = ?",
        [(_blank(data, PERSONAL_VISIT_FIELDS), visit_id) for visit_id, data in visits],
    )
    return True


def forget_record(
    storage: CentralStorage, device: Device, record_id: str, at: str
) -> ForgetResponse:
    """Forget one record of the device's branch; ApiError 404 / 403 otherwise."""
    record_id = record_id.strip().lower()
    with storage.write() as writer:
        state = writer.record_state(record_id)
        if state is None:
            raise ApiError(404, "record_not_found")
        if state.branch != device.branch:
            logger.info("forget refused: device %s, record of another branch", device.device_id)
            raise ApiError(403, "branch_forbidden")
        writer.forget_record(record_id, at)
        writer.log_change(state.branch, record_id, "forgotten", {}, at)
    logger.info("forget device=%s", device.device_id)
    return ForgetResponse(record_id=record_id, status="forgotten", at=at)
