"""Background sync from the TUI: probe the central API, sync when it answers, never block the UI.

One `SyncController` per app (see `sync_controller`). Every run happens in a thread worker
of the app in the group "sync" (the app cancels that group when it locks) with its own
store connection, through the same client `outreach sync` uses (outreach_tui.sync_run).
Results go up as messages (`SyncStatus`, `RecordsChanged`) and, for the sync screen, as
two signals: `progress` (phase, done, total) and `ended` (a `SyncOutcome`).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from textual.signal import Signal
from textual.worker import Worker, get_current_worker

from outreach_tui import messages
from outreach_tui.session import Locked, stored_device_token
from outreach_tui.sync_run import PROBE_TIMEOUT, keep_less, make_client, probe
from sync.client import SyncConfig, SyncError, SyncSummary

GROUP = "sync"
NOT_CONFIGURED = "sync_screen.not_configured"
FAILED = "sync_screen.failed"
_OFFLINE_CODES = ("sync.unreachable",)
_TICK = 0.1  # seconds between checks for cancellation while waiting


@dataclass
class SyncOutcome:
    """What one probe or run found: reachability, unsent changes, the summary or the error."""

    online: bool
    unsent: int
    summary: SyncSummary | None = None
    error: str = ""  # a translation key: a SyncError code or one of this module's
    detail: str = ""
    manual: bool = False
    finished_at: float = field(default_factory=time.time)
    recovered: dict[str, int] | None = None  # caseload recovery's counts, when asked for

    @property
    def changed(self) -> bool:
        """Whether the run may have changed records (sync states, KPJ numbers, flags)."""
        return self.summary is not None and (self.summary.sent > 0 or self.summary.pulled > 0)


class SyncController:
    """Runs the periodic background sync and the officer's "sync now", one run at a time."""

    def __init__(self, app: Any) -> None:
        self.app = app
        # Tests shorten these; None means "from the settings" (sync_interval_minutes).
        self.interval_seconds: float | None = None
        self.probe_timeout = PROBE_TIMEOUT
        self.config_overrides: dict[str, Any] = {"retries": 2, "read_timeout": 30.0}
        self.last: SyncOutcome | None = None
        self.last_manual: SyncOutcome | None = None  # the officer's own "sync now" result
        self.running = False
        self._lock = threading.Lock()
        self.progress: Signal[tuple[str, int, int]] = Signal(app, "sync-progress")
        self.ended: Signal[SyncOutcome] = Signal(app, "sync-ended")

    # -- on the UI thread -------------------------------------------------------------------
    @property
    def interval(self) -> float:
        """Seconds between background runs (0: automatic sync is off)."""
        if self.interval_seconds is not None:
            return self.interval_seconds
        return float(self.app.session.settings.sync_interval_minutes * 60)

    def is_configured(self) -> bool:
        """Whether a central API address and a device token are set (UI thread only)."""
        session = self.app.session
        if not session.settings.server_url.strip() or not session.is_unlocked:
            return False
        return bool(session.device_token() or session.settings.device_token)

    def start(self) -> None:
        """After an unlock: probe and sync now, then every interval (nothing when unconfigured)."""
        if not self.is_configured():
            self._publish(SyncOutcome(False, self._unsent(), error=NOT_CONFIGURED))
            return
        if self.interval <= 0:  # automatic sync off: one probe, so the header is right
            self._run_worker(self._probe_only, "sync-probe")
            return
        self._run_worker(lambda: self._loop(first_wait=False), "sync-background")

    def recover_now(self) -> bool:
        """Sync, then bring back the officer's own records this laptop lacks (a new laptop)."""
        self.recover_next = True
        return self.sync_now()

    def sync_now(self) -> bool:
        """Run a sync at once (the sync screen's key); False when nothing is configured."""
        if not self.is_configured():
            self._publish(SyncOutcome(False, self._unsent(), error=NOT_CONFIGURED, manual=True))
            return False
        self._run_worker(self._manual, "sync-now")
        return True

    def _run_worker(self, work: Any, name: str) -> Worker[Any]:
        return self.app.run_worker(
            work, name=name, group=GROUP, thread=True, exclusive=True, exit_on_error=False
        )

    def _unsent(self) -> int:
        session = self.app.session
        return int(session.store.unsent_count()) if session.is_unlocked else 0

    def _publish(self, outcome: SyncOutcome) -> None:
        """Tell the app (header), every screen (when records changed) and the sync screen."""
        self.last = outcome
        if outcome.manual:
            self.last_manual = outcome
        self.app.post_message(messages.SyncStatus(outcome.online, outcome.unsent))
        if outcome.changed and self.app.session.is_unlocked:
            self.app.post_message(messages.RecordsChanged())
        self.ended.publish(outcome)

    def _restart(self) -> None:
        """After "sync now": the background loop goes on, waiting one interval first."""
        if self.app.session.is_unlocked and self.interval > 0 and self.is_configured():
            self._run_worker(lambda: self._loop(first_wait=True), "sync-background")

    # -- in the worker thread ---------------------------------------------------------------
    def _loop(self, *, first_wait: bool) -> None:
        worker = get_current_worker()
        if first_wait and self._wait(worker):
            return
        while not worker.is_cancelled:
            outcome = self.run_once(manual=False)
            if worker.is_cancelled:  # "sync now" took over meanwhile: its result counts
                return
            if outcome is None or not self._call(self._publish, outcome):
                return
            if self._wait(worker):
                return

    def _wait(self, worker: Worker[Any]) -> bool:
        """Sleep one interval in short steps; True when the worker was cancelled meanwhile."""
        deadline = time.monotonic() + self.interval
        while time.monotonic() < deadline:
            if worker.is_cancelled:
                return True
            time.sleep(_TICK)
        return worker.is_cancelled or self.interval <= 0

    def _probe_only(self) -> None:
        outcome = self.run_once(manual=False, sync=False)
        if outcome is not None:
            self._call(self._publish, outcome)

    def _manual(self) -> None:
        worker = get_current_worker()
        outcome = self.run_once(manual=True)
        if outcome is not None:
            self._call(self._publish, outcome)
        if not worker.is_cancelled:
            self._call(self._restart)

    def run_once(self, *, manual: bool, sync: bool = True) -> SyncOutcome | None:
        """Probe, then (when reachable) run one sync on a store of this thread; None if locked."""
        session = self.app.session
        try:
            data_key = session.data_key
            store = session.open_thread_store()
        except Locked:
            return None
        try:
            url = session.settings.server_url.strip()
            token = stored_device_token(store, session.settings)
            unsent = int(store.unsent_count())
            if not url or not token:
                return SyncOutcome(False, unsent, error=NOT_CONFIGURED, manual=manual)
            if not probe(url, self.probe_timeout, session.settings.ca_file):
                offline = SyncOutcome(False, unsent, error="sync.unreachable", detail=url)
                offline.manual = manual
                return offline
            if not sync:
                return SyncOutcome(True, unsent, manual=manual)
            with self._lock:
                self.running = True
                try:
                    return self._sync(store, url, token, data_key, manual)
                finally:
                    self.running = False
        finally:
            store.close()

    def _sync(self, store: Any, url: str, token: str, data_key: bytes, manual: bool) -> SyncOutcome:
        overrides = {"ca_file": self.app.session.settings.ca_file, **self.config_overrides}
        config = SyncConfig(url, token, **overrides)

        def progress(phase: str, done: int, total: int) -> None:
            self._call(self.progress.publish, (phase, done, total))

        self.app.post_message(messages.SyncStatus(True, int(store.unsent_count())))  # thread-safe
        progress("start", 0, 0)
        client = make_client(
            store, config, paths=self.app.session.paths, data_key=data_key, progress=progress
        )
        recovered = None
        try:
            summary = client.run()
            if manual and getattr(self, "recover_next", False):
                self.recover_next = False
                days = self.app.session.settings.retention_days
                since = dt.date.today() - dt.timedelta(days=days)
                recovered = client.recover(since=since.isoformat())
        except SyncError as exc:
            online = exc.code not in _OFFLINE_CODES
            return SyncOutcome(
                online, int(store.unsent_count()), error=exc.code, detail=exc.detail, manual=manual
            )
        except Exception as exc:  # a run must never take the UI down
            return SyncOutcome(
                True, int(store.unsent_count()), error=FAILED, detail=repr(exc), manual=manual
            )
        keep_less(store, self.app.session.settings.retention_days)
        outcome = SyncOutcome(True, summary.remaining, summary=summary, manual=manual)
        outcome.recovered = recovered
        return outcome

    def _call(self, callback: Any, *args: Any) -> bool:
        """Run ``callback`` on the UI thread; False when the app is gone (shutting down)."""
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            return False
        return True


def sync_controller(app: Any) -> SyncController:
    """The app's one sync controller, made on first use."""
    controller = getattr(app, "sync_controller", None)
    if not isinstance(controller, SyncController):
        controller = SyncController(app)
        app.sync_controller = controller
    return controller


def start_background_sync(app: Any) -> None:
    """Start the periodic sync worker when a central API is configured."""
    sync_controller(app).start()
