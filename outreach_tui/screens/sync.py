"""Sinkronisasi: sync now with progress, the journal of runs, items set aside and how to fix them.

The runs themselves belong to the app's `SyncController` (outreach_tui.sync_worker); this
screen asks it to sync, listens to its `progress` and `ended` signals, and reads the
journal and the set-aside records in a thread worker of its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import DataTable, Header, ProgressBar, Static

from outreach_tui import messages
from outreach_tui.domain.formats import moment_text
from outreach_tui.domain.i18n import has_key, translate
from outreach_tui.domain.problems import Problem
from outreach_tui.screens.base import OutreachScreen
from outreach_tui.screens.sync_dialog import KeepMineDialog
from outreach_tui.session import Locked
from outreach_tui.store.conflicts import ConflictError
from outreach_tui.sync_run import duplicate_text, summary_text
from outreach_tui.sync_worker import NOT_CONFIGURED, SyncOutcome, sync_controller
from outreach_tui.widgets.footer import KeyFooter

RUNS_SHOWN = 20
SET_ASIDE_SHOWN = 200
_SHORT_ERRORS = (
    "sync.unreachable",
    "sync.server_busy",
    "sync.token_refused",
    "sync.forbidden",
    "sync.request_refused",
    "sync.protocol",
)


def local_time(stamp: str | None) -> str:
    """A stored UTC stamp as the laptop's local date and time (minutes)."""
    if not stamp:
        return "-"
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return moment_text(moment)


def duration(run: dict[str, Any]) -> str:
    """How long a journal run took, in seconds (empty while it has not ended)."""
    try:
        start = datetime.fromisoformat(str(run["started_at"]).replace("Z", "+00:00"))
        end = datetime.fromisoformat(str(run["ended_at"]).replace("Z", "+00:00"))
    except (KeyError, TypeError, ValueError):
        return "-"
    return f"{(end - start).total_seconds():.1f}"


def _set_aside_in(run: dict[str, Any]) -> int:
    """Items a run set aside: rejected, conflicts and duplicate NIKs (flagged) alike."""
    return sum(int(run.get(name) or 0) for name in ("rejected", "conflicts", "flagged"))


def reason_text(reason: dict[str, Any], lang: str, duplicate_of: str | None = None) -> str:
    """One server reason in the officer's language: our table first, the server's words else."""
    code = str(reason.get("code") or "")
    field = str(reason.get("field") or "")
    if code.startswith("review.") and has_key(code):  # a supervisor's note: who, and the words
        said = translate(code, lang, by=str(reason.get("by") or "-"))
        return f"{said}: {reason.get('message') or '-'}"
    if code and has_key(code):
        params = {"duplicate_of": duplicate_of} if duplicate_of else {}
        text = Problem(field, code, params).message(lang)
        if "{" not in text:
            return text
    label_key = f"label.field.{field}"
    label = translate(label_key, lang) if has_key(label_key) else field
    said = str(reason.get("message") or code or "-")
    return f"{label}: {said}" if label else said


def set_aside_reasons(row: dict[str, Any], lang: str) -> str:
    """Why a record waits set aside, every reason translated, in one line."""
    reasons = [reason_text(r, lang, row.get("duplicate_of")) for r in row.get("reasons") or []]
    if not reasons and row.get("duplicate_of"):
        reasons = [duplicate_text(row["duplicate_of"], lang)]
    return "; ".join(reasons) or "-"


class SyncScreen(OutreachScreen):
    """Sync now, the journal, and the records the central API set aside."""

    CSS_PATH = "sync.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "sync_now", "key.sync_now"),
        Binding("ctrl+r", "resend", "key.sync_resend"),
        Binding("enter", "open_record", "key.sync_open_record"),
        Binding("f10", "keep_mine", "key.sync_keep_mine"),
        Binding("ctrl+g", "recover", "key.sync_recover"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="sync-body"):
            yield Static(id="sync-state")
            with Horizontal(id="sync-progress-row"):
                yield ProgressBar(id="sync-progress", show_eta=False)
                yield Static(id="sync-phase")
            yield Static(id="sync-message", classes="message")
            yield Static(self.t("sync_screen.runs_title"), classes="sync-section")
            yield DataTable(id="sync-runs", cursor_type="row", zebra_stripes=True)
            yield Static(self.t("sync_screen.set_aside_title"), classes="sync-section")
            yield DataTable(id="sync-set-aside", cursor_type="row", zebra_stripes=True)
            yield Static(self.t("sync_screen.set_aside_hint"), classes="hint")
        yield KeyFooter()
        # Also after a recompose (language or theme changed): fill the new widgets.
        self.call_after_refresh(self._fill)

    def __init__(self) -> None:
        super().__init__()
        self._runs: list[dict[str, Any]] = []
        self._set_aside_total = 0
        self._set_aside_ids: list[str] = []
        self._set_aside_rows: dict[str, dict[str, Any]] = {}

    def on_mount(self) -> None:
        """Listen to the sync controller and the header's state."""
        controller = sync_controller(self.app)
        controller.progress.subscribe(self, self._on_progress)
        controller.ended.subscribe(self, self._on_ended)
        self.watch(self.app, "online", lambda _value: self._show_state(), init=False)
        self.watch(self.app, "unsent", lambda _value: self._show_state(), init=False)

    def _fill(self) -> None:
        """Columns, the last outcome and the state line; then read the journal."""
        self._setup_tables()
        self.query_one("#sync-progress", ProgressBar).display = False
        last = sync_controller(self.app).last
        if last is not None:
            self._show_outcome(last)
        self._show_state()
        if self.session.is_unlocked:
            self.load()

    def _setup_tables(self) -> None:
        runs = self.query_one("#sync-runs", DataTable)
        runs.clear(columns=True)
        for name in ("when", "sent", "accepted", "rejected", "pulled", "duration", "error"):
            runs.add_column(self.t(f"sync_screen.col.{name}"), key=name)
        items = self.query_one("#sync-set-aside", DataTable)
        items.clear(columns=True)
        for name in ("name", "state", "reasons"):
            items.add_column(self.t(f"sync_screen.col.{name}"), key=name)

    # -- reading the journal (thread worker) ------------------------------------------------
    @work(thread=True, exclusive=True, group="sync-screen")
    def load(self) -> None:
        """Read the newest runs and the set-aside records on a store of this thread."""
        try:
            store = self.session.open_thread_store()
        except Locked:
            return
        try:
            runs = store.sync_runs(RUNS_SHOWN)
            items = store.set_aside()
            unsent = int(store.unsent_count())
        finally:
            store.close()
        self.app.call_from_thread(self._show_lists, runs, items, unsent)

    def _show_lists(
        self, runs: list[dict[str, Any]], items: list[dict[str, Any]], unsent: int
    ) -> None:
        self._runs = runs
        self._set_aside_total = len(items)
        self.post_message(messages.SyncStatus(getattr(self.app, "online", None), unsent))
        table = self.query_one("#sync-runs", DataTable)
        table.clear()
        for run in runs:
            rejected = _set_aside_in(run)
            table.add_row(
                local_time(run.get("started_at")),
                _n(int(run.get("sent") or 0)),
                _n(int(run.get("accepted") or 0)),
                _n(rejected),
                _n(int(run.get("pulled") or 0)),
                duration(run),
                self._short_error(run),
                key=str(run["id"]),
            )
        shown = items[:SET_ASIDE_SHOWN]
        self._set_aside_ids = [str(row["id"]) for row in shown]
        self._set_aside_rows = {str(row["id"]): row for row in shown}
        self.refresh_bindings()
        aside = self.query_one("#sync-set-aside", DataTable)
        aside.clear()
        lang = self.session.lang
        for row in shown:
            aside.add_row(
                row.get("full_name") or "-",
                self.t(f"sync.status.{row['sync_state']}"),
                set_aside_reasons(row, lang),
                key=str(row["id"]),
            )
        self._show_state()

    def _short_error(self, run: dict[str, Any]) -> str:
        code = str(run.get("errors") or "")
        if not code and not run.get("ended_at"):
            return self.t("sync_screen.running")
        if not code:
            count = _set_aside_in(run)
            return self.t("sync_screen.set_aside_short", count=count) if count else "-"
        return self.t(f"sync_screen.error.{code}") if code in _SHORT_ERRORS else code

    # -- the state line ---------------------------------------------------------------------
    def _show_state(self) -> None:
        app: Any = self.app
        state = {True: "net.online", False: "net.offline", None: "net.unknown"}
        last_ok = next((r for r in self._runs if r.get("ended_at") and not r.get("errors")), None)
        controller = sync_controller(self.app)
        lines = [
            self.t("sync_screen.state", state=self.t(state[app.online])),
            self.t(
                "sync_screen.last_success",
                when=local_time(last_ok["ended_at"]) if last_ok else self.t("sync_screen.never"),
            ),
            self.t(
                "sync_screen.unsent",
                count=_n(app.unsent),
                set_aside=_n(self._set_aside_total),
            ),
            self._auto_text(controller.interval),
        ]
        self.query_one("#sync-state", Static).update("\n".join(lines))

    def _auto_text(self, interval: float) -> str:
        last = sync_controller(self.app).last
        if last is not None and last.error == NOT_CONFIGURED:
            return self.t("sync_screen.auto_unconfigured")
        if interval <= 0:
            return self.t("sync_screen.auto_off")
        return self.t("sync_screen.auto", minutes=f"{interval / 60:g}")

    # -- actions ----------------------------------------------------------------------------
    def action_sync_now(self) -> None:
        """Send every change now and fetch what the centre learned."""
        if sync_controller(self.app).sync_now():
            self._progress_started()

    def action_recover(self) -> None:
        """Sync, then bring back this officer's own records the laptop lacks (a new laptop)."""
        if sync_controller(self.app).recover_now():
            self._progress_started()

    def action_resend(self) -> None:
        """Send the fixed records again (a fix is a new version: it goes with this sync)."""
        self.query_one("#sync-message", Static).update(self.t("sync_screen.resend_hint"))
        if sync_controller(self.app).sync_now():
            self._progress_started()

    def action_open_record(self) -> None:
        """Open the highlighted set-aside record so the officer can fix it."""
        table = self.query_one("#sync-set-aside", DataTable)
        if not self._set_aside_ids or not 0 <= table.cursor_row < len(self._set_aside_ids):
            return
        if not table.has_focus:  # first Enter elsewhere moves to the list of set-aside records
            table.focus()
            return
        self.post_message(messages.OpenRecord(self._set_aside_ids[table.cursor_row]))

    def _highlighted_conflict(self) -> dict[str, Any] | None:
        """The highlighted set-aside row when it is a conflict (F10 applies), else None."""
        try:
            table = self.query_one("#sync-set-aside", DataTable)
        except NoMatches:  # asked before compose (the footer checks bindings early)
            return None
        if not 0 <= table.cursor_row < len(self._set_aside_ids):
            return None
        row = self._set_aside_rows.get(self._set_aside_ids[table.cursor_row])
        return row if row is not None and row.get("sync_state") == "conflict" else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F10 shows in the footer only while a conflict is highlighted."""
        if action == "keep_mine":
            return self._highlighted_conflict() is not None
        return True

    @on(DataTable.RowHighlighted, "#sync-set-aside")
    def _row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def action_keep_mine(self) -> None:
        """On a conflict: ask, then send this laptop's version again over the server's."""
        row = self._highlighted_conflict()
        if row is None:
            return
        name = str(row.get("full_name") or "-")
        record_id = str(row["id"])

        def answered(yes: bool | None) -> None:
            if yes:
                self._keep_mine(record_id, name)

        self.app.push_screen(KeepMineDialog(name), answered)

    def _keep_mine(self, record_id: str, name: str) -> None:
        """One small write on the UI thread: a new version based on the server's."""
        try:
            self.session.store.resolve_conflict(record_id, actor=self.session.officer_id)
        except ConflictError as refused:
            self._say(self.t(f"sync_screen.{refused.code}"), error=True)
            return
        self._say(self.t("sync_screen.keep_mine_done", name=name))
        self.post_message(messages.RecordsChanged((record_id,)))

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#sync-message", Static)
        message.set_class(error, "error")
        message.update(text)

    @on(DataTable.RowSelected, "#sync-set-aside")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(messages.OpenRecord(str(event.row_key.value)))

    # -- what the controller reports --------------------------------------------------------
    def _progress_started(self) -> None:
        bar = self.query_one("#sync-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#sync-phase", Static).update(self.t("sync_screen.running"))
        self.query_one("#sync-message", Static).update("")

    def _on_progress(self, data: tuple[str, int, int]) -> None:
        phase, done, total = data
        if phase == "start":
            self._progress_started()
            return
        bar = self.query_one("#sync-progress", ProgressBar)
        bar.display = True
        if phase == "push":
            bar.update(total=max(total, 1), progress=done)
        else:
            bar.update(total=None)
        self.query_one("#sync-phase", Static).update(
            self.t("sync_screen.phase", phase=self.t(f"sync.phase.{phase}"), done=done, total=total)
        )

    def _on_ended(self, outcome: SyncOutcome) -> None:
        if not self.session.is_unlocked:
            return
        self._show_outcome(outcome)
        self.load()

    def _show_outcome(self, outcome: SyncOutcome) -> None:
        bar = self.query_one("#sync-progress", ProgressBar)
        bar.display = outcome.summary is not None
        if outcome.summary is not None:
            bar.update(total=1, progress=1)
        self.query_one("#sync-phase", Static).update(
            ""
            if outcome.error == NOT_CONFIGURED
            else self.t("sync_screen.finished_at", time=local_time_now(outcome.finished_at))
        )
        message = self.query_one("#sync-message", Static)
        message.set_class(bool(outcome.error), "error")
        if outcome.error:
            message.update(self.t(outcome.error, detail=outcome.detail or "-"))
        elif outcome.summary is not None:
            text = summary_text(outcome.summary, self.session.lang)
            if outcome.recovered is not None:
                text += "\n" + self.t("sync.recovered", **outcome.recovered)
            message.update(text)
        else:
            message.update(self.t("sync_screen.reachable"))

    def on_data_changed(self, _message: messages.DataChanged) -> None:
        """Records were saved or fixed elsewhere: the set-aside list may be shorter now."""
        if self.session.is_unlocked:
            self.load()

    def on_screen_resume(self) -> None:
        """Coming back to this screen: show the newest journal."""
        if self.session.is_unlocked:
            self.load()


def local_time_now(moment: float) -> str:
    """When the last probe or run ended, as the laptop's local time."""
    return datetime.fromtimestamp(moment).strftime("%H:%M:%S")


def _n(value: int) -> str:
    """A count with Indonesian thousands separators (1.234)."""
    return f"{value:,}".replace(",", ".")
