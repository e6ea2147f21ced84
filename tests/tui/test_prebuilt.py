"""The main screens are built ahead while the officer reads the home screen: F3/F5/F6 then
switch to a screen that is already there, with its data."""

from __future__ import annotations

import pytest

from outreach_tui.app import PREBUILT_MODES
from outreach_tui.screens.records import RecordsScreen
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_form import pinned
from tests.tui.test_typeahead import burst

pytestmark = pytest.mark.anyio


async def test_main_screens_are_built_ahead_while_idle(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(
            pilot, lambda: all(app._screen_stacks.get(m) for m in PREBUILT_MODES), timeout=30
        )
        built = app._screen_stacks["records"][0]
        assert built.is_mounted
        burst(app, "<f3>", "budi")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordsScreen))
        assert app.screen is built  # the one built ahead, not a new one
        await wait_for(pilot, lambda: app.screen.query_one("#records-search").value == "budi")


async def test_nothing_is_built_while_the_officer_types(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    clock = [0.0]
    app._clock = lambda: clock[0]  # a key was just typed, for as long as this test runs
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.last_input = clock[0]
        await pilot.pause(3.5)
        assert not any(app._screen_stacks.get(m) for m in PREBUILT_MODES)
