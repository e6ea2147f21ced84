"""Caseload recovery: the officer's own records brought back from the central API.

A laptop restored from an old backup, or a new laptop of the same officer, asks the central
API for the officer's records (`outreach sync --recover`). Each arrives as the version the
server holds, with its visits. It is stored as that version, already acknowledged (so it is
never pushed back as new, and the retention purge treats it as any synced record), and only
where the laptop holds nothing newer: a record the laptop has at the same or a later version,
or with changes not sent yet, is left as it is. Idempotent: a page applied twice changes
nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .audit import AuditEntry, append_audit
from .base import StoreBase, owned, utc_now
from .fields import CONTENT_FIELDS, content_json, fold, record_content, sha256_hex
from .fts import index_records
from .records import _INSERT, _INSERT_VERSION, _PROOF, _UPDATE
from .syncstate import PUSH_CHECKPOINT

RECOVER_CURSOR = "sync.recover_cursor"
_VISIT_COLUMNS = ("id", "record_id", "at", "region_code", "rw", "rt", "outcome", "note",
                  "officer_id", "created_at")  # fmt: skip


@dataclass
class RecoverCounts:
    """What one recovery did."""

    received: int = 0
    added: int = 0
    updated: int = 0
    kept: int = 0  # the laptop holds the same or a newer version, or unsent changes
    visits: int = 0


class RecoveryMixin(StoreBase):
    """`recover_records`: store the server's versions of the officer's own records."""

    @owned
    def recover_records(self, items: Sequence[Mapping[str, Any]]) -> RecoverCounts:
        """Store each recovered record where the laptop has nothing newer; one transaction."""
        counts = RecoverCounts(received=len(items))
        if not items:
            return counts
        with self._write() as conn:
            now = utc_now()
            last_rid = self._scalar("SELECT coalesce(max(rid), 0) FROM records")
            audit: list[AuditEntry] = []
            renamed: list[int] = []
            for item in items:
                record_id = str(item["id"])
                version = int(item["version"])
                local = conn.execute(
                    "SELECT rid, version, sync_state, name_key FROM records WHERE id = ?",
                    (record_id,),
                ).fetchone()
                if local is not None and (
                    int(local[1]) >= version or local[2] != "synced" or self._unsent(record_id)
                ):
                    counts.kept += 1
                    continue
                content = record_content(dict(item["data"]))
                data = content_json(content)
                params = ["" if value is None else value for value in content.values()]
                params[CONTENT_FIELDS.index("consent")] = int(content["consent"])
                base = item.get("base_version")
                values = (
                    version, "" if base is None else base, *params, "synced",
                    str(item.get("officer_id") or ""), now, fold(content["full_name"]),
                    sha256_hex(data),
                )  # fmt: skip
                proof = tuple(item.get(k) or "" for k in ("consent_at", "consent_by",
                                                          "consent_version"))  # fmt: skip
                if local is None:
                    conn.execute(_INSERT, (record_id, item.get("received_at") or now, *values,
                                           *proof))  # fmt: skip
                    counts.added += 1
                else:
                    conn.execute(_UPDATE, (*values, record_id))
                    conn.execute(_PROOF, (*proof, record_id))
                    if local[3] != fold(content["full_name"]):
                        renamed.append(int(local[0]))
                    counts.updated += 1
                conn.execute(
                    "UPDATE records SET kpj_number = ?, duplicate_of = ?, "
                    "status = CASE WHEN ? = 'active' THEN 'active' ELSE status END, "
                    "sync_state = CASE WHEN ? IS NOT NULL THEN 'duplicate' ELSE 'synced' END "
                    "WHERE id = ?",
                    (item.get("kpj_number"), item.get("duplicate_of"), item.get("central_status"),
                     item.get("duplicate_of"), record_id),
                )  # fmt: skip
                conn.execute(
                    _INSERT_VERSION.replace("INSERT", "INSERT OR IGNORE", 1),
                    (record_id, version, "" if base is None else base, data, sha256_hex(data),
                     now, "central", str(item.get("officer_id") or "")),
                )  # fmt: skip
                self._acknowledge(conn, "record", record_id, version, base, now)
                counts.visits += self._recover_visits(conn, item.get("visits") or [], now)
                audit.append(AuditEntry("recover", "record", record_id, version, []))
            index_records(conn, after_rid=last_rid, renamed=renamed)
            append_audit(conn, now, "central", audit)
        return counts

    def _unsent(self, record_id: str) -> bool:
        """Whether a change of the record waits above the push checkpoint."""
        checkpoint = int(self._scalar("SELECT value FROM meta WHERE key = ?", (PUSH_CHECKPOINT,))
                         or 0)  # fmt: skip
        return bool(
            self._scalar(
                "SELECT EXISTS (SELECT 1 FROM changes WHERE entity = 'record' "
                "AND entity_id = ? AND seq > ?)",
                (record_id, checkpoint),
            )
        )

    @staticmethod
    def _acknowledge(
        conn: Any, entity: str, entity_id: str, version: int, base: Any, now: str
    ) -> None:
        conn.execute(
            "INSERT INTO sync_acks (entity, entity_id, version, sent_at, sent_base, ack, ack_at, "
            "reasons) VALUES (?, ?, ?, ?, ?, 'accepted', ?, '[]') "
            "ON CONFLICT (entity, entity_id, version) DO UPDATE SET ack = 'accepted', "
            "ack_at = excluded.ack_at",
            (entity, entity_id, version, now, base, now),
        )

    def _recover_visits(self, conn: Any, visits: Sequence[Mapping[str, Any]], now: str) -> int:
        """Visits the laptop does not hold yet (visits are immutable: never replaced)."""
        added = 0
        for visit in visits:
            data = dict(visit.get("data") or {})
            row = {name: data.get(name) for name in _VISIT_COLUMNS}
            row["id"] = str(visit["id"])
            row["created_at"] = now
            if row["outcome"] not in ("met", "not_home", "moved", "refused") or not row["at"]:
                continue
            cursor = conn.execute(
                f"INSERT OR IGNORE INTO visits ({', '.join(_VISIT_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in _VISIT_COLUMNS)})",
                [row[name] for name in _VISIT_COLUMNS],
            )
            if cursor.rowcount:
                self._acknowledge(conn, "visit", str(row["id"]), 1, None, now)
                added += 1
        return added
