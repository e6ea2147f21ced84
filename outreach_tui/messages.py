"""Messages more than one screen or widget posts or handles (attributes down, messages up)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message


class OpensScreen:
    """Marks a message that opens a screen: keys typed after it wait for that screen."""


@dataclass
class OpenRecord(OpensScreen, Message):
    """Show one record's detail screen."""

    record_id: str


@dataclass
class NewRecord(OpensScreen, Message):
    """Open the form for a new person; ``defaults`` pre-fill it (area, household)."""

    defaults: dict[str, Any] = field(default_factory=dict)


@dataclass
class EditRecord(OpensScreen, Message):
    """Open the form on an existing record."""

    record_id: str


@dataclass
class RecordsChanged(Message):
    """Records were saved or synced: counts and lists on other screens are stale."""

    record_ids: tuple[str, ...] = ()


@dataclass
class SyncStatus(Message):
    """The central API's reachability or the number of unsent changes moved."""

    online: bool | None
    unsent: int


class GroupsChanged(Message):
    """A group, membership, event or attendance was saved: the unsent count moved (records
    did not change, so screens need not reload)."""


class DataChanged(Message, bubble=False):
    """Sent by the app to every screen after RecordsChanged: refresh what you show."""

    def __init__(self, record_ids: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.record_ids = record_ids
