"""The sync screen and the background sync against the real central API on loopback."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from outreach_tui.app import OutreachApp
from outreach_tui.domain.record import validate_record
from outreach_tui.screens.sync import SyncScreen
from outreach_tui.screens.sync_dialog import KeepMineDialog
from outreach_tui.sync_worker import SyncController, sync_controller
from sync.server.auth import hash_token
from tests.conftest import unlocked_store
from tests.sync.conftest import (
    CentralServer,
    central_server,
    central_server_factory,
    enrolled_record,
    nik_for,
    record_item,
    statuses,
)
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_sync import central_records, save_people, set_up_laptop

pytestmark = pytest.mark.anyio
__all__ = ["central_server", "central_server_factory"]  # fixtures, used by name


def _app(make_tui: Callable[..., OutreachApp], interval: float) -> tuple[OutreachApp, Any]:
    """The app with its sync controller's interval shortened (0: background sync off)."""
    app = make_tui()
    controller = sync_controller(app)
    controller.interval_seconds = interval
    controller.config_overrides = {"retries": 0, "read_timeout": 5.0, "backoff": 0.05}
    return app, controller


async def _open_sync(pilot: Any) -> SyncScreen:
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SyncScreen))
    screen = pilot.app.screen
    assert isinstance(screen, SyncScreen)
    return screen


def _text(screen: SyncScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def _manual_done(controller: SyncController) -> Callable[[], bool]:
    return lambda: controller.last_manual is not None


async def test_sync_now_pushes_every_change_and_journals_the_run(
    isolated_home: Path, central_server: CentralServer, make_tui: Callable[..., OutreachApp]
) -> None:
    set_up_laptop(central_server)
    ids = save_people(isolated_home, 4)
    app, controller = _app(make_tui, interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: app.online is True)
        assert app.session.store.outbox_size() == 4  # background sync off: nothing sent yet
        screen = await _open_sync(pilot)
        await pilot.press("f9")
        await wait_for(pilot, _manual_done(controller))
        outcome = controller.last_manual
        assert outcome is not None and outcome.summary is not None and not outcome.error
        assert outcome.summary.accepted == 4
        assert app.session.store.outbox_size() == 0
        assert set(central_records(central_server)) == set(ids)
        runs = screen.query_one("#sync-runs", DataTable)
        await wait_for(pilot, lambda: runs.row_count >= 1)
        row = runs.get_row_at(0)
        assert row[1:5] == ["4", "4", "0", "2"]  # sent, accepted, rejected, pulled (2 KPJ)
        assert app.unsent == 0 and "Daring" in _text(screen, "#sync-state")
        records = [app.session.store.get_record(i) for i in ids]
        assert all(r is not None and r["sync_state"] == "synced" for r in records)
        assert sum(1 for r in records if r and r["kpj_number"]) == 2  # the enrolled ones


async def _set_aside_fix_and_resend(
    isolated_home: Path,
    central_server: CentralServer,
    make_tui: Callable[..., OutreachApp],
    monkeypatch: pytest.MonkeyPatch,
    *,
    list_cleared: bool,
) -> None:
    """A duplicate NIK is set aside and listed; Enter opens it; the fix goes out with Ctrl+R."""
    set_up_laptop(central_server)
    other = central_server.add_device("p2", "KC-BOGOR")
    assert statuses(central_server.push(other, [record_item(enrolled_record(7))])) == ["accepted"]
    (mine,) = save_people(isolated_home, 1, start=7, full_name="Siti Rahayu")
    app, controller = _app(make_tui, interval=0)
    opened: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await _open_sync(pilot)
        await pilot.press("f9")
        await wait_for(pilot, _manual_done(controller))
        table = screen.query_one("#sync-set-aside", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        name, state, reasons = table.get_row_at(0)
        assert name == "Siti Rahayu" and state == "ganda"
        assert "NIK" in reasons and "petugas lain" in reasons  # a colleague's: no id, who resolves
        runs = screen.query_one("#sync-runs", DataTable)
        await wait_for(pilot, lambda: runs.row_count >= 1)
        journal = runs.get_row_at(0)
        assert journal[3] == "1" and "1 perlu diperiksa" in journal[6]  # set aside, said so
        record = app.session.store.get_record(mine)
        assert record is not None and record["sync_state"] == "duplicate"
        assert record["nik"] == nik_for(7)
        monkeypatch.setattr(
            OutreachApp, "on_open_record", lambda _app, msg: opened.append(msg.record_id)
        )
        table.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: opened == [mine])

        # The officer fixes the NIK (a new version), then resends with Ctrl+R.
        store = app.session.store
        changed = {**record, "nik": nik_for(9), "birth_date": None, "sex": None}
        fixed = validate_record(changed, today=date.today(), previous=record)
        assert fixed.ok, fixed.errors
        store.save_record(fixed.record, actor="p1", expected_version=record["version"])
        controller.last_manual = None
        await pilot.press("ctrl+r")
        await wait_for(pilot, _manual_done(controller))
        outcome = controller.last_manual
        assert outcome is not None and outcome.summary is not None
        assert outcome.summary.accepted == 1 and store.outbox_size() == 0
        held = central_records(central_server)[mine]
        assert held["nik"] == nik_for(9) and not held.get("duplicate_of")
        if list_cleared:
            await wait_for(pilot, lambda: table.row_count == 0, timeout=3)
            again = store.get_record(mine)
            assert again is not None and again["sync_state"] == "synced"


async def test_a_fixed_duplicate_leaves_the_set_aside_list(
    isolated_home: Path,
    central_server: CentralServer,
    make_tui: Callable[..., OutreachApp],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _set_aside_fix_and_resend(
        isolated_home, central_server, make_tui, monkeypatch, list_cleared=True
    )


async def test_a_duplicate_nik_is_listed_with_its_reason_and_opens_the_record(
    isolated_home: Path,
    central_server: CentralServer,
    make_tui: Callable[..., OutreachApp],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _set_aside_fix_and_resend(
        isolated_home, central_server, make_tui, monkeypatch, list_cleared=False
    )


async def test_background_sync_runs_on_its_own(
    isolated_home: Path, central_server: CentralServer, make_tui: Callable[..., OutreachApp]
) -> None:
    set_up_laptop(central_server)
    first = save_people(isolated_home, 2)
    app, controller = _app(make_tui, interval=0.5)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: app.session.store.outbox_size() == 0)
        assert set(central_records(central_server)) == set(first)
        raw = enrolled_record(3)
        raw.pop("id")
        checked = validate_record(raw, today=date.today())
        later = app.session.store.save_record(checked.record, actor="p1", officer_id="p1").id
        await wait_for(pilot, lambda: later in central_records(central_server), timeout=15)
        await wait_for(pilot, lambda: app.unsent == 0 and app.online is True)
        assert controller.last is not None and not controller.last.manual
        assert len(app.session.store.sync_runs()) >= 2


def _free_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


async def test_offline_shows_luring_and_keeps_everything(
    isolated_home: Path, central_server: CentralServer, make_tui: Callable[..., OutreachApp]
) -> None:
    set_up_laptop(central_server, url=f"http://127.0.0.1:{_free_port()}")
    ids = save_people(isolated_home, 3)
    app, controller = _app(make_tui, interval=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: app.online is False)
        assert "Luring" in app.sub_title
        screen = await _open_sync(pilot)
        assert "Luring" in _text(screen, "#sync-state")
        await pilot.press("f9")
        await wait_for(pilot, _manual_done(controller))
        manual = controller.last_manual
        assert manual is not None and manual.error == "sync.unreachable"
        assert "tidak dapat dihubungi" in _text(screen, "#sync-message")
        assert app.session.store.outbox_size() == 3
        assert all(app.session.store.get_record(i) is not None for i in ids)
    assert central_records(central_server) == {}


async def test_a_revoked_token_tells_the_officer_why(
    isolated_home: Path, central_server: CentralServer, make_tui: Callable[..., OutreachApp]
) -> None:
    token = set_up_laptop(central_server)
    device = central_server.storage.device_by_token_hash(hash_token(token))
    assert device is not None
    central_server.storage.revoke_device(device.device_id, "2026-01-01T00:00:00.000Z")
    save_people(isolated_home, 2)
    app, controller = _app(make_tui, interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await _open_sync(pilot)
        await pilot.press("f9")
        await wait_for(pilot, _manual_done(controller))
        assert (
            controller.last_manual is not None
            and controller.last_manual.error == "sync.token_refused"
        )
        message = _text(screen, "#sync-message")
        assert "token_revoked" in message and "token baru" in message
        runs = screen.query_one("#sync-runs", DataTable)
        await wait_for(pilot, lambda: runs.row_count >= 1)
        assert runs.get_row_at(0)[6] == "token ditolak"
        assert app.session.store.outbox_size() == 2


async def test_not_configured_is_offline_and_starts_no_worker(
    ready_home: Path, make_tui: Callable[..., OutreachApp]
) -> None:
    app, controller = _app(make_tui, interval=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: app.online is False)
        assert not [w for w in app.workers if w.group == "sync"]
        screen = await _open_sync(pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert (
            controller.last_manual is not None
            and controller.last_manual.error == "sync_screen.not_configured"
        )
        assert "Pengaturan" in _text(screen, "#sync-message")
        app.session.update_settings(language="en")
        app.apply_settings()  # every open screen is recomposed in English
        await wait_for(pilot, lambda: "Settings (F8)" in _text(screen, "#sync-message"))
        assert "Offline" in _text(screen, "#sync-state")


async def test_a_conflict_is_sent_again_as_my_version_after_confirming(
    isolated_home: Path,
    central_server: CentralServer,
    make_tui: Callable[..., OutreachApp],
) -> None:
    """Another device changed the record on the server: F10 asks, then Ctrl+R sends mine."""
    set_up_laptop(central_server)
    (mine,) = save_people(isolated_home, 1, full_name="Siti Rahayu")
    store = unlocked_store(isolated_home)
    try:
        (item,), _ = store.outbox(0, 10)
        first = {**item.data, "id": mine}
        theirs = {**first, "notes": "dari perangkat lain"}
        for _ in range(2):  # this laptop's version 3, never sent: based on nothing
            record = store.get_record(mine)
            assert record is not None
            changed = validate_record({**record, "notes": "versi saya"}, today=date.today())
            assert changed.ok, changed.errors
            store.save_record(
                {**changed.record, "street": f"Jl. Mawar {record['version']}"}, actor="p1"
            )
    finally:
        store.close()
    other = central_server.add_device("p1", "KC-BOGOR")  # the officer's other laptop
    sent = [record_item(first), record_item(theirs, version=2, base_version=1)]
    assert statuses(central_server.push(other, sent)) == ["accepted", "accepted"]
    app, controller = _app(make_tui, interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await _open_sync(pilot)
        await pilot.press("f9")
        await wait_for(pilot, _manual_done(controller))
        table = screen.query_one("#sync-set-aside", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        name, state, reasons = table.get_row_at(0)
        assert name == "Siti Rahayu" and state == app.session.t("sync.status.conflict")
        assert "versi terbaru di server adalah 2" in reasons
        store = app.session.store
        assert store.conflict_server_version(mine) == 2
        table.focus()
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, KeepMineDialog))
        await pilot.press("escape")  # cancel: nothing written
        await wait_for(pilot, lambda: app.screen is screen)
        record = store.get_record(mine)
        assert record is not None and record["version"] == 3
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, KeepMineDialog))
        await pilot.click("#keep-mine-yes")
        await wait_for(pilot, lambda: app.screen is screen)
        record = store.get_record(mine)
        assert record is not None and record["version"] == 4
        assert record["sync_state"] == "pending"
        assert store.record_versions(mine)[-1]["base_version"] == 2
        assert "Ctrl+R" in _text(screen, "#sync-message")
        await wait_for(pilot, lambda: table.row_count == 0)
        controller.last_manual = None
        await pilot.press("ctrl+r")
        await wait_for(pilot, _manual_done(controller))
        outcome = controller.last_manual
        assert outcome is not None and outcome.summary is not None
        assert outcome.summary.accepted == 1 and outcome.summary.conflicts == 0
        assert store.outbox_size() == 0
        held = central_records(central_server)[mine]
        assert held["notes"] == "versi saya" and held["version"] == 4
        synced = store.get_record(mine)
        assert synced is not None and synced["sync_state"] == "synced"


async def test_recover_brings_back_the_officers_own_records(
    isolated_home: Path, central_server: CentralServer, make_tui: Callable[..., OutreachApp]
) -> None:
    """A new laptop of the officer: Ctrl+G on the sync screen brings its records back."""
    token = set_up_laptop(central_server)
    person = enrolled_record(31)
    assert statuses(central_server.push(token, [record_item(person)])) == ["accepted"]
    app, controller = _app(make_tui, interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await _open_sync(pilot)
        await pilot.press("ctrl+g")
        await wait_for(pilot, _manual_done(controller))
        outcome = controller.last_manual
        assert outcome is not None and outcome.recovered is not None, outcome
        assert outcome.recovered["added"] == 1
        assert app.session.store.get_record(person["id"]) is not None
        assert app.session.store.outbox_size() == 0
