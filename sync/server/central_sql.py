"""The central database's statements that SQLite and PostgreSQL share, written once.

Written with `?` placeholders (SQLite's); `pg()` gives PostgreSQL's `%s` form. Each backend
keeps only what differs: how a batch goes in (executemany / COPY), sequences, JSON functions,
locking. `register_key` is the slip-key logic both run on their own connection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sync.server.storage import CurrentRecord, Device, NewVersion, NewVisit

Run = Callable[[str, Sequence[Any]], Any]  # executes a `?` statement, returns its cursor


def pg(sql: str) -> str:
    """A shared statement with PostgreSQL's placeholders (no statement here has a literal ?)."""
    return sql.replace("?", "%s")


RECORD_SELECT = (
    "SELECT r.record_id, r.branch, r.officer_id, r.version, r.content_hash, "
    "coalesce(r.record, v.data), r.central_status, r.duplicate_of, k.kpj_number, r.updated_at, "
    "r.consent_at, r.consent_by, r.consent_version "
    "FROM records r LEFT JOIN kpj_numbers k ON k.rid = r.rid "
    "LEFT JOIN record_versions v ON r.record IS NULL AND v.rid = r.rid AND v.version = r.version"
)
UPSERT_CURRENT = (
    "INSERT INTO records (record_id, branch, officer_id, version, content_hash, record, "
    "nik, duplicate_of, created_at, updated_at, consent_at, consent_by, consent_version, "
    "status, region_code, rw, decline_reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (record_id) DO UPDATE SET officer_id = excluded.officer_id, "
    "version = excluded.version, content_hash = excluded.content_hash, "
    "record = excluded.record, nik = excluded.nik, duplicate_of = excluded.duplicate_of, "
    "updated_at = excluded.updated_at, consent_at = excluded.consent_at, "
    "consent_by = excluded.consent_by, consent_version = excluded.consent_version, "
    "status = excluded.status, region_code = excluded.region_code, rw = excluded.rw, "
    "decline_reason = excluded.decline_reason"
)
NIK_HOLDER = (
    "SELECT record_id FROM records WHERE nik = ? AND duplicate_of IS NULL AND record_id <> ?"
)
INSERT_VERSION_OF_RECORD = (
    "INSERT INTO record_versions (rid, version, base_version, content_hash, data, "
    "branch, officer_id, device_id, received_at) "
    "SELECT rid, ?, ?, ?, ?, ?, ?, ?, ? FROM records WHERE record_id = ? "
    "ON CONFLICT (rid, version) DO NOTHING"
)
RID_OF = "SELECT rid FROM records WHERE record_id = ?"
STORED_VERSION = (
    "SELECT r.record_id, v.version, v.content_hash, v.branch "
    "FROM records r JOIN record_versions v ON v.rid = r.rid "
    "WHERE r.record_id = ? AND v.version = ?"
)
KPJ_OF = (
    "SELECT r.rid, k.kpj_number FROM records r LEFT JOIN kpj_numbers k ON k.rid = r.rid "
    "WHERE r.record_id = ?"
)
SET_CENTRAL_STATUS = "UPDATE records SET central_status = ?, updated_at = ? WHERE record_id = ?"
INSERT_CHANGE = (
    "INSERT INTO server_changes (branch, record_id, kind, fields, at, officer_id) "
    "VALUES (?, ?, ?, ?, ?, (SELECT officer_id FROM records WHERE record_id = ?))"
)
INSERT_VISIT = (
    "INSERT INTO visits (visit_id, record_id, content_hash, data, branch, officer_id, "
    "device_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (visit_id) DO NOTHING"
)
STORED_VISIT = "SELECT visit_id, 1, content_hash, branch FROM visits WHERE visit_id = ?"
FLAGGED_BY = "SELECT record_id FROM records WHERE duplicate_of = ? ORDER BY created_at, rid"
LIFT_FLAG = "UPDATE records SET duplicate_of = NULL WHERE record_id = ?"
HOLDER_OF_NIK_OF = (
    "SELECT h.record_id FROM records h JOIN records r ON r.nik = h.nik "
    "WHERE r.record_id = ? AND h.duplicate_of IS NULL AND h.record_id <> ?"
)
SET_FLAG = "UPDATE records SET duplicate_of = ? WHERE record_id = ?"
INSERT_AUDIT = (
    "INSERT INTO central_audit (at, actor, action, record_id, key_id, reason) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
INSERT_DEVICE = (
    "INSERT INTO devices (device_id, officer_id, branch, token_hash, created_at, revoked_at) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
REVOKE_DEVICE = "UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL"
DEVICE_BY = "SELECT device_id, officer_id, branch, created_at, revoked_at FROM devices WHERE "
KEY_INFO = (
    "SELECT k.key_id, k.public_key, d.officer_id, d.branch, d.revoked_at, k.replaced_at "
    "FROM device_keys k JOIN devices d ON d.device_id = k.device_id "
)
DEVICE_ITEMS = (
    "SELECT 'record', r.record_id, r.record_id, v.data, v.branch, v.received_at "
    "FROM record_versions v JOIN records r ON r.rid = v.rid WHERE v.device_id = ? "
    "UNION ALL SELECT 'visit', visit_id, record_id, data, branch, received_at "
    "FROM visits WHERE device_id = ?"
)
CHANGES_AFTER = "SELECT seq, kind, record_id, fields, at FROM server_changes WHERE branch = ?"
OWNED_NAMES = ("cursor", "id", "version", "base_version", "content_hash", "data",
               "received_at", "officer_id", "consent_at", "consent_by", "consent_version",
               "kpj_number", "central_status", "duplicate_of")  # fmt: skip
OWNED_SELECT = (
    "SELECT r.rid, r.record_id, r.version, v.base_version, r.content_hash, v.data, "
    "v.received_at, r.officer_id, r.consent_at, r.consent_by, r.consent_version, "
    "k.kpj_number, r.central_status, r.duplicate_of "
    "FROM records r JOIN record_versions v ON v.rid = r.rid AND v.version = r.version "
    "LEFT JOIN kpj_numbers k ON k.rid = r.rid "
    "WHERE r.branch = ? AND r.officer_id = ? AND r.rid > ? AND r.updated_at >= ? "
)


def facts(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """What the branch console counts by, kept in columns next to the record's JSON (status,
    region code, RW, decline reason): the overview reads no JSON."""
    return (
        record.get("status") or None, record.get("region_code") or None,
        record.get("rw") or None, record.get("decline_reason") or None,
    )  # fmt: skip


def current_params(current: CurrentRecord, record_json: str, duplicate_of: str | None) -> tuple:
    """The parameters of UPSERT_CURRENT."""
    return (
        current.record_id, current.branch, current.officer_id, current.version,
        current.content_hash, record_json, current.nik, duplicate_of, current.updated_at,
        current.updated_at, current.consent_at, current.consent_by, current.consent_version,
        *facts(current.record),
    )  # fmt: skip


def version_params(version: NewVersion) -> tuple:
    """The parameters of INSERT_VERSION_OF_RECORD."""
    return (
        version.version, version.base_version, version.content_hash, version.data_json,
        version.branch, version.officer_id, version.device_id, version.received_at,
        version.record_id,
    )  # fmt: skip


def visit_params(visit: NewVisit) -> tuple:
    """The parameters of INSERT_VISIT."""
    return (
        visit.visit_id, visit.record_id, visit.content_hash, visit.data_json, visit.branch,
        visit.officer_id, visit.device_id, visit.received_at,
    )  # fmt: skip


def device_params(device: Device, token_hash: str) -> tuple:
    """The parameters of INSERT_DEVICE."""
    return (device.device_id, device.officer_id, device.branch, token_hash, device.created_at,
            device.revoked_at)  # fmt: skip


def register_key(
    run: Run, audit: Callable[..., None], device: Device, key_id: str, public_key: str, at: str
) -> bool:
    """Make `key_id` the device's one active slip key, inside the caller's write transaction;
    False when the key id belongs to another device. A new key replaces the active one
    (`replaced_at`, audited): slips signed with the old key before that moment still verify.
    Registering the active key again changes nothing."""
    row = run(
        "SELECT device_id, public_key, replaced_at FROM device_keys WHERE key_id = ?", (key_id,)
    ).fetchone()
    if row is not None:
        return bool(row[0] == device.device_id and row[1] == public_key and row[2] is None)
    actor = f"device:{device.device_id}"
    old = run(
        "SELECT key_id FROM device_keys WHERE device_id = ? AND replaced_at IS NULL",
        (device.device_id,),
    ).fetchall()
    for (old_id,) in old:
        run("UPDATE device_keys SET replaced_at = ? WHERE key_id = ?", (at, old_id))
        audit(at, actor, "key_replaced", key_id=old_id, reason=key_id)
    run(
        "INSERT INTO device_keys (key_id, device_id, public_key, registered_at) "
        "VALUES (?, ?, ?, ?)",
        (key_id, device.device_id, public_key, at),
    )
    audit(at, actor, "key_registered", key_id=key_id)
    return True
