"""The Sinkron screen lists a record a supervisor sent back from the branch console, with the
supervisor's name and comment, after a real sync with the central API on loopback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable

from outreach_tui.app import OutreachApp
from sync.server.console.reviews import decide
from sync.server.console.store import ConsoleStore, Staff
from tests.sync.conftest import (
    CentralServer,
    central_server,
    central_server_factory,
    enrolled_record,
    record_item,
    statuses,
)
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_sync import save_people, set_up_laptop
from tests.tui.test_sync_screen import _app, _manual_done, _open_sync

pytestmark = pytest.mark.anyio
__all__ = ["central_server", "central_server_factory"]  # fixtures, used by name
COMMENT = "NIK milik kakaknya; minta KTP asli"


async def test_a_record_sent_back_shows_on_the_sync_screen(
    isolated_home: Path, central_server: CentralServer, make_tui: Callable[..., OutreachApp]
) -> None:
    set_up_laptop(central_server)
    other = central_server.add_device("p2", "KC-BOGOR")
    assert statuses(central_server.push(other, [record_item(enrolled_record(7))])) == ["accepted"]
    (mine,) = save_people(isolated_home, 1, start=7, full_name="Siti Rahayu")
    app, controller = _app(make_tui, interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await _open_sync(pilot)
        await pilot.press("f9")
        await wait_for(pilot, _manual_done(controller))
        table = screen.query_one("#sync-set-aside", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[1] == "ganda"
        # At the branch, a supervisor decides: different people, this NIK is wrong.
        decide(ConsoleStore(central_server.storage), Staff("dewi", "KC-BOGOR", "supervisor"),
               mine, 1, "wrong_nik", COMMENT)  # fmt: skip
        controller.last_manual = None
        await pilot.press("f9")
        await wait_for(pilot, _manual_done(controller))
        await wait_for(pilot, lambda: any(
            table.get_row_at(i)[1] == "dikembalikan supervisor" for i in range(table.row_count)
        ))  # fmt: skip
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        (sent_back,) = [r for r in rows if r[1] == "dikembalikan supervisor"]
        assert sent_back[0] == "Siti Rahayu"
        assert "supervisor dewi" in sent_back[2] and COMMENT in sent_back[2]
