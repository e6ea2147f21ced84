"""Daftar (records): find a person fast by name, NIK or phone, filter and sort, open the record.

The list is a :class:`RecordList` (a virtual list); this screen is its data source. Without a
search it pages through the store (keyset pages while scrolling on, offsets for jumps); with a
search it shows the store's best matches, narrowed by the same filters, in relevance order.
Pages, counts and searches take a few milliseconds with 100k records (a first letter, the
slowest search, up to ~30 ms; see bench/bench_tui.py), so they run on the event loop through
the session's store: no connection (and page cache) per keystroke, no thread hand-over. The
region name (0.4 s to load the list once) is looked up in a thread.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.markup import escape
from textual.widgets import Header, Input, Static

from outreach_tui import messages
from outreach_tui.domain.codes import STATUSES
from outreach_tui.screens.base import OutreachScreen, localize_bindings
from outreach_tui.screens.records_source import (
    INACTIVE,
    SEARCH_LIMIT,
    SORTS,
    SYNC_STATES,
    RowMaker,
    SearchResults,
    StorePages,
    View,
    record_row,
    store_filters,
)
from outreach_tui.session import Locked
from outreach_tui.widgets.footer import KeyFooter
from outreach_tui.widgets.record_list import Column, RecordList


class RecordsScreen(OutreachScreen):
    """The officer's people: search as you type, filters, sorting, Enter opens a record."""

    CSS_PATH = "records.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "key.records_open"),
        Binding("ctrl+f", "focus_search", "key.records_search"),
        Binding("slash", "focus_search", "key.records_search", show=False),
        Binding("escape", "clear", "key.clear"),
        Binding("f9", "cycle_scope", "key.records_area"),
        Binding("f10", "toggle_due", "key.records_due"),
        Binding("ctrl+t", "cycle_status", "key.records_status"),
        Binding("ctrl+y", "cycle_sync", "key.records_sync"),
        Binding("ctrl+o", "cycle_sort", "key.records_sort"),
        Binding("down", "focus_list", "key.records_list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: View | None = None
        self.capped = False  # the search returned as many hits as asked: there may be more
        self._shown_query = ""
        self._place_names: dict[str, str] = {}

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        if self.view is None:
            self.view = View(scope="desa" if self.session.settings.area_code else "all")
        view, t = self.view, self.t
        yield Header()
        yield Input(view.query, placeholder=t("records.search_placeholder"), id="records-search")
        yield Static(id="records-filters")
        with Horizontal(id="records-info"):
            yield Static(id="records-count")
            yield Static(t("records.legend"), id="records-legend")
        yield RecordList(self._columns(), empty_text=t("records.empty"), id="records-list")
        yield KeyFooter()

    def _columns(self) -> list[Column]:
        t = self.t
        return [
            Column("", 1),
            Column(t("records.col.name")),
            Column(t("records.col.nik"), 16),
            Column(t("records.col.phone"), 12),
            Column(t("records.col.status"), 13),
            Column(t("records.col.rw_rt"), 7),
            Column(t("records.col.follow_up"), 13),
        ]

    def _scopes(self) -> list[str]:
        settings = self.session.settings
        if not settings.area_code:
            return ["all"]
        scopes = ["desa"]
        if settings.area_rw:
            scopes.append("rw")
            if settings.area_rt:
                scopes.append("rt")
        return [*scopes, "all"]

    def _scope_label(self, scope: str) -> str:
        settings = self.session.settings
        return self.t(f"records.scope.{scope}", rw=settings.area_rw, rt=settings.area_rt)

    def on_mount(self) -> None:
        """Fill the list and put the cursor in the search box."""
        self._prepare()

    async def recompose(self) -> None:
        """After a language change the widgets are new: fill them again."""
        await super().recompose()
        self._prepare()

    def _prepare(self) -> None:
        localize_bindings(self.query_one(RecordList), self.session.lang)
        self._show_filters()
        self.reload()
        self.query_one("#records-search", Input).focus()
        # After the first rows are drawn: loading the region list would compete with them.
        self.call_after_refresh(self._resolve_place, self.session.settings.area_code)

    # -- loading ---------------------------------------------------------------------------------
    @property
    def record_list(self) -> RecordList:
        """The list widget."""
        return self.query_one(RecordList)

    def reload(self, *, keep_cursor: bool = False) -> None:
        """Give the list a source for the current view: store pages, or the best search hits."""
        assert self.view is not None
        if not self.session.is_unlocked:
            return
        filters = store_filters(self.view, self.session.settings, self.session.today())
        query = self.view.query.strip()
        if query:
            # The filters apply inside the search: the hits are the best of those passing.
            try:
                found = self.session.store.search(query, limit=SEARCH_LIMIT, **filters)
            except Locked:
                return
            self.capped = len(found) == SEARCH_LIMIT
            source: StorePages | SearchResults = SearchResults(found, self._row_maker())
        else:
            self.capped = False
            store = lambda: self.session.store  # noqa: E731 - looked up on every page (locking)
            source = StorePages(store, filters, self.view.order_by, self._row_maker())
        self.record_list.set_source(source, keep_cursor=keep_cursor)
        self._show_count(query)

    def _row_maker(self) -> RowMaker:
        t, today = self.t, self.session.today().isoformat()
        return lambda record: record_row(record, t, today)

    def _show_count(self, query: str) -> None:
        self._shown_query = query
        total = f"{self.record_list.total:,}".replace(",", ".")
        if query:
            key = "records.count_search_more" if self.capped else "records.count_search"
            text = self.t(key, count=total, query=query)
        else:
            text = self.t("records.count", count=total)
        place = self._place()
        if place:
            text = self.t("records.in_place", count=text, place=place)
        # The line's size is fixed by the stylesheet: no layout pass on every keystroke.
        self.query_one("#records-count", Static).update(text, layout=False)

    def _place(self) -> str:
        assert self.view is not None
        settings = self.session.settings
        if self.view.scope == "all" or not settings.area_code:
            return self.t("records.scope.all")
        desa = self._place_names.get(settings.area_code, settings.area_code)
        return self.t(
            f"records.place.{self.view.scope}", desa=desa, rw=settings.area_rw, rt=settings.area_rt
        )

    @work(thread=True, exclusive=True, group="records-place")
    def _resolve_place(self, code: str) -> None:
        """The desa's name for the count line (loading the region list takes ~0.4 s once)."""
        if not code or code in self._place_names:
            return
        from outreach_tui.domain.reference import region_name

        name = region_name(code) or code
        self.app.call_from_thread(self._place_resolved, code, name)

    def _place_resolved(self, code: str, name: str) -> None:
        self._place_names[code] = name
        if self.is_attached:
            self._show_count(self._shown_query)

    def _set_view(self, **changes: Any) -> None:
        assert self.view is not None
        view = replace(self.view, **changes)
        if view != self.view:
            self.view = view
            self._show_filters()
            self.reload()

    def _show_filters(self) -> None:
        """The filter bar: each filter's key and value; a click on one moves it on too."""
        assert self.view is not None
        view, t = self.view, self.t
        parts = [
            ("F9", "cycle_scope", self._scope_label(view.scope), view.scope != self._scopes()[0]),
            ("F10", "toggle_due", t(f"records.due.{'due' if view.due else 'all'}"), view.due),
            ("^T", "cycle_status", t("records.status.one", status=t(f"label.status.{view.status}"))
             if view.status else t("records.status.all"), bool(view.status)),
            ("^Y", "cycle_sync", t(f"records.sync.{view.sync_state or 'all'}"),
             bool(view.sync_state)),
            ("^O", "cycle_sort", t(f"records.sort.{view.order_by}"), view.order_by != "name"),
        ]  # fmt: skip
        chips = []
        for key, action, label, active in parts:
            text = f"[reverse] {escape(label)} [/]" if active else escape(label)
            chips.append(f"[@click=screen.{action}][b]{key}[/b] {text}[/]")
        self.query_one("#records-filters", Static).update("  │  ".join(chips), layout=False)

    # -- events ----------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        """Search as the officer types."""
        if event.input.id == "records-search":
            self._set_view(query=event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the one match; with more, it moves to the list."""
        if event.input.id == "records-search" and self.record_list.total == 1:
            self.record_list.cursor = 0
            self.record_list.action_select()
            return
        self.action_focus_list()

    def on_record_list_selected(self, event: RecordList.Selected) -> None:
        """Open the chosen record (the app pushes its detail screen)."""
        event.stop()
        self.post_message(messages.OpenRecord(event.record_id))

    def on_data_changed(self, _message: messages.DataChanged) -> None:
        """Records were saved or synced: recount and redraw, keeping the cursor's place."""
        if self.view is not None and self.is_mounted:
            self.reload(keep_cursor=True)

    # -- actions ---------------------------------------------------------------------------------
    def action_open(self) -> None:
        """Open the record under the list's cursor (Enter in the list does the same)."""
        self.record_list.action_select()

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#records-search", Input).focus()

    def action_focus_list(self) -> None:
        """Move to the list (arrow keys, Enter)."""
        self.record_list.focus()

    def action_clear(self) -> None:
        """Empty the search box (and go back to it)."""
        search = self.query_one("#records-search", Input)
        search.value = ""
        search.focus()

    def action_cycle_sort(self) -> None:
        """Next order: name, last changed, follow-up."""
        self._cycle("order_by", list(SORTS))

    def action_cycle_scope(self) -> None:
        """Next area: working desa, its RW, its RT, all areas."""
        self._cycle("scope", self._scopes())

    def action_cycle_status(self) -> None:
        """Next status to show: any, then each status in turn."""
        self._cycle("status", ["", *STATUSES, INACTIVE])

    def action_cycle_sync(self) -> None:
        """Next sync state to show: any, then each state in turn."""
        self._cycle("sync_state", ["", *SYNC_STATES])

    def action_toggle_due(self) -> None:
        """Only people whose follow-up is due by today, or everybody."""
        assert self.view is not None
        self._set_view(due=not self.view.due)

    def _cycle(self, field: str, values: list[str]) -> None:
        assert self.view is not None
        current = getattr(self.view, field)
        index = values.index(current) if current in values else -1
        self._set_view(**{field: values[(index + 1) % len(values)]})
