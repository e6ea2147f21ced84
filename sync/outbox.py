"""The unit of the outbox, shared by sync (which sends it) and the store (which fills it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OutboxItem:
    """One change waiting to be sent, with the change-log position it covers."""

    seq: int
    kind: str
    id: str
    version: int
    base_version: int | None
    content_hash: str
    data: dict[str, Any]

    def wire(self) -> dict[str, Any]:
        """The item as the push body carries it."""
        return {
            "kind": self.kind,
            "id": self.id,
            "version": self.version,
            "base_version": self.base_version,
            "content_hash": self.content_hash,
            "data": self.data,
        }
