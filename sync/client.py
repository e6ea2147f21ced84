"""The laptop's side of sync: push the outbox in bounded batches, then pull what the centre learned.

Principles (DESIGN.md 'Sync, in principle'): the checkpoint moves only after the server
acknowledged a batch; a batch can always be sent again (the server answers a replay
`duplicate`); network errors, timeouts, 429 and 5xx are retried with jittered
exponential backoff, bounded so a run always ends; other 4xx are not retried; the
outbox is kept whatever happens. The store is reached only through `SyncStore`
(`sync/contract.py`, with `SyncConfig` and `SyncError`, which this module also names).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, cast

import requests
from pydantic import TypeAdapter, ValidationError

from outreach_tui.domain.server_url import ServerUrlError, check_server_url
from sync.contract import SyncConfig, SyncError, SyncStore
from sync.outbox import Batch, OutboxItem
from sync.protocol import (
    API_PREFIX,
    ITEM_KINDS_HEADER,
    MAX_BATCH_ITEMS,
    NEWER_ITEM_KINDS,
    PROTOCOL_VERSION,
    GroupsRecoverResponse,
    ItemResult,
    PullResponse,
    PushResponse,
    RecoverResponse,
    SetupResponse,
)
from sync.session import make_session, tls_reason
from sync.summary import SyncSummary

__all__ = [
    "Progress", "SyncClient", "SyncConfig", "SyncError", "SyncStore", "exchange_setup_code",
    "make_session",
]  # fmt: skip


Progress = Callable[[str, int, int], None]
_Answered = tuple[Batch, list[dict[str, Any]]]
_RESULTS: TypeAdapter[list[ItemResult]] = TypeAdapter(list[ItemResult])
KEY_REGISTERED = "sync.key_registered"
RECOVER_CURSOR = "sync.recover_cursor"


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
        try:
            check_server_url(config.server_url)
        except ServerUrlError as exc:
            raise SyncError("sync.insecure_url", exc.code) from None
        self.config = config
        self.session = session or make_session(config)
        self.progress = progress or (lambda _phase, _done, _total: None)
        self.base = config.server_url.rstrip("/") + API_PREFIX
        # The item kinds the server named in the last answer that named them
        # (`ITEM_KINDS_HEADER`); None until one did (a server built before the header never does).
        self.server_kinds: frozenset[str] | None = None

    def run(self) -> SyncSummary:
        """Push every pending change, then pull; the journal records the run whatever happens."""
        summary = SyncSummary()
        run_id = self.store.start_sync_run()
        try:
            self.register_key()
            self.push(summary)
            from sync.forget import send_forgets  # forget requests queued by `outreach forget`

            send_forgets(self.store, self._request)
            self.pull(summary)
            self.push_groups(summary)
            self.fetch_branch_keys()
        except SyncError as exc:
            summary.error = exc.code
            raise
        finally:
            summary.groups_waiting = self.store.group_outbox_size()
            summary.remaining = self.store.outbox_size() + summary.groups_waiting
            summary.set_aside_total = self.store.set_aside_count()
            self.store.finish_sync_run(run_id, summary.as_journal())
        return summary

    def recover(self, *, since: str | None = None) -> dict[str, int]:
        """Caseload recovery: fetch the officer's own records the laptop lacks or holds older.

        Resumable: the cursor is kept after every page applied, and cleared at the end; a run
        cut short starts again where it stopped. Never overwrites a newer local version.
        """
        totals = {"received": 0, "added": 0, "updated": 0, "kept": 0, "visits": 0}
        after = int(self.store.get_meta(RECOVER_CURSOR) or 0)
        more = True
        while more:
            params: dict[str, Any] = {"after": after}
            if since:
                params["since"] = since
            page = RecoverResponse.model_validate(
                self._request("GET", "/records/mine", params=params)
            )
            counts = self.store.recover_records([r.model_dump() for r in page.records])
            for name in totals:
                totals[name] += int(getattr(counts, name))
            after, more = page.cursor, page.more
            self.store.set_meta(RECOVER_CURSOR, str(after))
            self.progress("recover", totals["received"], totals["received"] + (1 if more else 0))
        self.store.set_meta(RECOVER_CURSOR, None)
        totals.update(self.recover_groups())
        return totals

    def recover_groups(self) -> dict[str, int]:
        """After the records: the officer's groups, events, memberships and attendance, from a
        server that takes them (an older one has none to give)."""
        found = {"groups": 0, "events": 0, "memberships": 0, "attendances": 0}
        if self.server_kinds is None or not set(NEWER_ITEM_KINDS) <= self.server_kinds:
            return found
        body = GroupsRecoverResponse.model_validate(self._request("GET", "/groups/mine"))
        counts = self.store.recover_groups([item.model_dump() for item in body.items])
        for kind, name in (
            ("group", "groups"),
            ("event", "events"),
            ("membership", "memberships"),
            ("attendance", "attendances"),
        ):
            found[name] = int(counts.get(kind, 0))  # fmt: skip
        return found

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
        """Send the outbox in batches bounded by count and bytes; move the checkpoint per batch.

        Answers only reach the records' `sync_state` when the push ends (one statement, see
        `settle_sync_states`); answers a dead run left queued are settled first.
        """
        with self.store.push_session():
            self.store.settle_sync_states()
            try:
                self._push(summary)
            finally:
                self.store.settle_sync_states()

    def push_groups(self, summary: SyncSummary) -> None:
        """Send groups, memberships, events and attendance, after records (the records they
        name are on the server first), only to a server that named these kinds: an older one
        would refuse the whole batch. Each batch's answers are kept on its rows at once."""
        if self.server_kinds is None or not set(NEWER_ITEM_KINDS) <= self.server_kinds:
            summary.groups_held = True
            return
        limit = min(self.config.batch_size, MAX_BATCH_ITEMS)
        while items := self.store.group_outbox(limit):
            batch = Batch.pack(
                items, items[-1].seq, self.config.max_batch_bytes, PROTOCOL_VERSION,
                self.config.gzip_level,
            )  # fmt: skip
            summary.bytes_raw += batch.raw_bytes
            summary.bytes_sent += len(batch.payload)
            results = self._post(batch)
            self.store.apply_group_results(batch.items, results)
            summary.count(batch.items, results)
            summary.batches += 1
            if not batch.items:  # pragma: no cover - pack keeps at least one item
                break

    def _push(self, summary: SyncSummary) -> None:
        """The batches: while one is in flight, the next is read, encoded and marked sent.

        The store is used only from this thread; requests (and reading their answers) run
        in a worker thread, one at a time. While batch N is in flight, batch N+1 is read
        and encoded, and one transaction stores the answers of batch N-1 (moving the
        checkpoint) and marks batch N+1 sent; when N's answer arrives, N+1 leaves at once.
        Should N+1 carry an item of a batch whose answers are not stored yet (a record
        edited after a version of it went out), those answers are stored first and N+1 is
        read again, so nothing is sent twice.
        """
        total = self.store.outbox_size()
        self.progress("push", 0, total)
        limit = min(self.config.batch_size, MAX_BATCH_ITEMS)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push")
        answered: _Answered | None = None  # answers received, not yet stored
        try:
            batch = self._prepare(self.store.push_checkpoint(), limit)
            answer = self._send_marked(pool, batch, summary)
            while batch is not None:
                upcoming = self._prepare(batch.upto, limit)
                ready = upcoming is not None and not (
                    upcoming.overlaps(batch)
                    or (answered is not None and upcoming.overlaps(answered[0]))
                )
                marked = upcoming.items if upcoming is not None and ready else []
                self._store(answered, marked, summary, total)
                answered = None
                if upcoming is None:  # the last batch is in flight: settle the others meanwhile
                    self.store.settle_sync_states()
                results = answer.result() if answer is not None else []
                following = self._send(pool, upcoming, summary) if ready else None
                summary.count(batch.items, results)
                answered = (batch, results)
                if upcoming is not None and not ready:
                    self._store(answered, [], summary, total)
                    answered = None
                    upcoming = self._prepare(batch.upto, limit)
                    following = self._send_marked(pool, upcoming, summary)
                batch, answer = upcoming, following
            self._store(answered, [], summary, total)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _store(
        self,
        answered: _Answered | None,
        marked: list[OutboxItem],
        summary: SyncSummary,
        total: int,
    ) -> None:
        """Store a batch's answers and move the checkpoint, marking `marked` sent with them."""
        if answered is None:
            if marked:
                self.store.mark_sent(marked)
            return
        batch, results = answered
        self.store.apply_push_results(
            batch.items, results, batch.upto, then_sent=marked, settle=False
        )
        summary.batches += 1
        self.progress("push", summary.sent, total)

    def _send_marked(
        self, pool: ThreadPoolExecutor, batch: Batch | None, summary: SyncSummary
    ) -> Future[list[dict[str, Any]]] | None:
        """Mark a batch sent (durably), then send it."""
        if batch is not None and batch.items:
            self.store.mark_sent(batch.items)
        return self._send(pool, batch, summary)

    def _send(
        self, pool: ThreadPoolExecutor, batch: Batch | None, summary: SyncSummary
    ) -> Future[list[dict[str, Any]]] | None:
        """Send a batch already marked sent, in the worker; None when it has no items."""
        if batch is None or not batch.items:
            return None
        summary.bytes_raw += batch.raw_bytes
        summary.bytes_sent += len(batch.payload)
        return pool.submit(self._post, batch)

    def _prepare(self, checkpoint: int, limit: int) -> Batch | None:
        """The next batch after `checkpoint`, packed and encoded (None when the outbox is done)."""
        items, upto = self.store.outbox(checkpoint, limit)
        if upto <= checkpoint:
            return None
        return Batch.pack(
            items, upto, self.config.max_batch_bytes, PROTOCOL_VERSION, self.config.gzip_level
        )

    def _post(self, batch: Batch) -> list[dict[str, Any]]:
        """POST one encoded batch and read its answers (runs in the push worker thread)."""
        content = self._request(
            "POST",
            "/push",
            raw=True,
            data=batch.payload,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
        try:  # pydantic's own JSON parser: a third of json.loads + model_validate
            parsed = PushResponse.model_validate_json(content)
        except ValidationError as exc:
            if any(e["type"] == "json_invalid" for e in exc.errors()):
                raise SyncError("sync.protocol", "response is not JSON") from exc
            raise
        if len(parsed.results) != len(batch.items):
            raise SyncError("sync.protocol", "result count differs from item count")
        return _RESULTS.dump_python(parsed.results)  # one call, not one model_dump per item

    def pull(self, summary: SyncSummary) -> None:
        """Fetch server-side changes of this branch after the stored cursor and apply them.

        The next page is fetched (in a worker thread) while this one is applied; the cursor
        is stored with each page's changes, never ahead of them.
        """
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as pool:
            cursor = self.store.pull_cursor()
            page = self._pull_page(cursor)
            while True:
                more = page.more and page.cursor > cursor
                ahead = pool.submit(self._pull_page, page.cursor) if more else None
                if page.changes:
                    summary.pulled += self.store.apply_server_changes(
                        [c.model_dump() for c in page.changes], page.cursor
                    )
                    self.progress("pull", summary.pulled, summary.pulled)
                if ahead is None:
                    break
                cursor, page = page.cursor, ahead.result()

    def _pull_page(self, cursor: int) -> PullResponse:
        """One page of server changes after `cursor`."""
        body = self._request("GET", "/pull", params={"cursor": cursor})
        return PullResponse.model_validate(body)

    def _note_kinds(self, response: requests.Response) -> None:
        kinds = _kinds(response)
        if kinds is not None:
            self.server_kinds = kinds

    def _request(self, method: str, path: str, *, raw: bool = False, **kwargs: Any) -> Any:
        """One HTTP call (with the session's retries); errors become SyncError with a code.

        The answer's JSON, parsed; with ``raw`` its bytes, for the caller to parse.
        """
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        started = time.monotonic()
        try:
            response = self.session.request(
                method, self.base + path, timeout=timeout, allow_redirects=False, **kwargs
            )
        except requests.exceptions.SSLError as exc:
            raise SyncError("sync.tls_failed", tls_reason(exc)) from exc
        except requests.exceptions.TooManyRedirects as exc:
            raise SyncError("sync.redirect_refused", "3xx") from exc
        except requests.exceptions.RetryError as exc:
            raise SyncError("sync.server_busy", str(exc.__class__.__name__)) from exc
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            elapsed = time.monotonic() - started
            raise SyncError(
                "sync.unreachable", f"{exc.__class__.__name__} after {elapsed:.0f} s"
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise SyncError("sync.unreachable", exc.__class__.__name__) from exc
        self._note_kinds(response)
        if 300 <= response.status_code < 400:
            status = response.status_code
            raise SyncError("sync.redirect_refused", str(status), status)
        if response.status_code == 401:
            raise SyncError("sync.token_refused", _problem_code(response), 401)
        if response.status_code == 403:
            raise SyncError("sync.forbidden", _problem_code(response), 403)
        if response.status_code == 429 or response.status_code >= 500:
            raise SyncError("sync.server_busy", str(response.status_code), response.status_code)
        if response.status_code >= 400:
            raise SyncError("sync.request_refused", _problem_code(response), response.status_code)
        if raw:
            return response.content
        try:
            return response.json()
        except ValueError as exc:
            raise SyncError("sync.protocol", "response is not JSON") from exc


def _kinds(response: requests.Response) -> frozenset[str] | None:
    """The item kinds a server names in an answer, or None when the answer names none (an
    endpoint that does not say, a server built before the header, a proxy's error page)."""
    header = response.headers.get(ITEM_KINDS_HEADER)
    if response.status_code >= 300 or header is None:
        return None
    return frozenset(kind.strip() for kind in header.split(",") if kind.strip())


def _problem_code(response: requests.Response) -> str:
    """The `code` of a problem+json body (empty when the body is something else)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("code", "")) if isinstance(body, dict) else ""


def exchange_setup_code(config: SyncConfig, code: str) -> SetupResponse:
    """Trade a one-time setup code from the branch console for this laptop's device token
    (`POST /v1/setup`; no token is sent). A refused code raises SyncError with the server's
    reason as `server.problem.setup_code_<mistyped|unknown|expired|used>`."""
    client = SyncClient(cast(Any, None), config)
    client.session.headers.pop("Authorization", None)
    try:
        body = client._request("POST", "/setup", json={"code": code.strip()[:32]})
    except SyncError as exc:
        if exc.code == "sync.request_refused" and exc.detail.startswith("setup_code_"):
            raise SyncError(f"server.problem.{exc.detail}", "", exc.status) from None
        raise
    try:
        return SetupResponse.model_validate(body)
    except ValueError as exc:
        raise SyncError("sync.protocol", "setup answer") from exc
