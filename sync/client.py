"""The laptop's side of sync: push the outbox in bounded batches, then pull what the centre learned.

Principles (DESIGN.md 'Sync, in principle'): the checkpoint moves only after the server
acknowledged a batch; a batch can always be sent again (the server answers a replay
`duplicate`); network errors, timeouts, 429 and 5xx are retried with jittered
exponential backoff, bounded so a run always ends; other 4xx are not retried; the
outbox is kept whatever happens. The store is reached only through `SyncStore`.
"""

from __future__ import annotations

import gzip
import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sync.outbox import OutboxItem
from sync.protocol import (
    API_PREFIX,
    MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS,
    PROTOCOL_VERSION,
    PullResponse,
    PushResponse,
)


class SyncStore(Protocol):
    """What sync needs from the local store (the store implements it; sync never imports it)."""

    def push_checkpoint(self) -> int: ...

    def outbox(self, after_seq: int, limit: int) -> tuple[list[OutboxItem], int]: ...

    def mark_sent(self, items: Sequence[OutboxItem]) -> None: ...

    def apply_push_results(
        self, items: Sequence[OutboxItem], results: Sequence[dict[str, Any]], upto_seq: int
    ) -> None: ...

    def pull_cursor(self) -> int: ...

    def apply_server_changes(self, changes: Sequence[dict[str, Any]], cursor: int) -> int: ...

    def outbox_size(self) -> int: ...

    def set_aside_count(self) -> int: ...

    def start_sync_run(self) -> int: ...

    def finish_sync_run(self, run_id: int, summary: dict[str, Any]) -> None: ...

    def get_meta(self, key: str, default: str | None = None) -> str | None: ...

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
    gzip_level: int = 6


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


Progress = Callable[[str, int, int], None]
KEY_REGISTERED = "sync.key_registered"


def make_session(config: SyncConfig) -> requests.Session:
    """A session that retries network errors, timeouts, 429 and 5xx with jittered backoff."""
    retry = Retry(
        total=config.retries,
        connect=config.retries,
        read=config.retries,
        status=config.retries,
        other=config.retries,
        backoff_factor=config.backoff,
        backoff_max=config.backoff_max,
        backoff_jitter=config.backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=None,  # push is idempotent: a replay is answered `duplicate`
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=2)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(
        {
            "Authorization": f"Bearer {config.token}",
            "Accept-Encoding": "gzip",
            "User-Agent": f"outreach-sync/{PROTOCOL_VERSION}",
        }
    )
    return session


class SyncClient:
    """Runs push-then-pull against the central API for one store."""

    def __init__(
        self,
        store: SyncStore,
        config: SyncConfig,
        *,
        session: requests.Session | None = None,
        progress: Progress | None = None,
        device_key: dict[str, Any] | None = None,
        on_branch_keys: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> None:
        self.store = store
        self.device_key = device_key
        self.on_branch_keys = on_branch_keys
        self.config = config
        self.session = session or make_session(config)
        self.progress = progress or (lambda _phase, _done, _total: None)
        self.base = config.server_url.rstrip("/") + API_PREFIX

    def run(self) -> SyncSummary:
        """Push every pending change, then pull; the journal records the run whatever happens."""
        summary = SyncSummary()
        run_id = self.store.start_sync_run()
        try:
            self.register_key()
            self.push(summary)
            self.pull(summary)
            self.fetch_branch_keys()
        except SyncError as exc:
            summary.error = exc.code
            raise
        finally:
            summary.remaining = self.store.outbox_size()
            summary.set_aside_total = self.store.set_aside_count()
            self.store.finish_sync_run(run_id, summary.as_journal())
        return summary

    def register_key(self) -> None:
        """Send this device's slip signing key once, so the centre can verify its slips."""
        if not self.device_key:
            return
        key_id = str(self.device_key.get("key_id", ""))
        if self.store.get_meta(KEY_REGISTERED) == key_id:
            return
        try:
            self._request("POST", "/devices/key", json=self.device_key)
        except SyncError as exc:
            if exc.status in (404, 405):  # a central API without slip support
                return
            raise
        self.store.set_meta(KEY_REGISTERED, key_id)

    def fetch_branch_keys(self) -> None:
        """Learn the slip keys of the branch's devices, so slips verify offline."""
        if self.on_branch_keys is None:
            return
        try:
            body = self._request("GET", "/devices/keys")
        except SyncError as exc:
            if exc.status in (404, 405):
                return
            raise
        keys = body.get("keys") if isinstance(body, dict) else None
        if isinstance(keys, list):
            self.on_branch_keys([k for k in keys if isinstance(k, dict)])

    def push(self, summary: SyncSummary) -> None:
        """Send the outbox in batches bounded by count and bytes; move the checkpoint per batch."""
        total = self.store.outbox_size()
        self.progress("push", 0, total)
        limit = min(self.config.batch_size, MAX_BATCH_ITEMS)
        while True:
            checkpoint = self.store.push_checkpoint()
            items, upto = self.store.outbox(checkpoint, limit)
            if upto <= checkpoint:
                break
            batch, upto = self._pack(items, upto, checkpoint)
            if batch:
                self.store.mark_sent(batch)
                results = self._send(batch, summary)
                self._count(batch, results, summary)
            else:
                results = []
            self.store.apply_push_results(batch, results, upto)
            summary.batches += 1
            self.progress("push", summary.sent, total)

    def _pack(
        self, items: list[OutboxItem], upto: int, checkpoint: int
    ) -> tuple[list[OutboxItem], int]:
        """Keep whole change-log positions under the byte bound; cut the checkpoint to match."""
        size = 0
        batch: list[OutboxItem] = []
        for item in items:
            item_bytes = len(json.dumps(item.wire(), ensure_ascii=False).encode()) + 2
            if (
                batch
                and size + item_bytes > self.config.max_batch_bytes
                and item.seq > batch[0].seq
            ):
                # Items of one position stay together: end before the first of this position.
                cut = item.seq - 1
                batch = [i for i in batch if i.seq <= cut]
                return batch, cut
            batch.append(item)
            size += item_bytes
        return batch, upto

    def _send(self, batch: list[OutboxItem], summary: SyncSummary) -> list[dict[str, Any]]:
        body = {
            "protocol": PROTOCOL_VERSION,
            "batch_id": str(uuid.uuid4()),
            "items": [item.wire() for item in batch],
        }
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        payload = gzip.compress(raw, compresslevel=self.config.gzip_level)
        summary.bytes_raw += len(raw)
        summary.bytes_sent += len(payload)
        response = self._request(
            "POST",
            "/push",
            data=payload,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
        parsed = PushResponse.model_validate(response)
        if len(parsed.results) != len(batch):
            raise SyncError("sync.protocol", "result count differs from item count")
        return [r.model_dump() for r in parsed.results]

    @staticmethod
    def _count(
        batch: list[OutboxItem], results: list[dict[str, Any]], summary: SyncSummary
    ) -> None:
        for item, result in zip(batch, results, strict=True):
            summary.sent += 1
            status = result["status"]
            if status == "accepted":
                summary.accepted += 1
            elif status == "duplicate" and result.get("duplicate_of"):
                summary.flagged += 1
            elif status == "duplicate":
                summary.duplicates += 1
            elif status == "conflict":
                summary.conflicts += 1
            else:
                summary.rejected += 1
            if status in ("conflict", "rejected") or result.get("duplicate_of"):
                summary.set_aside.append(
                    {"kind": item.kind, "id": item.id, "version": item.version, **result}
                )

    def pull(self, summary: SyncSummary) -> None:
        """Fetch server-side changes of this branch after the stored cursor and apply them."""
        while True:
            cursor = self.store.pull_cursor()
            body = self._request("GET", "/pull", params={"cursor": cursor})
            page = PullResponse.model_validate(body)
            if page.changes:
                summary.pulled += self.store.apply_server_changes(
                    [c.model_dump() for c in page.changes], page.cursor
                )
                self.progress("pull", summary.pulled, summary.pulled)
            if not page.more or page.cursor <= cursor:
                break

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One HTTP call (with the session's retries); errors become SyncError with a code."""
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        started = time.monotonic()
        try:
            response = self.session.request(method, self.base + path, timeout=timeout, **kwargs)
        except requests.exceptions.RetryError as exc:
            raise SyncError("sync.server_busy", str(exc.__class__.__name__)) from exc
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            elapsed = time.monotonic() - started
            raise SyncError(
                "sync.unreachable", f"{exc.__class__.__name__} after {elapsed:.0f} s"
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise SyncError("sync.unreachable", exc.__class__.__name__) from exc
        if response.status_code == 401:
            raise SyncError("sync.token_refused", _problem_code(response), 401)
        if response.status_code == 403:
            raise SyncError("sync.forbidden", _problem_code(response), 403)
        if response.status_code == 429 or response.status_code >= 500:
            raise SyncError("sync.server_busy", str(response.status_code), response.status_code)
        if response.status_code >= 400:
            raise SyncError("sync.request_refused", _problem_code(response), response.status_code)
        try:
            return response.json()
        except ValueError as exc:
            raise SyncError("sync.protocol", "response is not JSON") from exc


def _problem_code(response: requests.Response) -> str:
    """The `code` of a problem+json body (empty when the body is something else)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("code", "")) if isinstance(body, dict) else ""
