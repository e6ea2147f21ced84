"""Ctrl+Q with changes not sent yet asks first; the header never shows a false count."""

from __future__ import annotations

from pathlib import Path

import pytest

from outreach_tui.screens.quit_dialog import QuitDialog
from tests.conftest import unlocked_store
from tests.tui.conftest import SIZE, unlock, wait_for

pytestmark = pytest.mark.anyio


async def test_quit_with_unsent_changes_asks(ready_home: Path, make_tui) -> None:
    store = unlocked_store(ready_home)
    store.save_record({"full_name": "Warga Belum Terkirim"}, actor="t", officer_id="p-001")
    store.close()
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        assert "belum terkirim" not in app.sub_title  # locked: no count shown, not a false 0
        await unlock(pilot)
        await wait_for(pilot, lambda: "1 belum terkirim" in app.sub_title)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, QuitDialog))
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog))
        await pilot.click("#quit-anyway")
        await wait_for(pilot, lambda: not app.is_running)


async def test_quit_with_everything_sent_just_quits(ready_home: Path, make_tui) -> None:
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)


async def test_groups_and_events_not_sent_count_as_unsent(ready_home: Path, make_tui) -> None:
    """A group typed at a market and not synced yet is an unsent change: the header counts it
    and Ctrl+Q asks."""
    store = unlocked_store(ready_home)
    store.save_group({"name": "Pasar Cibinong", "kind": "pasar", "region_code": "32.01.01.1001"},
                     actor="t")  # fmt: skip
    store.close()
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: "1 belum terkirim" in app.sub_title)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog))
