"""Keys typed ahead at full speed land in the field they were meant for (issue 11, point 1).

The keys are posted to the app all at once, the way a fast typist's burst reaches it on a slow
laptop, without the pauses `pilot.press` leaves between keys.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.widgets import Input

from outreach_tui.screens.record_form import RecordFormScreen
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_form import NIK_SITI, pinned

pytestmark = pytest.mark.anyio

_NAMED = {" ": "space", "\t": "tab", ",": "comma", ".": "full_stop", "-": "minus"}


def burst(app: Any, *parts: str) -> None:
    """Post every key at once: text is typed character by character, `<key>` is a named key."""
    for part in parts:
        if part.startswith("<") and part.endswith(">"):
            app.post_message(events.Key(part[1:-1], None))
            continue
        for char in part:
            app.post_message(events.Key(_NAMED.get(char, char), char))


def field(app: Any, name: str) -> str:
    return str(app.screen.query_one(f"#{name}", Input).value)


async def test_f4_then_a_whole_form_in_one_burst(make_tui, ready_home) -> None:
    """F4 and the form typed at once: every key in its field, the record saved as typed."""
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        burst(app, "<f4>", "Siti Nurhaliza", "<tab>", "<tab>", "<tab>", "<tab>",
              "081234567890", "<tab>", "<tab>", "2500000", "<ctrl+s>")  # fmt: skip
        await wait_for(pilot, lambda: len(app.session.store.list_records()) == 1, timeout=30)
        (record,) = app.session.store.list_records()
        assert record["full_name"] == "Siti Nurhaliza"
        assert record["phone"] == "+6281234567890"
        assert record["monthly_income"] == 2_500_000


async def test_name_tab_nik_in_one_burst(make_tui, ready_home) -> None:
    """The reported case: name, Tab, NIK, Tab right after F4; nothing in the wrong field."""
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        burst(app, "<f4>", "Siti Nurhaliza", "<tab>", NIK_SITI, "<tab>")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordFormScreen))
        await wait_for(pilot, lambda: field(app, "nik") == NIK_SITI)
        assert field(app, "full_name") == "Siti Nurhaliza"
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "birth_date")
        assert field(app, "birth_date") != NIK_SITI


async def test_area_search_down_enter_picks_the_first_match(ready_home, make_tui) -> None:
    """F7, `karad`, Down, Enter in one burst: the first match (Karadenan, Bogor), never the
    second, even though the country-wide rows arrive from a worker."""
    from outreach_tui.screens.area import AreaScreen

    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        burst(app, "<f7>", "karad", "<down>", "<enter>")
        await wait_for(pilot, lambda: isinstance(app.screen, AreaScreen))
        await wait_for(pilot, lambda: len(app.screen.path) == 4, timeout=20)
        assert [r.name for r in app.screen.path][-1] == "Karadenan"
        assert app.screen.path[1].name == "Kabupaten Bogor"


async def test_records_search_down_enter_opens_the_first_match(ready_home, make_tui) -> None:
    """F3, a name, Down, Enter in one burst: the first row of the result is opened."""
    from outreach_tui.screens.record_detail import RecordDetailScreen
    from tests.tui.helpers_records import fill_store

    fill_store(ready_home, 60)
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        from collections import Counter

        names = Counter(r["full_name"].split()[0].lower() for r in app.session.store.list_records())
        query = next(name for name, count in names.most_common() if count >= 2 and name.isalpha())
        burst(app, "<f3>", query, "<down>", "<enter>")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordDetailScreen), timeout=20)
        shown = app.screen.record_id
        from outreach_tui.screens.records import RecordsScreen

        records = next(s for s in app.screen_stack if isinstance(s, RecordsScreen))
        assert shown == records.record_list.row_at(0).record_id


async def test_enter_on_a_single_match_opens_it(ready_home, make_tui) -> None:
    """F3, the last four digits of a phone (what the list shows), Enter: the person opens."""
    from outreach_tui.screens.record_detail import RecordDetailScreen
    from tests.tui.helpers_form import store_people

    person = {"full_name": "Warga Ekor", "phone": "0812-9876-5432", "region_code": "32.01.01.1001",
              "rw": "003", "rt": "002"}  # fmt: skip
    (wanted,) = store_people(ready_home, person)
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        burst(app, "<f3>", "5432", "<enter>")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordDetailScreen), timeout=20)
        assert app.screen.record_id == wanted


async def test_a_name_over_the_limit_is_kept_and_the_limit_said(ready_home, make_tui) -> None:
    """A pasted 150-letter name is neither cut nor dropped: the form says the limit (100)."""
    from tests.tui.helpers_form import message, open_form

    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot)
        long_name = "Siti " + "a" * 145
        app.post_message(events.Paste(long_name))
        await wait_for(pilot, lambda: field(app, "full_name") == long_name)
        await wait_for(pilot, lambda: "100" in message(screen, "full_name"))
        assert "150" in message(screen, "full_name")


async def test_main_keys_show_their_screen_at_its_top(ready_home, make_tui) -> None:
    """A record opened over Beranda, then F3 and F2: Beranda itself, not the old record."""
    from outreach_tui import messages
    from outreach_tui.screens.home import HomeScreen
    from outreach_tui.screens.record_detail import RecordDetailScreen
    from tests.tui.helpers_form import store_people

    (record_id,) = store_people(ready_home, {"full_name": "Warga Lama"})
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.post_message(messages.OpenRecord(record_id))
        await wait_for(pilot, lambda: isinstance(app.screen, RecordDetailScreen))
        burst(app, "<f3>", "<f2>")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert len(app.screen_stack) == 1
