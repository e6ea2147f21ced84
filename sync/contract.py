"""What the laptop's sync client needs and how it is set up: the store it talks to
(`SyncStore`, implemented by `outreach_tui/store/outbox.py` and `group_outbox.py`), the error a
run ends with, and the connection settings. `sync.client` holds the client itself."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sync.outbox import OutboxItem
from sync.protocol import MAX_BATCH_BYTES


class SyncStore(Protocol):
    """What sync needs from the local store (the store implements it; sync never imports it)."""

    def push_checkpoint(self) -> int: ...

    def outbox(self, after_seq: int, limit: int) -> tuple[list[OutboxItem], int]: ...

    def mark_sent(self, items: Sequence[OutboxItem]) -> None: ...

    def apply_push_results(
        self,
        items: Sequence[OutboxItem],
        results: Sequence[dict[str, Any]],
        upto_seq: int,
        *,
        then_sent: Sequence[OutboxItem] = (),
        settle: bool = True,
    ) -> None: ...

    def settle_sync_states(self) -> int: ...

    def push_session(self) -> AbstractContextManager[None]: ...

    def pull_cursor(self) -> int: ...

    def apply_server_changes(self, changes: Sequence[dict[str, Any]], cursor: int) -> int: ...

    def outbox_size(self) -> int: ...

    def group_outbox_size(self) -> int: ...

    def group_outbox(self, limit: int) -> list[OutboxItem]: ...

    def apply_group_results(
        self, items: Sequence[OutboxItem], results: Sequence[dict[str, Any]]
    ) -> None: ...

    def set_aside_count(self) -> int: ...

    def start_sync_run(self) -> int: ...

    def finish_sync_run(self, run_id: int, summary: dict[str, Any]) -> None: ...

    def get_meta(self, key: str, default: str | None = None) -> str | None: ...

    def recover_records(self, items: Sequence[dict[str, Any]]) -> Any: ...

    def recover_groups(self, items: Sequence[dict[str, Any]]) -> dict[str, int]: ...

    def set_meta(self, key: str, value: str | None) -> None: ...


class SyncError(Exception):
    """A sync run could not finish; `code` names the reason for the message catalog."""

    def __init__(self, code: str, detail: str = "", status: int | None = None) -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.status = status


@dataclass
class SyncConfig:
    """Where and how to sync; the defaults suit a weak field connection."""

    server_url: str
    token: str
    batch_size: int = 500
    max_batch_bytes: int = MAX_BATCH_BYTES
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    retries: int = 5
    backoff: float = 0.5
    backoff_max: float = 8.0
    gzip_level: int = 3
    ca_file: str = ""  # the branch's own CA (PEM); empty: the system trust store
