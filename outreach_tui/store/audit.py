"""The audit log: who changed what and when, as a hash chain that makes tampering visible.

Entries hold field *names*, never values: the audit log carries no personal data, so it can
be kept (and shown to a supervisor) after a person's record has been erased on request.

Each entry's ``hash`` is ``sha256(prev_hash + canonical entry)``; the first entry's
``prev_hash`` is :data:`GENESIS`. Editing, deleting or inserting a row breaks the chain from
that row on. Cutting rows off the end is caught too, as long as SQLite's own AUTOINCREMENT
counter was left alone; rewriting the whole file consistently is not detectable from inside
it (anchoring the chain head elsewhere, e.g. on the server at sync, closes that gap).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from .base import StoreBase, owned
from .connection import Connection
from .fields import canonical_json, json_scalar, sha256_hex

GENESIS = "0" * 64


class AuditEntry(NamedTuple):
    """One thing that happened to one entity, before it is chained and stored."""

    action: str
    entity: str
    entity_id: str | None
    version: int | None
    fields: Sequence[str]


def _entry_text(
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | None,
    version: int | None,
    fields: str,
) -> str:
    """The canonical text of an entry: what its hash covers (everything but the hashes)."""
    return canonical_json([seq, at, actor, action, entity, entity_id, version, fields])


def append_audit(conn: Connection, at: str, actor: str, entries: Sequence[AuditEntry]) -> None:
    """Chain and insert entries; the caller's transaction makes them atomic with the change."""
    if not entries:
        return
    last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    counter = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").fetchone()
    # The AUTOINCREMENT counter, not max(seq), so a seq is never reused even after tampering.
    seq = max(last[0] if last else 0, counter[0] if counter else 0)
    prev_hash = last[1] if last else GENESIS
    rows: list[tuple[Any, ...]] = []
    # Most entries of an import name the same fields: encode each distinct list once. The
    # entry text is put together from its values' canonical JSON, which is exactly what
    # _entry_text() gives (tests/store/test_changes_audit.py holds them to that), but at a
    # third of the cost: the time and actor are the same for the whole batch.
    encoded: dict[tuple[str, ...], tuple[str, str]] = {}
    head = f",{json_scalar(at)},{json_scalar(actor)},"
    for entry in entries:
        seq += 1
        names = tuple(entry.fields)
        known = encoded.get(names)
        if known is None:
            fields_text = canonical_json(list(names))
            known = encoded[names] = (fields_text, json_scalar(fields_text))
        fields, fields_json = known
        text = (
            f"[{seq}{head}{json_scalar(entry.action)},{json_scalar(entry.entity)},"
            f"{json_scalar(entry.entity_id)},{json_scalar(entry.version)},{fields_json}]"
        )
        digest = sha256_hex(prev_hash + text)
        rows.append(
            (
                seq,
                at,
                actor,
                entry.action,
                entry.entity,
                entry.entity_id,
                entry.version,
                fields,
                prev_hash,
                digest,
            )
        )
        prev_hash = digest
    conn.executemany(
        "INSERT INTO audit (seq, at, actor, action, entity, entity_id, version, fields, "
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


class AuditMixin(StoreBase):
    """Reading and checking the audit log."""

    @owned
    def verify_audit(self) -> int | None:
        """The seq of the first entry that breaks the hash chain, or None when it is intact."""
        prev_hash = GENESIS
        last_seq = 0
        for row in self._stream(
            "SELECT seq, at, actor, action, entity, entity_id, version, fields, prev_hash, hash "
            "FROM audit ORDER BY seq"
        ):
            text = _entry_text(
                row["seq"],
                row["at"],
                row["actor"],
                row["action"],
                row["entity"],
                row["entity_id"],
                row["version"],
                row["fields"],
            )
            if row["prev_hash"] != prev_hash or sha256_hex(prev_hash + text) != row["hash"]:
                return int(row["seq"])
            prev_hash = row["hash"]
            last_seq = row["seq"]
        counter = self._scalar("SELECT seq FROM sqlite_sequence WHERE name = 'audit'") or 0
        # Entries were cut off the end: the counter remembers that they existed.
        return last_seq + 1 if counter > last_seq else None
