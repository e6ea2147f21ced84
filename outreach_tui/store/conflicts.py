"""Resolving a sync conflict: send the laptop's content again, based on the server's version.

A `conflict` answer means the central API holds a newer version of the record than the one
this laptop based its change on (docs/sync-protocol.md). Saving the record again does not
help: unchanged content writes nothing, and an edit is based on the laptop's own last
version, which conflicts again. When the answer named the server's current version
(`ItemResult.current_version`, kept by `OutboxMixin.apply_push_results`), the officer can
keep their version: it is written again as a new version numbered after both, frozen with
the server's version as its base, so the next push is accepted.

Only "keep mine" is possible: a pull brings server changes (KPJ, status, flags), never the
content of another device's version, so the laptop cannot take "theirs".
"""

from __future__ import annotations

from typing import Literal

from .audit import AuditEntry, append_audit
from .base import StoreBase, owned, utc_now
from .changes import log_changes
from .outbox import SERVER_VERSION


class ConflictError(ValueError):
    """A conflict cannot be resolved here; `code` names why (a translation key)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ConflictsMixin(StoreBase):
    """`resolve_conflict`: the officer's version goes out again, based on the server's."""

    @owned
    def conflict_server_version(self, record_id: str) -> int | None:
        """The version the server said it holds when it answered this record `conflict`."""
        value = self._scalar("SELECT value FROM meta WHERE key = ?", (SERVER_VERSION + record_id,))
        return int(value) if value else None

    @owned
    def resolve_conflict(
        self, record_id: str, *, keep: Literal["mine"] = "mine", actor: str
    ) -> int:
        """Write the current content as a new version based on the server's; returns it.

        Raises ConflictError: `conflict.not_in_conflict` (the record is not set aside as a
        conflict, or was edited since), `conflict.server_version_unknown` (the answer did not
        say which version the server holds: a server or client without that field).
        """
        if keep != "mine":
            raise ValueError("only keep='mine' is possible: a pull never brings the content")
        if not actor:
            raise ValueError("actor is required: the audit log must say who resolved")
        with self._write() as conn:
            row = conn.execute(
                "SELECT version, sync_state FROM records WHERE id = ?", (record_id,)
            ).fetchone()
            if row is None or row[1] != "conflict":
                raise ConflictError("conflict.not_in_conflict")
            current = int(row[0])
            server = conn.execute(
                "SELECT value FROM meta WHERE key = ?", (SERVER_VERSION + record_id,)
            ).fetchone()
            if server is None or not server[0]:
                raise ConflictError("conflict.server_version_unknown")
            base = int(server[0])
            version = max(current, base) + 1
            now = utc_now()
            conn.execute(
                "INSERT INTO record_versions (record_id, version, base_version, data, hash, "
                "created_at, actor, officer_id) SELECT record_id, ?, ?, data, hash, ?, ?, "
                "officer_id FROM record_versions WHERE record_id = ? AND version = ?",
                (version, base, now, actor, record_id, current),
            )
            conn.execute(
                "UPDATE records SET version = ?, sync_state = 'pending', updated_at = ? "
                "WHERE id = ?",
                (version, now, record_id),
            )
            # Frozen as if sent with the server's version as base: the outbox sends a version
            # sent but not answered again "with the base it was first sent with".
            conn.execute(
                "INSERT INTO sync_acks (entity, entity_id, version, sent_at, sent_base) "
                "VALUES ('record', ?, ?, ?, ?)",
                (record_id, version, now, base),
            )
            conn.execute("DELETE FROM meta WHERE key = ?", (SERVER_VERSION + record_id,))
            log_changes(conn, now, [("record", record_id, version)])
            entry = AuditEntry("resolve_conflict", "record", record_id, version, ["base_version"])
            append_audit(conn, now, actor, [entry])
        return version
