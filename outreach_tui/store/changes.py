"""The change log that sync reads from a checkpoint, and the key/value meta table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .base import StoreBase, owned
from .connection import Connection

Entity = Literal["record", "visit"]


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the change log: entity ``entity_id`` reached ``version`` at ``at``."""

    seq: int
    entity: str
    entity_id: str
    version: int
    at: str


def log_changes(conn: Connection, at: str, changes: Sequence[tuple[Entity, str, int]]) -> None:
    """Append (entity, id, version) rows; called inside the write transaction of the change."""
    conn.executemany(
        "INSERT INTO changes (entity, entity_id, version, at) VALUES (?, ?, ?, ?)",
        [(entity, entity_id, version, at) for entity, entity_id, version in changes],
    )


class ChangesMixin(StoreBase):
    """Reading the change log, and the meta table sync keeps its checkpoints in."""

    @owned
    def changes_since(self, seq: int, limit: int = 1000) -> list[Change]:
        """Changes after ``seq`` (a checkpoint), oldest first, at most ``limit`` of them."""
        rows = self._conn.execute(
            "SELECT seq, entity, entity_id, version, at FROM changes WHERE seq > ? "
            "ORDER BY seq LIMIT ?",
            (seq, limit),
        ).fetchall()
        return [Change(*row) for row in rows]

    @owned
    def max_seq(self) -> int:
        """The newest change's seq (0 for an empty log): where a full push would end."""
        return int(self._scalar("SELECT max(seq) FROM changes") or 0)

    @owned
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A stored setting such as a sync checkpoint, or ``default``."""
        value = self._scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if value is None else str(value)

    @owned
    def set_meta(self, key: str, value: str | None) -> None:
        """Store (or, with None, remove) a setting, durably."""
        with self._write() as conn:
            if value is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
