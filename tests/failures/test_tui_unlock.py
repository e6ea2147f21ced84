"""The TUI's unlock screen names a damaged data file as the CLI does, never "wrong key"."""

from __future__ import annotations

from pathlib import Path

import pytest

from outreach_tui.config import resolve_paths
from outreach_tui.domain.i18n import translate
from tests.conftest import TEST_PASSPHRASE, unlocked_store
from tests.tui.conftest import SIZE, wait_for

PAGE = 8192
pytestmark = pytest.mark.anyio


async def test_a_damaged_page_read_at_open_is_named_damaged(make_tui, ready_home: Path) -> None:
    """A flipped byte in the migrations table's page: the unlock screen says "damaged"."""
    store = unlocked_store(ready_home)
    try:
        conn = store.db.conn
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = '_sqlite_migrations'"
        ).fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        store.close()
    db = resolve_paths({"OUTREACH_HOME": str(ready_home)}).db_path
    data = bytearray(db.read_bytes())
    data[(int(root) - 1) * PAGE + 4000] ^= 0xFF
    db.write_bytes(bytes(data))
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#passphrase")
        for char in TEST_PASSPHRASE:
            await pilot.press(char)
        await pilot.press("enter")
        message = app.screen.query_one("#unlock-message")
        await wait_for(pilot, lambda: "rusak" in str(message.render()))
        shown = str(message.render())
        damaged = translate("store.damaged", "id", path=str(db)).split("(")[0].strip()
        assert shown.startswith(damaged.split("{")[0][:20])
        assert "dengan kunci laptop ini" not in shown
        assert not app.session.is_unlocked
