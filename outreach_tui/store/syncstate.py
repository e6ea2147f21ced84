"""The store's side of a push's bookkeeping: versions marked sent, answers, the checkpoint.

Writes are kept narrow, because a push of 100k records commits once per batch and every
page a commit touches is written to the WAL (and later to the file) again:

- ``sync_acks`` gets one row per sent version or visit (``mark_sent``) and its answer
  (``apply_push_results``); a push marks the next batch but one sent in the transaction
  that stores the answers of a batch, so a batch costs one commit.
- What an answer means for a record (``records.sync_state``, ``duplicate_of``, a KPJ number)
  is first appended to the narrow ``sync_settle`` queue, in the transaction that stores the
  answers and moves the checkpoint, and copied into the wide ``records`` rows by
  ``settle_sync_states`` in one statement: the client does it when a push ends (and, should
  the laptop have died in between, when the next push starts). Updating 1000 scattered
  ``records`` rows (and their ``(sync_state, updated_at)`` index) per batch was most of a
  push's time. A queued answer only applies to the version it answers: a record edited
  since stays ``pending``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sync.outbox import OutboxItem

from .base import StoreBase, owned, utc_now
from .connection import Connection

PUSH_CHECKPOINT = "sync.push_checkpoint"
# WAL pages between automatic checkpoints while a push runs (64 MiB of 8 KiB pages), instead
# of SQLite's 1000: each batch's commit touches about 1000 scattered sync_acks pages, so at
# 1000 every commit checkpointed (and fsynced the file); now a page rewritten by several
# batches is copied into the file once. Measured: about 0.6 s less over 101 batches.
PUSH_WAL_PAGES = 8192
# What a record's sync_state becomes when the server answers its newest version.
_STATE = {
    "accepted": "synced",
    "duplicate": "synced",
    "conflict": "conflict",
    "rejected": "rejected",
}

# The newest queued answer of each (record, version) becomes the record's state, if the
# record is still at that version (a local edit since then keeps it `pending`).
_SETTLE = """
UPDATE records SET sync_state = s.sync_state, duplicate_of = s.duplicate_of,
    kpj_number = coalesce(s.kpj_number, records.kpj_number)
FROM (
    SELECT record_id, version, sync_state, duplicate_of, kpj_number FROM sync_settle
    WHERE n IN (SELECT max(n) FROM sync_settle GROUP BY record_id, version)
) AS s
WHERE records.id = s.record_id AND records.version = s.version
"""


def _mark_sent(conn: Connection, items: Sequence[OutboxItem], now: str) -> None:
    conn.executemany(
        "INSERT INTO sync_acks (entity, entity_id, version, sent_at, sent_base) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (entity, entity_id, version) DO NOTHING",
        [(i.kind, i.id, i.version, now, i.base_version) for i in items],
    )


class SyncStateMixin(StoreBase):
    """Marks sent, stores answers, moves the push checkpoint, settles record states."""

    @contextmanager
    def push_session(self) -> Iterator[None]:
        """While a push runs, checkpoint the WAL less often (see PUSH_WAL_PAGES)."""
        self._check_owner()
        before = int(self._scalar("PRAGMA wal_autocheckpoint"))
        self._conn.execute(f"PRAGMA wal_autocheckpoint = {max(before, PUSH_WAL_PAGES)}")
        try:
            yield
        finally:
            if not self._closed:
                self._conn.execute(f"PRAGMA wal_autocheckpoint = {before}")

    @owned
    def mark_sent(self, items: Sequence[OutboxItem]) -> None:
        """Freeze what is about to go out: its first send time and the base it was sent with."""
        with self._write() as conn:
            _mark_sent(conn, items, utc_now())

    @owned
    def apply_push_results(
        self,
        items: Sequence[OutboxItem],
        results: Sequence[dict[str, Any]],
        upto_seq: int,
        *,
        then_sent: Sequence[OutboxItem] = (),
        settle: bool = True,
    ) -> None:
        """Store the server's answers and move the checkpoint, in one transaction.

        ``then_sent``: items marked sent in the same transaction (as `mark_sent` would).

        ``settle=False`` leaves the records' states queued for `settle_sync_states`.
        """
        now = utc_now()
        with self._write() as conn:
            acks, states = [], []
            for item, result in zip(items, results, strict=True):
                status = result["status"]
                reasons = result.get("reasons")
                reasons_json = json.dumps(reasons, ensure_ascii=False) if reasons else "[]"
                flagged = result.get("duplicate_of")
                acks.append((status, now, reasons_json, flagged, item.kind, item.id, item.version))
                if item.kind == "record":
                    state = "duplicate" if flagged else _STATE[status]
                    states.append((item.id, item.version, state, flagged, result.get("kpj_number")))
            conn.executemany(
                "UPDATE sync_acks SET ack = ?, ack_at = ?, reasons = ?, duplicate_of = ? "
                "WHERE entity = ? AND entity_id = ? AND version = ?",
                acks,
            )
            # Only the answer for a record's newest version sets its state (see _SETTLE).
            conn.executemany(
                "INSERT INTO sync_settle (record_id, version, sync_state, duplicate_of, "
                "kpj_number) VALUES (?, ?, ?, ?, ?)",
                states,
            )
            if settle:
                _settle(conn)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (PUSH_CHECKPOINT, str(upto_seq)),
            )
            if then_sent:
                _mark_sent(conn, then_sent, now)

    @owned
    def settle_sync_states(self) -> int:
        """Copy queued answers into the records (one statement); returns how many were queued."""
        if self._scalar("SELECT 1 FROM sync_settle LIMIT 1") is None:
            return 0
        with self._write() as conn:
            return _settle(conn)


def _settle(conn: Connection) -> int:
    queued = int(conn.execute("SELECT count(*) FROM sync_settle").fetchone()[0])
    if queued:
        conn.execute(_SETTLE)
        conn.execute("DELETE FROM sync_settle")
    return queued
