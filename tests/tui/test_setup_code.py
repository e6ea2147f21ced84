"""The first-run screen takes a setup code from the branch console in the token box: the
officer id and branch come with it, the token is fetched (never typed); a refused or mistyped
code is said under the box and nothing is created."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from outreach_tui.config import load_settings, resolve_paths
from sync.server.console.store import ConsoleStore, Staff
from tests.conftest import TEST_PASSPHRASE
from tests.sync.conftest import central_server, central_server_factory
from tests.tui.conftest import SIZE, wait_for

pytestmark = pytest.mark.anyio
__all__ = ["central_server", "central_server_factory"]  # fixtures, used by name


def _answers(url: str, code: str) -> dict[str, str]:
    return {"officer_name": "Rina Wati", "server_url": url, "device_token": code,
            "passphrase": TEST_PASSPHRASE, "passphrase2": TEST_PASSPHRASE}  # fmt: skip


async def test_first_run_with_a_setup_code(
    make_tui, isolated_home: Path, central_server: Any
) -> None:
    code = ConsoleStore(central_server.storage).new_setup_code(
        Staff("admin1", "KC-BOGOR", "admin"), "petugas-5"
    )
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for field, value in _answers(central_server.url, typo).items():
            app.screen.query_one(f"#{field}").value = value
        await pilot.press("ctrl+s")
        error = app.screen.query_one("#device_token-error", Static)
        await wait_for(pilot, lambda: "salah ketik" in str(error.render()))
        assert app.screen.__class__.__name__ == "SetupScreen"
        app.screen.query_one("#device_token").value = code
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.current_mode == "home", timeout=20)
        token = app.session.device_token()
    paths = resolve_paths({"OUTREACH_HOME": str(isolated_home)})
    settings = load_settings(paths)
    assert (settings.officer_id, settings.branch) == ("petugas-5", "KC-BOGOR")
    assert token and central_server.pull(token).status_code == 200


async def test_a_used_code_is_said_under_the_box(
    make_tui, isolated_home: Path, central_server: Any
) -> None:
    console = ConsoleStore(central_server.storage)
    code = console.new_setup_code(Staff("admin1", "KC-BOGOR", "admin"), "petugas-5")
    console.redeem_setup_code(code)  # checked only; used below by a first laptop
    from sync.server.console.devices import exchange_setup_code

    exchange_setup_code(console, code)
    app = make_tui()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for field, value in _answers(central_server.url, code).items():
            app.screen.query_one(f"#{field}").value = value
        await pilot.press("ctrl+s")
        error = app.screen.query_one("#device_token-error", Static)
        await wait_for(pilot, lambda: "sudah dipakai" in str(error.render()), timeout=20)
        assert app.screen.__class__.__name__ == "SetupScreen"
        assert not app.screen.query_one("#save").disabled
