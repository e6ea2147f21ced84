"""Saving records as versions, and reading them back by id or NIK.

Every save that changes a record's content writes, in ONE transaction: the ``records`` row,
its search-index entry, a frozen ``record_versions`` row, a ``changes`` row for sync and an
``audit`` entry. A save whose content equals the current version's is a no-op: no version,
no change, no audit entry (re-importing the same CSV is harmless).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sized
from dataclasses import dataclass
from typing import Any, NamedTuple

from .audit import AuditEntry, append_audit
from .base import StoreBase, owned, utc_now
from .bulk import bulk_write, gc_paused
from .changes import Entity, log_changes
from .fields import (
    BOOL_FIELDS,
    CONSENT_TEXT_VERSION,
    CONTENT_FIELDS,
    PUBLIC_FIELDS,
    canonical_id,
    changed_fields,
    content_json,
    fold,
    new_id,
    record_content,
    sha256_hex,
)
from .fts import index_records


class SavedRecord(NamedTuple):
    """What a save did: the record's id, its current version, and whether this save made it."""

    id: str
    version: int
    # True when this call wrote a new version (a new record, or a real change); False when
    # the content was identical to the current version and nothing was written.
    created: bool

    @property
    def is_new_record(self) -> bool:
        """True when this save created the record itself (its first version)."""
        return self.created and self.version == 1


class StaleVersionError(Exception):
    """The record changed since the caller read it: saving would silently undo that change."""


@dataclass(slots=True)
class _Incoming:
    """One record to save, checked and hashed before the transaction starts."""

    id: str
    content: dict[str, Any]
    data: str
    hash: str
    name_key: str
    params: list[Any]  # the content as bind parameters, in CONTENT_FIELDS order (see _NULL)


@dataclass(slots=True)
class _Current:
    """What the store holds for a record while a batch is being applied."""

    rid: int | None  # None: created by this batch (indexed for search by rid range)
    version: int
    hash: str
    created_at: str
    officer_id: str | None
    content: dict[str, Any]


# Values that may be None are bound as '' and turned back into NULL in SQL: sqlcipher3 binds
# None through a slow adapter lookup (~1.5 µs per value), a third of a 100k-row import.
# '' is never a stored value: record_content() already reads it as "no value".
_NULL = "NULLIF(?, '')"
# Columns every save sets; a new record also gets id and created_at. New records are
# INSERTed and existing ones UPDATEd (cheaper than one upsert for both): all inserts run
# before all updates, so a record created and changed again in one batch ends right.
_SET_COLUMNS = (
    "version",
    "base_version",
    *CONTENT_FIELDS,
    "sync_state",
    "officer_id",
    "updated_at",
    "name_key",
    "content_hash",
)
# The consent proof (who recorded consent, when, to which text version) is set when consent
# becomes true: with the INSERT of a new record, or by _PROOF for a stored one.
_PROOF_COLUMNS = ("consent_at", "consent_by", "consent_version")
_INSERT = (
    f"INSERT INTO records (id, created_at, {', '.join(_SET_COLUMNS)}, "
    f"{', '.join(_PROOF_COLUMNS)}) "
    f"VALUES (?, ?, {', '.join(_NULL for _ in (*_SET_COLUMNS, *_PROOF_COLUMNS))})"
)
# A save after a purge holds personal data again: purged_at is cleared.
_UPDATE = (
    f"UPDATE records SET {', '.join(f'{col} = {_NULL}' for col in _SET_COLUMNS)}, "
    "purged_at = NULL WHERE id = ?"
)
_PROOF = (
    f"UPDATE records SET {', '.join(f'{col} = {_NULL}' for col in _PROOF_COLUMNS)} WHERE id = ?"
)
_INSERT_VERSION = (
    "INSERT INTO record_versions (record_id, version, base_version, data, hash, created_at, "
    f"actor, officer_id) VALUES (?, ?, {_NULL}, ?, ?, ?, ?, {_NULL})"
)
_SELECT_PUBLIC = ", ".join(PUBLIC_FIELDS)
_CONSENT = CONTENT_FIELDS.index("consent")


def public_record(row: dict[str, Any]) -> dict[str, Any]:
    """A records row as callers see it: booleans as bool, internal columns (``_…``) dropped."""
    for name in BOOL_FIELDS:
        if name in row:
            row[name] = bool(row[name])
    for key in [key for key in row if key.startswith("_")]:
        del row[key]
    return row


def _incoming(record: Mapping[str, Any]) -> _Incoming:
    """Check one input record and compute its canonical text and hash (no I/O)."""
    raw_id = record.get("id")
    record_id = new_id() if raw_id is None or raw_id == "" else canonical_id(raw_id)
    content = record_content(record)
    data = content_json(content)
    params = ["" if value is None else value for value in content.values()]
    params[_CONSENT] = int(content["consent"])  # the one boolean field
    return _Incoming(record_id, content, data, sha256_hex(data), fold(content["full_name"]), params)


def _first(row: tuple[Any, ...]) -> Any:
    """Sort key: a row's first value (the record id of an INSERT)."""
    return row[0]


def _last(row: tuple[Any, ...]) -> Any:
    """Sort key: a row's last value (the record id of an UPDATE)."""
    return row[-1]


class RecordsMixin(StoreBase):
    """Writing records as versions; reading records and versions back."""

    @owned
    def save_record(
        self,
        record: Mapping[str, Any],
        *,
        actor: str,
        officer_id: str | None = None,
        expected_version: int | None = None,
    ) -> SavedRecord:
        """Save one record durably as a new version (or not at all when nothing changed).

        A missing ``id`` makes a new record with a fresh UUID. ``expected_version`` (the
        version a form was loaded from) turns a lost update into :class:`StaleVersionError`.
        ``officer_id`` is set on a new record and replaces the stored one only when given.
        """
        item = _incoming(record)
        expected = None if expected_version is None else (item.id, expected_version)
        return self._save([item], actor, officer_id, expected)[0]

    @owned
    def save_records(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        actor: str,
        officer_id: str | None = None,
        at: str | None = None,
    ) -> list[SavedRecord]:
        """Save many records in ONE transaction (a CSV import): all of them or none.

        Every input is checked before the transaction starts; results are in input order.
        ``at`` (a UTC stamp, not before the newest change) dates the saves: the demo's past.
        """
        if not isinstance(records, Sized):
            records = list(records)
        with gc_paused(len(records)):
            incoming = [_incoming(record) for record in records]
            return self._save(incoming, actor, officer_id, None, at=at)

    def _save(
        self,
        incoming: list[_Incoming],
        actor: str,
        officer_id: str | None,
        expected: tuple[str, int] | None,
        *,
        at: str | None = None,
    ) -> list[SavedRecord]:
        """Apply checked records in input order inside one write transaction."""
        if not actor:
            raise ValueError("actor is required: the audit log must say who saved")
        if not incoming:
            return []
        results: list[SavedRecord] = []
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        versions: list[tuple[Any, ...]] = []
        changes: list[tuple[Entity, str, int]] = []
        audit: list[AuditEntry] = []
        renamed: set[int] = set()  # stored rows whose name changed: re-indexed for search
        proofs: list[tuple[Any, ...]] = []  # stored rows whose consent changed
        with self._write() as conn:
            now = at or utc_now()
            proof = (now, officer_id or actor, CONSENT_TEXT_VERSION)
            no_proof = ("", "", "")  # see _NULL
            last_rid = self._scalar("SELECT coalesce(max(rid), 0) FROM records")
            ids = [item.id for item in incoming]
            # Into an empty table (a first big import) there is nothing to look up.
            empty = not self._scalar("SELECT EXISTS (SELECT 1 FROM records)")
            current = {} if empty else self._current(ids)
            # Only a batch naming one id twice needs to track the state it builds up.
            repeats = len(set(ids)) < len(ids)
            if expected is not None:
                have = current.get(expected[0])
                have_version = have.version if have else 0
                if have_version != expected[1]:
                    raise StaleVersionError(
                        f"record {expected[0]} is at version {have_version}, not "
                        f"{expected[1]}: reload it before saving"
                    )
            for item in incoming:
                old = current.get(item.id)
                if old is not None and old.hash == item.hash:
                    results.append(SavedRecord(item.id, old.version, False))
                    continue
                if old is None:
                    version, base, owner, created_at, rid = 1, None, officer_id, now, None
                    action, fields = "create", changed_fields(None, item.content)
                else:
                    version, base, rid = old.version + 1, old.version, old.rid
                    owner = officer_id if officer_id is not None else old.officer_id
                    created_at = old.created_at
                    action, fields = "update", changed_fields(old.content, item.content)
                    if rid is not None and "full_name" in fields:
                        renamed.add(rid)
                base_param = "" if base is None else base  # see _NULL
                values = (
                    version,
                    base_param,
                    *item.params,
                    "pending",  # a new version is not on the server yet
                    owner or "",
                    now,
                    item.name_key,
                    item.hash,
                )
                consent = item.content["consent"]
                if old is None:
                    given = proof if consent else no_proof
                    inserts.append((item.id, created_at, *values, *given))
                else:
                    updates.append((*values, item.id))
                    if consent != old.content["consent"]:
                        proofs.append((*(proof if consent else no_proof), item.id))
                versions.append(
                    (item.id, version, base_param, item.data, item.hash, now, actor, owner or "")
                )
                changes.append(("record", item.id, version))
                audit.append(AuditEntry(action, "record", item.id, version, fields))
                if repeats:
                    current[item.id] = _Current(
                        rid, version, item.hash, created_at, owner, item.content
                    )
                results.append(SavedRecord(item.id, version, True))
            if versions:
                # Writing in id order turns random B-tree inserts into near-appends (much
                # faster for a big import); stable sorts keep one id's saves in input order.
                inserts.sort(key=_first)
                updates.sort(key=_last)
                versions.sort(key=_first)
                with bulk_write(conn, new_rows=len(inserts)):
                    conn.executemany(_INSERT, inserts)
                    conn.executemany(_UPDATE, updates)
                    conn.executemany(_PROOF, proofs)
                    conn.executemany(_INSERT_VERSION, versions)
                    index_records(conn, after_rid=last_rid, renamed=sorted(renamed))
                    log_changes(conn, now, changes)
                    append_audit(conn, now, actor, audit)
        return results

    def _current(self, ids: list[str]) -> dict[str, _Current]:
        """The stored state of those of ``ids`` that exist: one batched query."""
        columns = ", ".join(CONTENT_FIELDS)
        sql = (
            f"SELECT id, rid, version, content_hash, created_at, officer_id, {columns} "
            "FROM records WHERE id IN (SELECT value FROM json_each(?))"
        )
        found: dict[str, _Current] = {}
        for row in self._conn.execute(sql, (json.dumps(ids),)):
            content = dict(zip(CONTENT_FIELDS, row[6:], strict=True))
            for name in BOOL_FIELDS:
                content[name] = bool(content[name])
            found[row[0]] = _Current(row[1], row[2], row[3], row[4], row[5], content)
        return found

    @owned
    def get_record(self, record_id: str) -> dict[str, Any] | None:
        """The current state of one record, or None when there is no such record."""
        try:
            record_id = canonical_id(record_id)
        except ValueError:
            return None
        rows = self._rows(f"SELECT {_SELECT_PUBLIC} FROM records WHERE id = ?", (record_id,))
        return public_record(rows[0]) if rows else None

    @owned
    def record_versions(self, record_id: str) -> list[dict[str, Any]]:
        """Every version of a record, oldest first, its frozen content under ``data``.

        ``data`` lists every content field (None where the stored text leaves it out).
        """
        try:
            record_id = canonical_id(record_id)
        except ValueError:
            return []
        rows = self._rows(
            "SELECT record_id, version, base_version, data, hash, created_at, actor, officer_id, "
            "sent_at FROM record_versions WHERE record_id = ? ORDER BY version",
            (record_id,),
        )
        for row in rows:
            stored = json.loads(row["data"])
            row["data"] = {name: stored.get(name) for name in CONTENT_FIELDS}
        return rows

    @owned
    def ids_for_niks(self, niks: Iterable[str]) -> dict[str, list[str]]:
        """Ids of the records holding each NIK (NIKs found only; oldest first): duplicate checks."""
        found: dict[str, list[str]] = {}
        rows = self._conn.execute(
            "SELECT nik, id FROM records WHERE nik IN (SELECT value FROM json_each(?)) "
            "ORDER BY nik, created_at, rid",
            (json.dumps(sorted(set(niks))),),
        )
        for nik, record_id in rows:
            found.setdefault(nik, []).append(record_id)
        return found

    @owned
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are stored (in canonical lowercase form); non-UUIDs never are."""
        wanted = set()
        for value in ids:
            try:
                wanted.add(canonical_id(value))
            except ValueError:
                continue
        rows = self._conn.execute(
            "SELECT id FROM records WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(wanted)),),
        )
        return {row[0] for row in rows}
