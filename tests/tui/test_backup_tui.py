"""Backup from the settings screen, and the home screen's reminder (issue 11, point 2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from outreach_tui.screens.home import backup_due
from outreach_tui.screens.settings import SettingsScreen
from outreach_tui.store.backup import LAST_BACKUP_META
from tests.conftest import unlocked_store
from tests.tui.conftest import SIZE, unlock, wait_for

pytestmark = pytest.mark.anyio


async def test_backup_from_settings(ready_home: Path, make_tui, tmp_path: Path) -> None:
    """The officer backs up to a USB stick (a folder) from F8; the file is there and checked."""
    usb = tmp_path / "usb"
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        app.screen.query_one("#backup-folder", Input).value = str(usb)
        app.screen.query_one("#backup-make", Button).press()
        await wait_for(pilot, lambda: any(usb.glob("*.outreach-backup")), timeout=20)
        # The file is complete before the store notes it (the note comes just after).
        await wait_for(pilot, lambda: app.session.store.get_meta(LAST_BACKUP_META), timeout=5)


def test_the_reminder_comes_when_changes_wait_and_no_backup_was_made(ready_home: Path) -> None:
    store = unlocked_store(ready_home)
    try:
        assert not backup_due(store, 24)  # nothing unsent
        store.save_record({"full_name": "Warga Tunggu"}, actor="t", officer_id="p-001")
        oldest = dt.datetime.fromisoformat(store.oldest_unsent_at().replace("Z", "+00:00"))
        assert not backup_due(store, 24, now=oldest + dt.timedelta(hours=23))
        assert backup_due(store, 24, now=oldest + dt.timedelta(hours=25))
        assert not backup_due(store, 0, now=oldest + dt.timedelta(hours=25))
        store.set_meta(LAST_BACKUP_META, (oldest + dt.timedelta(hours=1)).isoformat())
        assert not backup_due(store, 24, now=oldest + dt.timedelta(hours=25))
    finally:
        store.close()
