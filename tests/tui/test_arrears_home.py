"""Arrears reach the officer's home screen after a real sync with the central API on loopback:
an inactive participant is listed among the follow-ups; their detail says what is owed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import OptionList, Static

from outreach_tui.app import OutreachApp
from outreach_tui.cli import main
from outreach_tui.domain.contributions import add_months, due_date
from outreach_tui.screens.record_detail import RecordDetailScreen
from sync.server import arrears
from tests.sync.conftest import CentralServer, central_server, central_server_factory
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_sync import save_people, set_up_laptop

pytestmark = pytest.mark.anyio
__all__ = ["central_server", "central_server_factory"]  # fixtures, used by name


async def test_an_inactive_participant_is_on_the_home_screen_with_what_is_owed(
    isolated_home: Path, central_server: CentralServer, make_tui: Callable[..., OutreachApp]
) -> None:
    set_up_laptop(central_server)
    (_, enrolled) = save_people(isolated_home, 2, full_name="Siti Rahayu")
    assert CliRunner().invoke(main, ["sync"]).exit_code == 0
    today = dt.date.today()
    paid = arrears.record_payment(central_server.storage, enrolled, 1, today=today, by="dewi",
                                  branch="KC-BOGOR")  # fmt: skip
    through = dt.date.fromisoformat(paid.paid_through + "-01")
    overdue = due_date(add_months(through, 3)) + dt.timedelta(days=1)
    assert arrears.sweep(central_server.storage, today=overdue) == 1
    assert CliRunner().invoke(main, ["sync"]).exit_code == 0
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        options = app.screen.query_one("#home-follow-ups", OptionList)

        def listed() -> list[str]:
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

        await wait_for(pilot, lambda: any("menunggak" in p for p in listed()))
        (line,) = [p for p in listed() if "menunggak" in p]
        assert "Siti Rahayu" in line
        options.focus()
        index = next(i for i, p in enumerate(listed()) if "menunggak" in p)
        options.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordDetailScreen))
        name = app.screen.query_one("#detail-name", Static)
        await wait_for(pilot, lambda: "Tidak aktif" in str(name.render()))
        grid = str([str(w.render()) for w in app.screen.query(".detail-value")])
        assert "TIDAK AKTIF: menunggak" in grid and "Rp" in grid
