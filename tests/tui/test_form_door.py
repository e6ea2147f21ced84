"""Enrolling or declining at the door from the new-person form, and the step offered after."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Select

from outreach_tui.screens.next_step_dialog import NextStepDialog
from outreach_tui.screens.record_form import RecordFormScreen
from outreach_tui.screens.slip_preview import SlipPreviewScreen
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_form import (
    NIK_SITI,
    edit_form,
    message,
    open_form,
    pinned,
    store_people,
    type_into,
    value,
)

pytestmark = pytest.mark.anyio
AREA = {"region_code": "32.01.01.1001", "rw": "003", "rt": "002"}


async def fill_person(pilot, screen, *, nik: str = NIK_SITI) -> None:
    await type_into(pilot, "full_name", "Siti Aminah")
    if nik:
        await type_into(pilot, "nik", nik)
    await type_into(pilot, "monthly_income", "1500000")
    screen.query_one("#occupation", Select).value = "pedagang_pasar"
    await pilot.pause()


async def test_enrol_at_the_door_then_slip(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot, **AREA)
        await fill_person(pilot, screen)
        screen.query_one("#status", Select).value = "enrolled"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        # No consent yet: refused, said at the NIK (kept only with consent), nothing saved.
        assert isinstance(app.screen, RecordFormScreen)
        assert message(screen, "nik") or message(screen, "consent")
        assert app.session.store.list_records() == []
        await pilot.press("f9", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, NextStepDialog))
        (row,) = app.session.store.list_records()
        assert row["status"] == "enrolled" and row["consent"]
        # The slip is the likely step: focused, Enter shows it.
        assert app.focused.id == "step-slip"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SlipPreviewScreen))
        assert app.screen.record_id == row["id"]


async def test_enrol_without_nik_is_refused_at_the_nik(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot, **AREA)
        await fill_person(pilot, screen, nik="")
        screen.query_one("#status", Select).value = "enrolled"
        await pilot.press("f9", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RecordFormScreen)
        assert "NIK" in message(screen, "nik")
        assert app.focused is screen.query_one("#nik")
        assert app.session.store.list_records() == []


async def test_decline_other_needs_words_kept_in_notes(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot, **AREA)
        assert not screen.query_one("#decline_reason-field").display
        await fill_person(pilot, screen, nik="")
        screen.query_one("#status", Select).value = "declined"
        await pilot.pause()
        assert screen.query_one("#decline_reason-field").display
        assert not screen.query_one("#decline_other-field").display
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert message(screen, "decline_reason")  # declined needs a reason
        screen.query_one("#decline_reason", Select).value = "lainnya"
        await pilot.pause()
        assert screen.query_one("#decline_other-field").display
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Alasan lain" in message(screen, "decline_other")
        assert app.focused is screen.query_one("#decline_other")
        assert app.session.store.list_records() == []
        await pilot.press(*"pindah ke Batam bulan depan")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, NextStepDialog))
        (row,) = app.session.store.list_records()
        assert row["status"] == "declined" and row["decline_reason"] == "lainnya"
        assert "pindah ke Batam bulan depan" in row["notes"]
        # Not enrolled: no slip; the next household member is the likely step.
        assert not app.screen.query("#step-slip")
        assert app.focused.id == "step-next"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordFormScreen))
        nxt = app.screen
        assert value(nxt, "full_name") == ""
        assert (value(nxt, "region_code"), value(nxt, "rw"), value(nxt, "rt")) == (
            "32.01.01.1001",
            "003",
            "002",
        )


async def test_reason_of_another_status_is_not_kept(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot, **AREA)
        await fill_person(pilot, screen, nik="")
        screen.query_one("#status", Select).value = "declined"
        await pilot.pause()
        screen.query_one("#decline_reason", Select).value = "biaya"
        screen.query_one("#status", Select).value = "interested"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, NextStepDialog))
        (row,) = app.session.store.list_records()
        assert row["status"] == "interested" and row["decline_reason"] is None
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, NextStepDialog))
        assert not isinstance(app.screen, RecordFormScreen)


async def test_clearing_the_nik_keeps_birth_date_and_sex(make_tui, ready_home) -> None:
    (rid,) = store_people(
        ready_home,
        {
            "full_name": "Siti Aminah", "nik": NIK_SITI, "birth_date": "1990-07-05", "sex": "F",
            "consent": True, "status": "enrolled", "monthly_income": 1500000,
            "occupation": "pedagang_pasar", "programs": "JKK,JKM", "payment_period": 1, **AREA,
        },
    )  # fmt: skip
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await edit_form(pilot, rid)
        screen.query_one("#nik").focus()
        screen.query_one("#nik").value = ""
        await pilot.pause()
        assert value(screen, "birth_date") == "05/07/1990"
        assert value(screen, "sex") == "F"
        assert "NIK" in message(screen, "nik")  # enrolled needs it: said at the NIK
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session.store.get_record(rid)["nik"] == NIK_SITI  # nothing saved
        assert screen.query_one(Button)  # the form is still there
