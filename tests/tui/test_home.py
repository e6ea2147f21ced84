"""Beranda: the day's figures, the month's target, follow-ups due and the area's coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Digits, Label, OptionList

from outreach_tui.screens.home import Card, HomeScreen, count_home
from tests.conftest import unlocked_store
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_home import AREA, local_today, seed_people

pytestmark = pytest.mark.anyio


def card(app: Any, name: str) -> str:
    """The big number a card shows."""
    return str(app.screen.query_one(f"#card-{name}", Card).query_one(Digits).value)


def home_app(home: Path, make_tui: Any) -> tuple[Any, dict[str, str]]:
    """The app over a seeded store, its day pinned to the day the people were saved."""
    today = local_today()
    ids = seed_people(home, today)
    app = make_tui()
    app.session.today = lambda: today
    return app, ids


def counted(app: Any) -> bool:
    screen = app.screen
    return isinstance(screen, HomeScreen) and screen.figures is not None


async def test_home_counts_what_the_store_holds(ready_home: Path, make_tui) -> None:
    today = local_today()
    seed_people(ready_home, today)
    with unlocked_store(ready_home) as store:
        everyone = store.count_records()
        prospects = store.count_records(status="prospect") + store.count_records(
            status="interested"
        )
        enrolled = store.count_records(status="enrolled")
        declined = store.count_records(status="declined")
        unsent = store.outbox_size()
        in_rw = store.count_records(region_code=AREA, rw="003")
        in_desa = store.count_records(region_code=AREA)
    app = make_tui()
    app.session.today = lambda: today
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: counted(app))
        # Everyone was saved today: met = every record; the cards read the store's truth.
        assert card(app, "met") == str(everyone) == "8"
        assert card(app, "new") == str(prospects) == "5"
        assert card(app, "enrolled") == str(enrolled) == "2"
        assert card(app, "declined") == str(declined) == "1"
        assert card(app, "unsent") == str(unsent)
        # The target counts only this officer's enrollments (p-009 enrolled the other one).
        target = str(app.screen.query_one("#home-target-label", Label).render())
        assert "40 terdaftar · tercapai 1 (2%)" in target
        # Coverage: the desa's people by RW, the current RW split by RT.
        table = app.screen.query_one("#home-coverage", DataTable)
        assert table.get_row("003")[2] == in_rw == 6
        assert sum(table.get_row(key)[2] for key in ("003", "004")) == in_desa == 7
        assert table.get_row("003/002")[2] == 5


async def test_follow_ups_due_are_listed_and_enter_opens_the_record(
    ready_home: Path, make_tui
) -> None:
    app, ids = home_app(ready_home, make_tui)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: counted(app))
        options = app.screen.query_one("#home-follow-ups", OptionList)
        # Overdue first, then today's; a follow-up planned for later is not listed.
        listed = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert listed == [ids["Ani Suryani"], ids["Budi Hartono"]]
        title = str(app.screen.query_one("#home-follow-ups-title", Label).render())
        assert "1 terlambat, 1 hari ini" in title
        await pilot.press("ctrl+o")
        await pilot.press("down")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RecordDetailScreen")
        assert app.screen.record_id == ids["Budi Hartono"]


async def test_home_counts_again_when_records_change(ready_home: Path, make_tui) -> None:
    app, ids = home_app(ready_home, make_tui)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: counted(app) and card(app, "enrolled") == "2")
        store = app.session.store
        record = store.get_record(ids["Cecep Gunawan"])
        record.update(status="enrolled", consent=True, programs="JKK,JKM", payment_period=1)
        store.save_record(record, actor="p-001", officer_id="p-001")
        from outreach_tui import messages

        app.post_message(messages.RecordsChanged((ids["Cecep Gunawan"],)))
        await wait_for(pilot, lambda: card(app, "enrolled") == "3")
        await wait_for(
            pilot,
            lambda: (
                "tercapai 2 (5%)" in str(app.screen.query_one("#home-target-label", Label).render())
            ),
        )
        assert store.count_records(status="enrolled") == 3


def test_counting_is_aggregate_and_scoped_to_the_day(ready_home: Path) -> None:
    today = local_today()
    seed_people(ready_home, today)
    with unlocked_store(ready_home) as store:
        figures = count_home(store, today, "p-001", AREA)
        from datetime import timedelta

        tomorrow = count_home(store, today + timedelta(days=1), "p-001", AREA)
    assert (figures.today.met, figures.today.enrolled, figures.month_enrolled_mine) == (8, 2, 1)
    assert (figures.overdue, figures.due_today) == (1, 1)
    assert (tomorrow.today.met, tomorrow.today.enrolled) == (0, 0)
    # Tomorrow, today's follow-up is overdue too.
    assert (tomorrow.overdue, tomorrow.due_today) == (2, 0)


def test_change_log_range_is_found_by_binary_search(ready_home: Path) -> None:
    today = local_today()
    ids = seed_people(ready_home, today)
    with unlocked_store(ready_home) as store:
        store.forget_record(ids["Cecep Gunawan"], actor="p-001")  # a gap in the change log
        rows = store._rows("SELECT seq, at FROM changes ORDER BY seq")
        last = rows[-1]["seq"]
        stamps = [row["at"] for row in rows] + ["0000", "9999"]
        stamps += [stamp[:-2] + "0Z" for stamp in stamps[:-2]]  # between two saves
        for stamp in stamps:
            expected = min((row["seq"] for row in rows if row["at"] >= stamp), default=last + 1)
            found = store._first_key_at("changes", "seq", "at", stamp)
            # Equal, or an earlier seq that no longer exists (a gap selects no rows).
            assert found <= expected
            assert all(row["at"] < stamp for row in rows if found > row["seq"])
            assert not [row for row in rows if found <= row["seq"] < expected]


def test_status_changes_count_once_per_person(ready_home: Path) -> None:
    today = local_today()
    ids = seed_people(ready_home, today)
    with unlocked_store(ready_home) as store:

        def edit(name: str, **changes: object) -> None:
            record = store.get_record(ids[name])
            record.update(changes)
            store.save_record(record, actor="p-001", officer_id="p-001")

        enrolled = {"consent": True, "programs": "JKK,JKM", "payment_period": 1}
        edit("Ani Suryani", status="enrolled", **enrolled)  # prospect, then enrolled
        edit("Euis Rahayu", notes="Bayar lewat agen")  # enrolled at creation, edited later
        edit("Gilang Ramadhan", status="prospect")  # declined, then back
        edit("Gilang Ramadhan", status="declined", decline_reason="minta_waktu")
        figures = count_home(store, today, "p-001", AREA)
    assert figures.today.enrolled == 3  # Ani, Euis, Farid
    assert figures.month_enrolled_mine == 2  # Farid was enrolled by p-009
    assert figures.today.declined == 1  # Gilang, once
    assert figures.today.met == 8


async def test_one_count_at_a_time_and_the_last_change_counted(
    ready_home: Path, make_tui, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counts asked for while one runs wait for it (they used to pile up, a thread each)."""
    import threading
    import time

    from outreach_tui import messages
    from outreach_tui.screens import home

    lock, active, peak, calls = threading.Lock(), [0], [0], [0]
    original = home.count_home

    def slow_count(*args: Any, **kwargs: Any) -> Any:
        with lock:
            active[0] += 1
            calls[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            time.sleep(0.05)
            return original(*args, **kwargs)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(home, "count_home", slow_count)
    app, ids = home_app(ready_home, make_tui)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: counted(app) and not app.screen._counting)
        before = calls[0]
        store = app.session.store
        record = store.get_record(ids["Cecep Gunawan"])
        record.update(status="enrolled", consent=True, programs="JKK,JKM", payment_period=1)
        store.save_record(record, actor="p-001", officer_id="p-001")
        for _ in range(6):  # a burst (a sync applying changes, a bulk edit)
            app.post_message(messages.RecordsChanged((ids["Cecep Gunawan"],)))
        await wait_for(pilot, lambda: card(app, "enrolled") == "3")
        await wait_for(pilot, lambda: not app.screen._counting)
        assert store.count_records(status="enrolled") == 3
    assert peak[0] == 1
    assert calls[0] - before <= 2  # six changes: the count they started and one more
