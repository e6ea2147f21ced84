"""SVG snapshots of the main screens (pytest-textual-snapshot; files pinned to LF).

Everything on screen is made deterministic: record ids and store timestamps come from a
counter, the officer's day is pinned, the timezone is UTC and no Input cursor blinks.
Update after an intended change of a screen: `python -m pytest tests/tui/test_snapshots.py
--snapshot-update`, then look at the SVGs before committing them.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from outreach_tui.store import base as store_base
from tests.conftest import unlocked_store
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_records import make_records

TODAY = date(2026, 11, 23)
STORE_MODULES = ("records", "visits", "outbox", "syncstate", "retention")


@pytest.fixture
def fixed_store_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Ids and timestamps the store writes follow a counter (same screens on every run)."""
    import importlib

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    ticks = itertools.count()
    ids = itertools.count(1)

    def now() -> str:
        tick = next(ticks)
        return (
            f"2026-11-23T{8 + tick // 3600 % 10:02d}:{tick // 60 % 60:02d}:{tick % 60:02d}.000000Z"
        )

    def new_id() -> str:
        return f"00000000-0000-4000-8000-{next(ids):012d}"

    for name in STORE_MODULES:
        module = importlib.import_module(f"outreach_tui.store.{name}")
        if hasattr(module, "utc_now"):
            monkeypatch.setattr(module, "utc_now", now)
        if hasattr(module, "new_id"):
            monkeypatch.setattr(module, "new_id", new_id)
    monkeypatch.setattr(store_base, "utc_now", now)
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def people(ready_home: Path, fixed_store_clock: None) -> list[str]:
    """Forty people of the working desa (and its neighbour), one of them enrolled."""
    records = make_records(40)
    enrolled = next(r for r in records if r.get("nik"))
    enrolled.update(status="enrolled", consent=True, programs="JKK,JKM", payment_period=1)
    store = unlocked_store(ready_home)
    try:
        saved = store.save_records(records, actor="p-001", officer_id="p-001")
    finally:
        store.close()
    return [item.id for item in saved]


def steady(pilot: Any) -> None:
    """No blinking cursor in the picture."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


def app_for(make_tui: Callable[..., Any]) -> Any:
    """The app on the pinned day."""
    app = make_tui()
    app.session.today = lambda: TODAY
    return app


def after_unlock(then: Callable[[Any], Any] | None = None) -> Callable[[Any], Any]:
    """A run_before that unlocks, runs ``then`` and settles the screen."""

    async def run(pilot: Any) -> None:
        await unlock(pilot)
        if then is not None:
            result = then(pilot)
            if result is not None:
                await result
        await pilot.pause(0.3)
        steady(pilot)

    return run


def test_unlock_screen(snap_compare, make_tui, ready_home) -> None:
    async def settle(pilot: Any) -> None:
        await pilot.pause()
        steady(pilot)

    assert snap_compare(app_for(make_tui), terminal_size=SIZE, run_before=settle)


def test_home_screen(snap_compare, make_tui, people) -> None:
    async def loaded(pilot: Any) -> None:
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "figures", None) is not None)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.3)

    assert snap_compare(app_for(make_tui), terminal_size=SIZE, run_before=after_unlock(loaded))


def test_record_list(snap_compare, make_tui, people) -> None:
    async def go(pilot: Any) -> None:
        await pilot.press("f3")
        await pilot.pause(0.5)

    assert snap_compare(app_for(make_tui), terminal_size=SIZE, run_before=after_unlock(go))


def test_record_form(snap_compare, make_tui, people) -> None:
    async def go(pilot: Any) -> None:
        await pilot.press("f4")
        await pilot.pause(0.5)

    assert snap_compare(app_for(make_tui), terminal_size=SIZE, run_before=after_unlock(go))


def test_record_detail(snap_compare, make_tui, people) -> None:
    from outreach_tui import messages

    async def go(pilot: Any) -> None:
        pilot.app.post_message(messages.OpenRecord(people[0]))
        await pilot.pause(0.5)

    assert snap_compare(app_for(make_tui), terminal_size=SIZE, run_before=after_unlock(go))


def test_sync_screen(snap_compare, make_tui, people) -> None:
    async def go(pilot: Any) -> None:
        await pilot.press("f5")
        await pilot.pause(0.5)

    assert snap_compare(app_for(make_tui), terminal_size=SIZE, run_before=after_unlock(go))


def test_reports_screen(snap_compare, make_tui, people) -> None:
    async def go(pilot: Any) -> None:
        await pilot.press("f6")
        await pilot.pause(1.0)

    assert snap_compare(app_for(make_tui), terminal_size=SIZE, run_before=after_unlock(go))


def test_help_screen_light_theme(snap_compare, make_tui, ready_home) -> None:
    from outreach_tui.config import resolve_paths, save_settings
    from outreach_tui.session import Session

    paths = resolve_paths({"OUTREACH_HOME": str(ready_home)})
    settings = Session.load(paths).settings.model_copy(update={"theme": "light"})
    save_settings(paths, settings)

    async def go(pilot: Any) -> None:
        await pilot.press("f1")
        await pilot.pause(0.3)

    assert snap_compare(app_for(make_tui), terminal_size=SIZE, run_before=after_unlock(go))
