"""What one sync run did (`SyncSummary`), kept apart from the client that fills it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sync.outbox import OutboxItem


@dataclass
class SyncSummary:
    """What one run did; written to the sync journal and printed by `outreach sync`."""

    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    flagged: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    batches: int = 0
    bytes_sent: int = 0
    bytes_raw: int = 0
    error: str = ""
    remaining: int = 0
    set_aside: list[dict[str, Any]] = field(default_factory=list)
    set_aside_total: int = 0
    groups_waiting: int = 0  # group, event, membership and attendance rows not yet answered
    groups_held: bool = False  # the server does not take them yet (built before issue 14)

    @property
    def complete(self) -> bool:
        """True when every local change is acknowledged and nothing waits set aside."""
        return (
            not self.error
            and self.remaining == 0
            and not self.set_aside
            and self.set_aside_total == 0
        )

    def as_journal(self) -> dict[str, Any]:
        """The fields the sync journal keeps for this run."""
        return {
            "sent": self.sent,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "flagged": self.flagged,
            "conflicts": self.conflicts,
            "rejected": self.rejected,
            "pulled": self.pulled,
            "errors": self.error,
            "remaining": self.remaining,
            "set_aside": self.set_aside_total,
        }

    def count(self, items: Sequence[OutboxItem], results: Sequence[dict[str, Any]]) -> None:
        """Count a batch's answers; keep the ones that set an item aside."""
        for item, result in zip(items, results, strict=True):
            self.sent += 1
            status = result["status"]
            if status == "accepted":
                self.accepted += 1
            elif status == "duplicate" and result.get("duplicate_of"):
                self.flagged += 1
            elif status == "duplicate":
                self.duplicates += 1
            elif status == "conflict":
                self.conflicts += 1
            else:
                self.rejected += 1
            if status in ("conflict", "rejected") or result.get("duplicate_of"):
                self.set_aside.append(
                    {"kind": item.kind, "id": item.id, "version": item.version, **result}
                )
