"""TUI tests: a set-up laptop (settings + data key) and an app built by the real factory.

Pilot tests run under anyio's pytest plugin (asyncio backend). `unlock()` types the test
passphrase on the unlock screen and waits until the home screen is up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from outreach_tui.app import OutreachApp, make_app
from outreach_tui.config import Settings, resolve_paths, save_settings
from outreach_tui.session import Session
from outreach_tui.vault import Vault, open_unlocked_store
from tests.conftest import TEST_PASSPHRASE

SIZE = (120, 40)


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests run on asyncio (Textual's loop)."""
    return "asyncio"


@pytest.fixture
def ready_home(isolated_home: Path) -> Path:
    """A laptop after its first run: settings saved and the data key made."""
    paths = resolve_paths({"OUTREACH_HOME": str(isolated_home)})
    save_settings(
        paths,
        Settings(
            officer_id="p-001",
            officer_name="Dewi Lestari",
            branch="KC-BOGOR",
            area_code="32.01.01.1001",
            area_rw="003",
            area_rt="002",
            monthly_target=40,
        ),
    )
    # As `outreach setup` and the first-run screen do: the key, then at once the store.
    open_unlocked_store(paths, Vault(paths).create(TEST_PASSPHRASE)).close()
    return isolated_home


@pytest.fixture
def make_tui(isolated_home: Path) -> Callable[..., OutreachApp]:
    """Build the app exactly as `outreach` does, for the test's OUTREACH_HOME."""

    def build(**kwargs: Any) -> OutreachApp:
        paths = resolve_paths({"OUTREACH_HOME": str(isolated_home)})
        return make_app(Session.load(paths), **kwargs)

    return build


async def unlock(pilot: Any, passphrase: str = TEST_PASSPHRASE) -> None:
    """Type the passphrase on the unlock screen and wait for the home screen."""
    await pilot.pause()
    await pilot.click("#passphrase")
    for char in passphrase:
        await pilot.press(char)
    await pilot.press("enter")
    await wait_for(
        pilot, lambda: pilot.app.session.is_unlocked and pilot.app.current_mode == "home"
    )


async def wait_for(pilot: Any, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until ``condition`` holds (workers finish in threads)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the app did not reach the expected state in time")
        await pilot.pause(0.05)


@pytest.fixture
def central_db(tmp_path: Path) -> Callable[[], Path]:
    """The TUI's sync screen is tested against a SQLite central API only (the central storage
    is tested on both databases in tests/sync)."""
    count = 0

    def new() -> Path:
        nonlocal count
        count += 1
        return tmp_path / f"central-{count}.db"

    return new
