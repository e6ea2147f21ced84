"""Daftar (record list): first rows, search as you type, filters, sorting, opening a record,
refresh after a save, and the virtual list's paging and caching on a fake data source."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from textual.app import App, ComposeResult

from outreach_tui import messages
from outreach_tui.widgets.record_list import Column, ListRow, RecordList
from tests.conftest import unlocked_store
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_records import AREA, OTHER_DESA, TODAY, all_ids, fill_store, shown_ids

pytestmark = pytest.mark.anyio

COUNT = 300


async def open_records(make_tui: Any, **kwargs: Any) -> tuple[Any, Any]:
    """Build the app pinned to TODAY; the caller enters run_test and calls `to_records`."""
    app = make_tui(**kwargs)
    app.session.today = lambda: TODAY
    return app, app.run_test(size=SIZE)


async def to_records(pilot: Any) -> Any:
    """Unlock and switch to the record list (F3)."""
    await unlock(pilot)
    await pilot.press("f3")
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "RecordsScreen")
    await pilot.pause()
    return app.screen


def ids(rows: list[dict[str, Any]]) -> list[str]:
    """The ids of store rows, in order."""
    return [row["id"] for row in rows]


async def settled(pilot: Any) -> None:
    """Let the screen finish drawing (searches run on the event loop: nothing to wait for)."""
    await pilot.pause()
    await wait_for(pilot, lambda: not getattr(pilot.app.screen, "searching", False))
    await pilot.pause()


def count_text(screen: Any) -> str:
    """The count line as shown."""
    return str(screen.query_one("#records-count").render())


FILTER_KEYS = {"scope": "f9", "status": "ctrl+t", "sync_state": "ctrl+y", "order_by": "ctrl+o"}


async def set_filter(pilot: Any, name: str, value: str) -> None:
    """Press the filter's key until it shows ``value`` (as an officer would)."""
    screen = pilot.app.screen
    for _ in range(8):
        if getattr(screen.view, name) == value:
            break
        await pilot.press(FILTER_KEYS[name])
    assert getattr(screen.view, name) == value
    await settled(pilot)


async def test_list_shows_first_rows_of_the_working_area(make_tui, ready_home) -> None:
    fill_store(ready_home, COUNT)
    app, running = await open_records(make_tui)
    async with running as pilot:
        screen = await to_records(pilot)
        store = app.session.store
        expected = store.list_records(region_code=AREA, order_by="name")
        widget = screen.query_one(RecordList)
        assert widget.total == len(expected) == 200
        shown = shown_ids(app)
        assert len(shown) == widget.visible_rows > 10
        assert shown == ids(expected[: len(shown)])
        assert count_text(screen).startswith("200 orang")
        # Only the page on screen and the one read ahead for the next screenful, of 4.
        assert widget.fetches == 2


async def test_search_narrows_as_you_type(make_tui, ready_home, monkeypatch) -> None:
    fill_store(ready_home, COUNT)
    app, running = await open_records(make_tui)
    async with running as pilot:
        screen = await to_records(pilot)
        store = app.session.store
        opened: list[bool] = []  # no connection of its own per keystroke any more
        real_open = app.session.open_thread_store
        monkeypatch.setattr(
            app.session, "open_thread_store", lambda **kw: opened.append(True) or real_open(**kw)
        )
        person = store.list_records(region_code=AREA, order_by="name", offset=57, limit=1)[0]
        word = person["full_name"].split()[0].lower()
        sizes = []
        for end in range(1, len(word) + 1):
            await pilot.press(word[end - 1])
            await settled(pilot)
            typed = word[:end]
            hits = [r for r in store.search(typed, limit=1000) if r["region_code"] == AREA]
            assert all_ids(app) == ids(hits), typed
            sizes.append(len(hits))
        assert sizes == sorted(sizes, reverse=True) and sizes[-1] < sizes[0]
        assert person["id"] in all_ids(app)
        assert f"“{word}”" in count_text(screen)
        assert not opened
        # Escape empties the box: the whole area again.
        await pilot.press("escape")
        await settled(pilot)
        assert screen.query_one("#records-search").value == ""
        assert screen.query_one(RecordList).total == 200


@pytest.mark.parametrize("kind", ["nik", "phone"])
async def test_search_by_nik_or_phone_prefix(make_tui, ready_home, kind: str) -> None:
    fill_store(ready_home, COUNT)
    app, running = await open_records(make_tui)
    async with running as pilot:
        await to_records(pilot)
        store = app.session.store
        people = [r for r in store.list_records(region_code=AREA) if r.get(kind)]
        person = people[3]
        typed = person["nik"][:10] if kind == "nik" else "0" + person["phone"][3:12]
        await pilot.press(*typed)
        await settled(pilot)
        hits = [r for r in store.search(typed, limit=1000) if r["region_code"] == AREA]
        assert all_ids(app) == ids(hits)
        assert person["id"] in all_ids(app)


async def test_filters_status_area_due_and_sync_state(make_tui, ready_home) -> None:
    record_ids = fill_store(ready_home, COUNT)
    store = unlocked_store(ready_home)
    try:  # the centre says two records duplicate others
        changes = [
            {"record_id": rid, "kind": "duplicate_nik", "fields": {"duplicate_of": record_ids[0]}}
            for rid in (record_ids[3], record_ids[4])
        ]
        store.apply_server_changes(changes, cursor=1)
    finally:
        store.close()
    app, running = await open_records(make_tui)
    async with running as pilot:
        screen = await to_records(pilot)
        store = app.session.store

        def expect(**filters: Any) -> list[str]:
            return ids(store.list_records(order_by="name", **filters))

        await set_filter(pilot, "status", "interested")
        assert all_ids(app) == expect(region_code=AREA, status="interested")
        await set_filter(pilot, "status", "")
        # F9 walks the area: RW of the working area, its RT, every area, back to the desa.
        await pilot.press("f9")
        await settled(pilot)
        assert all_ids(app) == expect(region_code=AREA, rw="003")
        assert "RW 003" in count_text(screen)
        await pilot.press("f9")
        await settled(pilot)
        assert all_ids(app) == expect(region_code=AREA, rw="003", rt="002")
        await pilot.press("f9")
        await settled(pilot)
        assert screen.query_one(RecordList).total == COUNT
        assert "Semua wilayah" in count_text(screen)
        await pilot.press("f9")
        await settled(pilot)
        assert screen.query_one(RecordList).total == 200
        # F10: follow-ups due by the pinned day.
        await pilot.press("f10")
        await settled(pilot)
        due = expect(region_code=AREA, follow_up_due=TODAY.isoformat())
        assert all_ids(app) == due and 0 < len(due) < 200
        await pilot.press("f10")
        await settled(pilot)
        await set_filter(pilot, "scope", "all")
        await set_filter(pilot, "sync_state", "duplicate")
        assert sorted(all_ids(app)) == sorted([record_ids[3], record_ids[4]])
        await set_filter(pilot, "sync_state", "pending")
        assert screen.query_one(RecordList).total == COUNT - 2
        # A filter applies to search hits too.
        await set_filter(pilot, "sync_state", "duplicate")
        name = store.get_record(record_ids[3])["full_name"].split()[0]
        await pilot.click("#records-search")
        await pilot.press(*name.lower())
        await settled(pilot)
        assert record_ids[3] in all_ids(app)
        assert set(all_ids(app)) <= {record_ids[3], record_ids[4]}
        # In the store's search itself: the best hits among those passing the filter.
        assert all_ids(app) == ids(store.search(name.lower(), limit=200, sync_state="duplicate"))


async def test_search_finds_the_area_person_among_many_elsewhere(make_tui, ready_home) -> None:
    """More namesakes in another desa than the hits once asked for before filtering."""
    store = unlocked_store(ready_home)
    try:
        crowd = [
            {"full_name": f"Siti {chr(65 + i % 26)}{i}", "region_code": OTHER_DESA,
             "rw": "001", "rt": "001", "status": "prospect"}
            for i in range(1200)
        ]  # fmt: skip
        store.save_records(crowd, actor="test", officer_id="p-001")
        here = store.save_record(
            {"full_name": "Siti Wulandari Rahayu", "region_code": AREA, "rw": "003",
             "rt": "002", "status": "prospect"},
            actor="test", officer_id="p-001",
        ).id  # fmt: skip
    finally:
        store.close()
    app, running = await open_records(make_tui)
    async with running as pilot:
        screen = await to_records(pilot)
        await pilot.press(*"siti")
        await settled(pilot)
        assert all_ids(app) == [here]
        assert "1" in count_text(screen)
        await set_filter(pilot, "scope", "all")
        assert screen.query_one(RecordList).total == 200  # the best 200 of 1201
        assert screen.capped


async def test_sorting_cycles_with_ctrl_o(make_tui, ready_home) -> None:
    fill_store(ready_home, COUNT)
    app, running = await open_records(make_tui)
    async with running as pilot:
        screen = await to_records(pilot)
        store = app.session.store
        await pilot.press("ctrl+o")
        await settled(pilot)
        assert screen.view.order_by == "updated"
        assert "Urut: terbaru" in str(screen.query_one("#records-filters").render())
        assert all_ids(app) == ids(store.list_records(region_code=AREA, order_by="updated"))
        await pilot.press("ctrl+o")
        await settled(pilot)
        by_follow_up = store.list_records(region_code=AREA, order_by="follow_up")
        assert all_ids(app) == ids(by_follow_up)
        dates = [row["follow_up_on"] for row in by_follow_up]
        assert dates == sorted(dates) and len(dates) < 200
        await pilot.press("ctrl+o")
        await settled(pilot)
        assert all_ids(app) == ids(store.list_records(region_code=AREA, order_by="name"))
        # A click on the order in the filter bar moves it on too.
        bar = str(screen.query_one("#records-filters").render())
        await pilot.click("#records-filters", offset=(bar.index("^O") + 2, 0))
        await settled(pilot)
        assert screen.view.order_by == "updated"


async def test_enter_opens_the_record_under_the_cursor(make_tui, ready_home) -> None:
    fill_store(ready_home, COUNT)
    app, running = await open_records(make_tui)
    async with running as pilot:
        screen = await to_records(pilot)
        await pilot.press("down")  # from the search box into the list
        assert screen.query_one(RecordList).has_focus
        await pilot.press("down", "down", "pagedown", "up")
        widget = screen.query_one(RecordList)
        expected_index = 2 + widget.visible_rows - 1
        assert widget.cursor == expected_index
        chosen = widget.row_at(expected_index)
        assert chosen is not None
        assert chosen.record_id in shown_ids(app)  # the cursor stays on screen
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "RecordDetailScreen")
        assert app.screen.record_id == chosen.record_id
        stored = app.session.store.get_record(chosen.record_id)
        assert stored is not None and stored["region_code"] == AREA


async def test_enter_posts_open_record(make_tui, ready_home, monkeypatch) -> None:
    """The screen turns the list's Selected into the app-wide OpenRecord message."""
    from outreach_tui.app import OutreachApp

    opened: list[str] = []
    monkeypatch.setattr(
        OutreachApp, "on_open_record", lambda self, message: opened.append(message.record_id)
    )
    fill_store(ready_home, 20)
    app, running = await open_records(make_tui)
    async with running as pilot:
        screen = await to_records(pilot)
        await pilot.press("ctrl+o", "down", "end", "enter")
        await settled(pilot)
        last = app.session.store.list_records(region_code=AREA, order_by="updated")[-1]
        assert opened == [last["id"]]
        assert screen.query_one(RecordList).cursor == screen.query_one(RecordList).total - 1


async def test_saved_record_shows_after_data_changed(make_tui, ready_home) -> None:
    fill_store(ready_home, COUNT)
    app, running = await open_records(make_tui)
    async with running as pilot:
        screen = await to_records(pilot)
        store = app.session.store
        saved = store.save_record(
            {"full_name": "Aa Aaron", "region_code": AREA, "rw": "003", "rt": "002"},
            actor="p-001",
        )
        app.post_message(messages.RecordsChanged((saved.id,)))
        await wait_for(pilot, lambda: screen.query_one(RecordList).total == 201)
        assert shown_ids(app)[0] == saved.id
        assert store.get_record(saved.id)["full_name"] == "Aa Aaron"
        assert count_text(screen).startswith("201 orang")


async def test_english_labels(make_tui, ready_home) -> None:
    fill_store(ready_home, 10)
    app, running = await open_records(make_tui)
    app.session.update_settings(language="en")
    async with running as pilot:
        screen = await to_records(pilot)
        assert count_text(screen).startswith(f"{len(all_ids(app))} people")
        assert screen.query_one("#records-search").placeholder.startswith("Search")


# -- the widget alone, on a fake data source -------------------------------------------------


class FakeSource:
    """``size`` numbered rows; counts what the list asks for."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.calls: list[tuple[int, int]] = []

    def total(self) -> int:
        return self.size

    def fetch(self, offset: int, limit: int) -> Sequence[ListRow]:
        self.calls.append((offset, limit))
        end = min(self.size, offset + limit)
        return [ListRow(f"id-{i}", ("", f"Orang {i:06d}")) for i in range(offset, end)]


class ListApp(App[None]):
    """Just the list, with a record of what it posted."""

    def __init__(self, source: FakeSource, **options: Any) -> None:
        super().__init__()
        self.source = source
        self.options = options
        self.selected: list[str] = []

    def compose(self) -> ComposeResult:
        yield RecordList([Column("", 1), Column("Nama")], **self.options)

    def on_mount(self) -> None:
        widget = self.query_one(RecordList)
        widget.set_source(self.source)
        widget.focus()

    def on_record_list_selected(self, message: RecordList.Selected) -> None:
        self.selected.append(message.record_id)


async def test_widget_reads_only_the_pages_it_draws() -> None:
    source = FakeSource(100_000)
    app = ListApp(source, page_size=50, max_pages=4)
    async with app.run_test(size=(60, 20)) as pilot:  # 20 lines: a header and 19 rows
        await settled(pilot)
        widget = app.query_one(RecordList)
        assert widget.visible_rows == 19
        assert source.calls == [(0, 50)]
        for _ in range(5):  # 5 x 19 rows: into the second page, never further
            await pilot.press("pagedown")
            await settled(pilot)
        assert widget.cursor == 95
        assert source.calls == [(0, 50), (50, 50), (100, 50)]
        for _ in range(5):  # back up: all cached
            await pilot.press("pageup")
        await settled(pilot)
        assert widget.cursor == 0
        assert len(source.calls) == 3
        await pilot.press("end")
        await settled(pilot)
        assert widget.cursor == 99_999
        assert source.calls[-1] == (99_950, 50)
        assert widget.selected_id == "id-99999"
        calls = len(source.calls)
        await pilot.press("home")
        await settled(pilot)
        assert len(source.calls) == calls  # page 0 was still cached
        assert len(widget._pages) <= 4
        await pilot.press("down", "down", "enter")
        await settled(pilot)
        assert app.selected == ["id-2"]
        # At most max_pages are kept: the least recently drawn page goes first.
        fresh = FakeSource(1000)
        widget.set_source(fresh)
        widget.max_pages = 2
        for index in (0, 60, 120, 0):
            widget.row_at(index)
        assert [offset for offset, _ in fresh.calls] == [0, 50, 100, 0]


async def test_widget_empty_and_refresh_keep_cursor() -> None:
    source = FakeSource(0)
    app = ListApp(source, empty_text="Tidak ada")
    async with app.run_test(size=(60, 12)) as pilot:
        await settled(pilot)
        widget = app.query_one(RecordList)
        assert widget.total == 0 and widget.selected_id is None
        await pilot.press("enter", "down")
        assert app.selected == []
        assert "Tidak ada" in widget.render_line(1).text
        bigger = FakeSource(30)
        widget.set_source(bigger)
        await pilot.press("end")
        assert widget.cursor == 29
        widget.set_source(FakeSource(10), keep_cursor=True)
        assert widget.cursor == 9
        await settled(pilot)
        assert "Orang 000009" in "".join(widget.render_line(y).text for y in range(11))


def test_row_masks_nik_and_phone_and_marks_what_needs_a_look() -> None:
    from outreach_tui.domain.i18n import translate
    from outreach_tui.screens.records_source import record_row

    def t(key: str, **params: Any) -> str:
        return translate(key, "id", **params)

    record = {
        "id": "r-1",
        "full_name": "Siti Aminah",
        "nik": "3201014506900001",
        "phone": "+6281234567890",
        "status": "interested",
        "rw": "003",
        "rt": "002",
        "follow_up_on": "2026-11-20",
        "sync_state": "conflict",
    }
    row = record_row(record, t, TODAY.isoformat())
    assert row.cells == (
        "!",
        "Siti Aminah",
        "3201********0001",
        "0812****7890",
        "tertarik",
        "003/002",
        "20/11/2026",
    )
    assert row.marks[0] == "attention" and row.marks[-1] == "overdue"
    later = record_row(
        {**record, "follow_up_on": "2026-12-01", "sync_state": "synced"}, t, "2026-11-23"
    )
    assert later.cells[0] == "" and later.marks[-1] == "" and later.marks[0] == ""
    assert record_row({**record, "sync_state": "pending"}, t, "2026-11-23").cells[0] == "●"


def test_narrow_terminal_drops_right_columns_before_squeezing_the_name() -> None:
    columns = [Column("", 1), Column("Nama"), Column("NIK", 16), Column("HP", 12),
               Column("Status", 13), Column("RW/RT", 7), Column("Tindak lanjut", 13)]  # fmt: skip
    widget = RecordList(columns=columns)
    wide = widget._widths(120)
    assert wide == [1, 52, 16, 12, 13, 7, 13]  # everything shows, the name takes the rest
    assert sum(wide) + len(wide) - 1 == 120
    narrow = widget._widths(80)
    assert narrow[1] >= 22  # the name stays readable
    assert narrow[-1] == 0 and narrow[-2] == 7  # the follow-up went first, RW/RT fits
    assert narrow[2] == 16  # the NIK stays
    assert widget._widths(60)[1] >= 22 and widget._widths(60)[4] == 0  # status goes next
    assert sum(narrow) + sum(1 for w in narrow if w) - 1 <= 80
