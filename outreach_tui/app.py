"""The Textual app: wiring, global keys, idle lock and the online state. Screens do the work."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import Any, ClassVar, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from outreach_tui import messages
from outreach_tui.screens.base import localize_bindings
from outreach_tui.session import Session
from outreach_tui.themes import THEMES, theme_name
from outreach_tui.typeahead import TypeAhead

IDLE_CHECK_SECONDS = 15.0


def _lazy(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A mode's screen, imported on first use (keeps the cold start short)."""

    def make() -> Screen[Any]:

        return getattr(importlib.import_module(module), name)()

    return make


SCREEN_STYLES = ("home", "records", "record_form", "record_detail", "reports", "sync",
                 "sync_dialog", "area", "settings", "events", "attendance")  # fmt: skip
# Imported in a thread once the officer is in, so a screen's first key does not pay for it.
WARM_MODULES = ("outreach_tui.screens.record_form", "outreach_tui.screens.record_detail",
                "outreach_tui.screens.records", "outreach_tui.screens.reports",
                "outreach_tui.screens.sync", "outreach_tui.screens.area",
                "outreach_tui.screens.settings", "outreach_tui.screens.slip_preview")  # fmt: skip


# The main screens built ahead at idle (see OutreachApp._prebuild_next), and when.
PREBUILT_MODES = ("records", "sync", "reports")
PREBUILD_AFTER = 2.0  # seconds after the unlock: the home figures come first
PREBUILD_QUIET = 1.0  # no key for this long before a screen is built
PREBUILD_RETRY = 0.5
SPARE_FORM = "spare-form"  # the installed name of the new-person form built ahead


class OutreachApp(App[None]):
    """The officer's terminal UI, built by `make_app` from a session."""

    # Every screen's stylesheet, read once at start: a screen's first CSS otherwise re-parses
    # the stylesheet and restyles every open screen when it is first shown (200-400 ms).
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "app.tcss",
        *(f"screens/{name}.tcss" for name in SCREEN_STYLES),
    ]
    TITLE = "outreach"
    ENABLE_COMMAND_PALETTE = True
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "home": _lazy("outreach_tui.screens.home", "HomeScreen"),
        "records": _lazy("outreach_tui.screens.records", "RecordsScreen"),
        "sync": _lazy("outreach_tui.screens.sync", "SyncScreen"),
        "reports": _lazy("outreach_tui.screens.reports", "ReportsScreen"),
    }
    # Priority: the main keys act when they are typed, before any key typed after them is
    # routed (see typeahead.py), so `F4 Budi` lands in the new form, not in the old screen.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "key.help"),
        Binding("f2", "go('home')", "key.home", priority=True),
        Binding("f3", "go('records')", "key.records", priority=True),
        Binding("f4", "new_record", "key.new_record", priority=True),
        Binding("f5", "go('sync')", "key.sync", priority=True),
        Binding("f6", "go('reports')", "key.reports", priority=True),
        Binding("f7", "area", "key.area", priority=True),
        Binding("f8", "settings", "key.settings", priority=True),
        Binding("ctrl+k", "events", "key.events", priority=True),  # K: kegiatan
        Binding("ctrl+l", "lock", "key.lock", priority=True),
        Binding("ctrl+q", "quit", "key.quit", priority=True),
        # Textual's own palette binding says "palette" in English: this one is translated.
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True),
    ]

    online: reactive[bool | None] = reactive(None)
    unsent: reactive[int] = reactive(0)

    def __init__(self, session: Session, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.session = session
        self._clock = clock
        self.last_input = clock()
        self._typeahead = TypeAhead(self, self._route_key)
        self._spare_form: Any = None  # a RecordFormScreen built ahead (see _prebuild_next)
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = theme_name(session.settings.theme)
        localize_bindings(self, session.lang)

    # -- start, unlock, lock ----------------------------------------------------------------
    def on_mount(self) -> None:
        """First run asks for the setup, later runs for the passphrase."""
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock)
        self._refresh_subtitle()
        if self.session.needs_setup:
            from outreach_tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen(), self._unlocked)
        else:
            from outreach_tui.screens.unlock import UnlockScreen

            self.push_screen(UnlockScreen(), self._unlocked)

    def _unlocked(self, _result: Any = None) -> None:
        """The store is open: go to the home screen and start the background work."""
        if self.current_mode == "_default":
            self.switch_mode("home")
        self.last_input = self._clock()
        self._count_unsent()
        self._refresh_subtitle()
        self.post_message(messages.RecordsChanged())
        self.start_background_sync()
        self.run_worker(_warm_up, thread=True, group="warm-up", exit_on_error=False)
        self.set_timer(PREBUILD_AFTER, self._prebuild_next)

    def _prebuild_next(self) -> None:
        """Build one main screen (list, sync, reports) before its first key, while nobody
        types and no screen work runs; then the next, a moment later; then a spare new-person
        form (see `on_new_record`). F3/F5/F6/F4 then show a screen already composed instead of
        building it under the key."""
        if not self.session.is_unlocked:
            return
        pending = [m for m in PREBUILT_MODES if not self._screen_stacks.get(m)]
        spare = self._spare_form
        if not pending and spare is not None and spare.laid_out:
            return
        busy = any(w.is_running for w in self.workers if w.group not in ("sync", "warm-up"))
        if busy or self._clock() - self.last_input < PREBUILD_QUIET:
            self.set_timer(PREBUILD_RETRY, self._prebuild_next)
            return
        if pending:
            self._init_mode(pending[0])
        elif spare is None:
            self._build_spare_form()
        elif spare.ready:
            spare.lay_out(self.size)
        self.set_timer(PREBUILD_RETRY, self._prebuild_next)

    def _build_spare_form(self) -> None:
        """A new-person form composed and mounted off screen, holding nobody's data until it is
        taken (installed only so that it is closed with the app)."""
        from outreach_tui.screens.record_form import RecordFormScreen

        spare = self._spare_form = RecordFormScreen(spare=True)
        self.install_screen(spare, SPARE_FORM)
        self._get_screen(spare)
        self._load_screen_css(spare)
        spare._screen_resized(self.size)

    def _take_spare_form(self, defaults: dict[str, Any] | None) -> Screen | None:
        """The spare form, made the form for a new person, if it is ready (else None)."""
        spare = self._spare_form
        if spare is None or not spare.ready:
            return None
        self._spare_form = None
        self.uninstall_screen(SPARE_FORM)
        self.set_timer(PREBUILD_RETRY, self._prebuild_next)  # the next spare, at idle
        return spare.take(defaults)

    def start_background_sync(self) -> None:
        """Start the periodic sync (a thread worker; see screens/sync.py)."""
        from outreach_tui.sync_worker import start_background_sync

        start_background_sync(self)

    async def on_event(self, event: events.Event) -> None:
        """Every key press or click counts as activity; keys are routed one after another."""
        if isinstance(event, events.Key | events.MouseDown):
            self.last_input = self._clock()
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._typeahead.key(event)
            return
        await super().on_event(event)

    async def _route_key(self, event: events.Event) -> None:
        """Textual's own routing of a key (priority bindings, then the focused widget)."""
        await super().on_event(event)

    def check_idle_lock(self) -> None:
        """Lock when nobody touched the laptop for the configured time."""
        idle = self._clock() - self.last_input
        if self.session.is_unlocked and idle >= self.session.settings.lock_after_minutes * 60:
            self.action_lock(idle=True)

    def action_lock(self, idle: bool = False) -> None:
        """Close the store, forget the key and cover the screen until the passphrase is typed."""
        from outreach_tui.screens.unlock import UnlockScreen

        if self.session.is_unlocked:
            self.workers.cancel_group(self, "sync")
            self.session.lock()
        elif isinstance(self.screen, UnlockScreen):
            return
        self._refresh_subtitle()
        self.push_screen(UnlockScreen(locked=True, idle=idle), self._unlocked)

    # -- navigation -------------------------------------------------------------------------
    def action_go(self, mode: str) -> None:
        """Show one of the main screens at its top: what was opened over it is closed."""
        if not self.session.is_unlocked:
            return
        if self.current_mode != mode:
            self.switch_mode(mode)
        while len(self.screen_stack) > 1:
            keep = getattr(self.screen, "write_draft", None)  # a form: its draft is kept
            if callable(keep):
                keep()
            self.pop_screen()

    def action_new_record(self) -> None:
        """Open the form for a new person in the current working area."""
        if self.session.is_unlocked:
            self.post_message(messages.NewRecord())

    def action_area(self) -> None:
        """Choose the working area (province down to RT)."""
        if self.session.is_unlocked:
            from outreach_tui.screens.area import AreaScreen

            self.push_screen(AreaScreen())

    def action_events(self) -> None:
        """Kegiatan: socialisation events and their quick attendance."""
        if self.session.is_unlocked:
            from outreach_tui.screens.events import EventsScreen

            self.push_screen(EventsScreen())

    def action_settings(self) -> None:
        """Change the officer's settings."""
        if self.session.is_unlocked:
            from outreach_tui.screens.settings import SettingsScreen

            self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        """Every key of the current screen, explained."""
        from outreach_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def on_new_record(self, message: messages.NewRecord) -> None:
        """Open the record form (pre-filled with the working area)."""
        from outreach_tui.screens.record_form import RecordFormScreen

        form = self._take_spare_form(message.defaults)
        self.push_screen(form or RecordFormScreen(defaults=message.defaults))

    def on_edit_record(self, message: messages.EditRecord) -> None:
        """Open the record form on a stored record."""
        from outreach_tui.screens.record_form import RecordFormScreen

        self.push_screen(RecordFormScreen(record_id=message.record_id))

    def on_open_record(self, message: messages.OpenRecord) -> None:
        """Show a record's detail."""
        from outreach_tui.screens.record_detail import RecordDetailScreen

        self.push_screen(RecordDetailScreen(message.record_id))

    def on_records_changed(self, message: messages.RecordsChanged) -> None:
        """Tell every open screen that counts and lists may be stale."""
        for stack in self._screen_stacks.values():
            for screen in stack:
                screen.post_message(messages.DataChanged(message.record_ids))
        self._count_unsent()

    def on_groups_changed(self, message: messages.GroupsChanged) -> None:
        """A group or event was saved: the header's unsent count follows."""
        self._count_unsent()

    def on_sync_status(self, message: messages.SyncStatus) -> None:
        """Show the central API's reachability and the unsent changes in every header."""
        self.online = message.online
        self.unsent = message.unsent

    def _count_unsent(self) -> None:
        if self.session.is_unlocked:
            self.unsent = self.session.store.unsent_count()

    def watch_online(self) -> None:
        self._refresh_subtitle()

    def watch_unsent(self) -> None:
        self._refresh_subtitle()

    def _refresh_subtitle(self) -> None:
        state = {True: "net.online", False: "net.offline", None: "net.unknown"}
        # Locked, the count is unknown: say nothing rather than something false ("0").
        self.sub_title = self.session.t(
            "net.line" if self.session.is_unlocked else "net.line_locked",
            state=self.session.t(state[self.online]),
            unsent=self.unsent,
            officer=self.session.settings.officer_name or "-",
        )

    async def action_quit(self) -> None:
        """Quit; with changes not sent yet, ask first (and offer to sync when online)."""
        unsent = self.session.store.unsent_count() if self.session.is_unlocked else 0
        if not unsent:
            self.exit()
            return
        from outreach_tui.screens.quit_dialog import QuitDialog

        if isinstance(self.screen, QuitDialog):
            return
        self.push_screen(QuitDialog(unsent, self.online), self._quit_answer)

    def _quit_answer(self, answer: str | None) -> None:
        if answer == "quit":
            self.exit()
        elif answer == "sync":
            from outreach_tui.sync_worker import sync_controller

            self.action_go("sync")
            sync_controller(self).sync_now()

    def apply_settings(self) -> None:
        """After the settings changed: theme, language of every key and every open screen."""
        self.theme = theme_name(self.session.settings.theme)
        localize_bindings(self, self.session.lang)
        for stack in self._screen_stacks.values():
            for screen in stack:
                localize_bindings(screen, self.session.lang)
                screen.refresh(recompose=True)
        self._refresh_subtitle()
        self.refresh_bindings()
        if self.session.is_unlocked:  # a new server, token or interval takes effect now
            self.start_background_sync()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While locked only help and quit work (and show in the footer)."""
        if action in ("go", "new_record", "area", "settings", "lock"):
            return self.session.is_unlocked
        return True

    # -- command palette --------------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The main actions in the officer's language, then Textual's own."""
        t = self.session.t
        if self.session.is_unlocked:
            actions: list[tuple[str, Callable[[], Any]]] = [
                ("home", lambda: self.action_go("home")),
                ("records", lambda: self.action_go("records")),
                ("new_record", self.action_new_record),
                ("sync", lambda: self.action_go("sync")),
                ("reports", lambda: self.action_go("reports")),
                ("area", self.action_area),
                ("settings", self.action_settings),
                ("lock", self.action_lock),
            ]
            for name, callback in actions:
                yield SystemCommand(t(f"palette.{name}"), t(f"palette.{name}.help"), callback)
        yield SystemCommand(t("palette.help"), t("palette.help.help"), self.action_help)
        # Textual's own commands (theme, keys panel, screenshot), in the officer's language;
        # quitting goes through Ctrl+Q's question about unsent changes.
        yield SystemCommand(t("palette.theme"), t("palette.theme.help"), self.action_change_theme)
        if screen.query("HelpPanel"):
            yield SystemCommand(
                t("palette.keys"), t("palette.keys.hide"), self.action_hide_help_panel
            )
        else:
            yield SystemCommand(
                t("palette.keys"), t("palette.keys.show"), self.action_show_help_panel
            )
        yield SystemCommand(t("palette.quit"), t("palette.quit.help"), self.action_quit)

    def action_command_palette(self) -> None:
        """The command palette, its search box in the officer's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(cast(Any, self)):
            placeholder = self.session.t("palette.search")
            self.push_screen(CommandPalette(id="--command-palette", placeholder=placeholder))


def make_app(session: Session, **kwargs: Any) -> OutreachApp:
    """Build the app from its parts (tests use the same factory)."""
    return OutreachApp(session, **kwargs)


def _warm_up() -> None:
    """Import the screens' modules ahead of their first key (see WARM_MODULES)."""
    for module in WARM_MODULES:
        importlib.import_module(module)
