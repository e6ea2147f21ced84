"""Helpers for the record form's Pilot tests: a pinned day, opening the form, typing into it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from outreach_tui import messages
from outreach_tui.app import OutreachApp
from outreach_tui.screens.record_form import RecordFormScreen
from outreach_tui.widgets.field import FormField
from tests.conftest import unlocked_store
from tests.tui.conftest import wait_for

TODAY = date(2026, 11, 23)
# A woman born 5 July 1990, NIK issued in Cibinong (Kabupaten Bogor).
NIK_SITI = "3201014507900001"
# A man born 12 March 1985, same kecamatan.
NIK_BUDI = "3201011203850001"


def pinned(app: OutreachApp) -> OutreachApp:
    """The app with the session's day pinned (the calculator and age rules depend on it)."""
    app.session.today = lambda: TODAY
    return app


def store_people(home: Path, *records: dict[str, Any]) -> list[str]:
    """Save records before the app starts; returns their ids."""
    store = unlocked_store(home)
    try:
        return [store.save_record(r, actor="test", officer_id="p-001").id for r in records]
    finally:
        store.close()


async def open_form(pilot: Any, **defaults: Any) -> RecordFormScreen:
    """Open the new-record form the way F4 does, and wait until it is up."""
    pilot.app.post_message(messages.NewRecord(defaults))
    return await current_form(pilot)


async def edit_form(pilot: Any, record_id: str) -> RecordFormScreen:
    """Open the form on a stored record."""
    pilot.app.post_message(messages.EditRecord(record_id))
    return await current_form(pilot)


async def current_form(pilot: Any) -> RecordFormScreen:
    """The record form once it is the active screen and has run its first check."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecordFormScreen))
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RecordFormScreen)
    return screen


async def type_into(pilot: Any, field: str, text: str) -> None:
    """Focus a field and type ``text`` key by key, as an officer would."""
    pilot.app.screen.query_one(f"#{field}").focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


def message(screen: Any, field: str) -> str:
    """The problem shown under a field (empty when none)."""
    return screen.query_one(f"#{field}-field", FormField).message


def value(screen: Any, field: str) -> Any:
    """What a control of the form holds now."""
    return screen.query_one(f"#{field}").value
