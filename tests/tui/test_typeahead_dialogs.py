"""Keys typed ahead into the detail's dialogs and out of a dropdown land where they were meant.

Each burst is posted to the app all at once (see `test_typeahead.burst`); the same keys pressed
one by one give the same stored result.
"""

from __future__ import annotations

from typing import Any

import pytest

from outreach_tui.screens.record_detail import RecordDetailScreen
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_detail import open_detail, store_person
from tests.tui.helpers_form import TODAY, pinned
from tests.tui.test_typeahead import burst

pytestmark = pytest.mark.anyio
_NAMED = {" ": "space", ",": "comma", ".": "full_stop", "-": "minus"}


async def send(pilot: Any, mode: str, *parts: str) -> None:
    """All keys at once ("burst"), or one by one with the pilot's pause after each ("slow")."""
    if mode == "burst":
        burst(pilot.app, *parts)
        return
    for part in parts:
        if part.startswith("<") and part.endswith(">"):
            await pilot.press(part[1:-1])
        else:
            await pilot.press(*(_NAMED.get(c, c) for c in part))


def _app(make_tui: Any) -> Any:
    app = make_tui()
    app.session.today = lambda: TODAY
    return app


@pytest.mark.parametrize("mode", ["burst", "slow"])
async def test_visit_dialog_in_one_burst(make_tui, ready_home, mode) -> None:
    """F11, the second outcome (not at home), Tab, a note, Enter: logged as typed."""
    record_id = store_person(ready_home)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        await send(pilot, mode, "<f11>", "<down>", "<enter>", "<tab>", "Pulang sore, besok lagi",
                   "<enter>")  # fmt: skip
        await wait_for(pilot, lambda: bool(app.session.store.visits_for(record_id)), timeout=20)
        await wait_for(pilot, lambda: app.screen is screen)
        (visit,) = app.session.store.visits_for(record_id)
        assert (visit["outcome"], visit["note"]) == ("not_home", "Pulang sore, besok lagi")


@pytest.mark.parametrize("mode", ["burst", "slow"])
async def test_status_dialog_decline_in_one_burst(make_tui, ready_home, mode) -> None:
    """F10, declined, Tab to the reasons, the first reason, Ctrl+S: saved with that reason."""
    record_id = store_person(ready_home)
    app = _app(make_tui)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(pilot, record_id)
        # From prospect the choices are: interested, enrolled, declined.
        await send(pilot, mode, "<f10>", "<down>", "<down>", "<enter>", "<tab>", "<enter>",
                   "<ctrl+s>")  # fmt: skip
        await wait_for(pilot, lambda: app.session.store.get_record(record_id)["version"] == 2,
                       timeout=20)  # fmt: skip
        stored = app.session.store.get_record(record_id)
        assert (stored["status"], stored["decline_reason"]) == ("declined", "biaya")
        await wait_for(pilot, lambda: app.screen is screen)


@pytest.mark.parametrize("mode", ["burst", "slow"])
async def test_keys_after_a_dropdown_choice_are_kept(make_tui, ready_home, mode) -> None:
    """Enter in a dropdown's list or Tab out of it, then typing at once: no first digit lost."""
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        sex = ("<enter>", "<down>", "<enter>", "<tab>")  # open the list, pick, Tab out
        job = ("<enter>", "<down>", "<down>", "<enter>", "<tab>")
        await send(pilot, mode, "<f4>", "Budi Hartono", "<tab>", "<tab>", "<tab>", *sex,
                   "081234567890", "<tab>", *job, "2500000", "<ctrl+s>")  # fmt: skip
        await wait_for(pilot, lambda: len(app.session.store.list_records()) == 1, timeout=30)
        (record,) = app.session.store.list_records()
        assert record["full_name"] == "Budi Hartono"
        assert record["sex"] in ("M", "F")
        assert record["phone"] == "+6281234567890"
        assert record["occupation"]
        assert record["monthly_income"] == 2_500_000
        assert not isinstance(app.screen, RecordDetailScreen)
