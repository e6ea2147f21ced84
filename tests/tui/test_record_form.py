"""The record form: typing, checks under each field, duplicates, drafts, the calculator."""

from __future__ import annotations

import pytest
from textual.widgets import Select, Switch

from outreach_tui.app import OutreachApp
from outreach_tui.domain.contributions import calculate
from outreach_tui.domain.i18n import translate
from outreach_tui.screens.duplicate_dialog import DiscardDialog, DuplicateDialog
from outreach_tui.screens.form_draft import DRAFT_KEY
from outreach_tui.screens.record_form import DRAFT_DELAY, RecordFormScreen
from outreach_tui.widgets.contribution import ContributionPanel, format_rupiah
from tests.conftest import unlocked_store
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_form import (
    NIK_BUDI,
    NIK_SITI,
    TODAY,
    current_form,
    edit_form,
    message,
    open_form,
    pinned,
    store_people,
    type_into,
    value,
)

pytestmark = pytest.mark.anyio

SITI = {
    "full_name": "Siti Aminah",
    "birth_date": "1990-07-05",
    "sex": "F",
    "region_code": "32.01.01.1001",
    "rw": "003",
    "rt": "002",
    "status": "prospect",
}


def only_record(app: OutreachApp) -> dict:
    """The one record in the store (fails when there are more or none)."""
    rows = app.session.store.list_records()
    assert len(rows) == 1, rows
    return rows[0]


async def test_new_record_saved_normalized(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot)
        await type_into(pilot, "full_name", "  Siti   Aminah ")
        screen.query_one("#consent", Switch).value = True
        await type_into(pilot, "nik", NIK_SITI)
        await type_into(pilot, "phone", "0812 3456 7890")
        await type_into(pilot, "monthly_income", "1,5jt")
        screen.query_one("#occupation", Select).value = "pedagang_pasar"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, RecordFormScreen))
        record = only_record(app)
        assert record["full_name"] == "Siti Aminah"
        assert record["nik"] == NIK_SITI
        assert (record["birth_date"], record["sex"]) == ("1990-07-05", "F")
        assert record["phone"] == "+6281234567890"
        assert record["monthly_income"] == 1_500_000
        assert record["occupation"] == "pedagang_pasar"
        assert (record["region_code"], record["rw"], record["rt"]) == (
            "32.01.01.1001",
            "003",
            "002",
        )
        assert record["status"] == "prospect"
        assert record["programs"] == "JKK,JKM" and record["payment_period"] == 1
        assert record["consent"] is True
        assert record["consent_by"] == "p-001" and record["consent_version"]
        assert record["officer_id"] == "p-001"
        assert app.session.store.get_meta(DRAFT_KEY) is None


async def test_nik_fills_birth_date_sex_and_names_region(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot)
        await type_into(pilot, "nik", NIK_SITI)
        assert value(screen, "birth_date") == "05/07/1990"
        assert value(screen, "sex") == "F"
        hint = str(screen.query_one("#nik-hint").render())
        assert "Cibinong" in hint and "Kabupaten Bogor" in hint
        # Another NIK replaces what the first one filled in...
        screen.query_one("#nik").value = NIK_BUDI
        await pilot.pause()
        assert (value(screen, "birth_date"), value(screen, "sex")) == ("12/03/1985", "M")
        # ...but never what the officer typed: then the disagreement is shown instead.
        screen.query_one("#birth_date").value = ""
        await type_into(pilot, "birth_date", "01/01/1980")
        screen.query_one("#nik").value = NIK_SITI
        await pilot.pause()
        assert value(screen, "birth_date") == "01/01/1980"
        assert "NIK" in message(screen, "birth_date")
        assert "1990-07-05" not in message(screen, "birth_date")
        # Switching to English redraws the form in English and keeps every entry.
        app.session.update_settings(language="en")
        app.apply_settings()
        await pilot.pause()
        await pilot.pause()
        assert (value(screen, "nik"), value(screen, "birth_date")) == (NIK_SITI, "01/01/1980")
        assert message(screen, "birth_date") == translate("birth_date.mismatch_nik", "en")
        assert "issued in" in str(screen.query_one("#nik-hint").render())


async def test_error_shows_under_field_and_blocks_saving(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot)
        assert message(screen, "full_name") == ""  # nothing shouted before typing
        await type_into(pilot, "full_name", "Siti 2")
        assert message(screen, "full_name") == "Nama lengkap tidak boleh berisi angka."
        await pilot.press("enter")  # Enter moves on, as Tab does
        assert app.focused is screen.query_one("#nik")
        assert screen.query_one("#full_name-message").has_class("field-error")
        await type_into(pilot, "rw", "0")
        assert message(screen, "rw") == translate("rw.range", "id", value=0)
        screen.query_one("#phone").focus()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert app.session.store.count_records() == 0
        assert translate("form.fix_errors", "id") in str(screen.query_one("#form-message").render())
        assert app.focused is screen.query_one("#full_name")


async def test_warning_does_not_block(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await open_form(pilot)
        await pilot.press("escape")  # nothing typed: closes without asking
        await wait_for(pilot, lambda: not isinstance(app.screen, RecordFormScreen))
        screen = await open_form(pilot)
        await type_into(pilot, "full_name", "Budi")
        await type_into(pilot, "monthly_income", "50jt")
        assert "tertinggi" in message(screen, "monthly_income")
        assert screen.query_one("#monthly_income-message").has_class("field-warning")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.session.store.count_records() == 1)
        assert only_record(app)["monthly_income"] == 50_000_000


async def test_consent_off_keeps_no_nik(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot)
        await type_into(pilot, "full_name", "Siti Aminah")
        await type_into(pilot, "nik", NIK_SITI)
        assert message(screen, "nik") == translate("nik.consent_required", "id")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session.store.count_records() == 0
        screen.query_one("#consent", Switch).value = True
        await pilot.pause()
        assert message(screen, "nik") == ""
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.session.store.count_records() == 1)
        record = only_record(app)
        assert record["nik"] == NIK_SITI and record["consent_at"]


async def test_duplicate_nik_opens_existing(make_tui, ready_home, monkeypatch) -> None:
    (existing,) = store_people(ready_home, {**SITI, "nik": NIK_SITI, "consent": True})
    opened: list[str] = []
    monkeypatch.setattr(OutreachApp, "on_open_record", lambda self, m: opened.append(m.record_id))
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot)
        await type_into(pilot, "full_name", "Siti A")
        screen.query_one("#consent", Switch).value = True
        await type_into(pilot, "nik", NIK_SITI)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DuplicateDialog))
        assert "NIK" in str(app.screen.query_one("#duplicates").get_option_at_index(0).prompt)
        await pilot.click("#dup-open")
        await wait_for(pilot, lambda: opened == [existing])
        assert not isinstance(app.screen, RecordFormScreen)
        assert app.session.store.count_records() == 1


async def test_duplicate_saved_anyway_with_reason(make_tui, ready_home) -> None:
    (existing,) = store_people(ready_home, {**SITI, "nik": NIK_SITI, "consent": True})
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot)
        await type_into(pilot, "full_name", "Siti Aminah")
        screen.query_one("#consent", Switch).value = True
        await type_into(pilot, "nik", NIK_SITI)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DuplicateDialog))
        await pilot.click("#dup-save")  # no reason yet: refused
        await pilot.pause()
        assert isinstance(app.screen, DuplicateDialog)
        assert app.screen.query_one("#dup-reason-error").render()
        await type_into(pilot, "dup-reason", "KTP ganda, dicek ke dukcapil")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.store.count_records() == 2)
        new = next(r for r in app.session.store.list_records() if r["id"] != existing)
        assert "KTP ganda, dicek ke dukcapil" in new["notes"]
        assert existing[:8] in new["notes"]


async def test_similar_name_same_birth_date_same_desa(make_tui, ready_home) -> None:
    store_people(ready_home, SITI)
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot)
        await type_into(pilot, "full_name", "siti aminnah")
        await type_into(pilot, "birth_date", "5/7/1990")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DuplicateDialog))
        prompt = str(app.screen.query_one("#duplicates").get_option_at_index(0).prompt)
        assert "Siti Aminah" in prompt and "Nama mirip" in prompt
        await pilot.press("escape")  # cancel: back to the form, nothing saved
        await wait_for(pilot, lambda: app.screen is screen)
        assert app.session.store.count_records() == 1


async def test_save_and_next_keeps_household(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        first = await open_form(pilot)
        await type_into(pilot, "full_name", "Budi")
        first.query_one("#rw").value = ""
        await type_into(pilot, "rw", "7")
        await type_into(pilot, "street", "Jl. Mawar No. 5")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.session.store.count_records() == 1)
        await wait_for(
            pilot, lambda: isinstance(app.screen, RecordFormScreen) and app.screen is not first
        )
        second = await current_form(pilot)
        assert value(second, "full_name") == ""
        assert (value(second, "region_code"), value(second, "rw"), value(second, "rt")) == (
            "32.01.01.1001",
            "007",
            "002",
        )
        assert value(second, "street") == "Jl. Mawar No. 5"
        await type_into(pilot, "full_name", "Ani")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.session.store.count_records() == 2)
        streets = {r["street"] for r in app.session.store.list_records()}
        assert streets == {"Jl. Mawar No. 5"}


async def test_edit_makes_a_new_version_and_detects_lost_update(make_tui, ready_home) -> None:
    (rid,) = store_people(
        ready_home, {**SITI, "phone": "+6281234567890", "kpj_number": "12345678901"}
    )
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await edit_form(pilot, rid)
        assert value(screen, "full_name") == "Siti Aminah"
        assert value(screen, "phone") == "0812-3456-7890"
        screen.query_one("#phone").value = ""
        await type_into(pilot, "phone", "0813 1111 2222")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(app.session.store.record_versions(rid)) == 2)
        record = app.session.store.get_record(rid)
        assert record["phone"] == "+6281311112222"
        assert record["kpj_number"] == "12345678901"  # set centrally: an edit keeps it
        # Someone else saves while the form is open: the form must not undo that change.
        screen = await edit_form(pilot, rid)
        app.session.store.save_record({**record, "notes": "dari sinkronisasi"}, actor="sync")
        await type_into(pilot, "street", "Jl. Kenanga")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert translate("form.stale", "id") in str(screen.query_one("#form-message").render())
        assert app.session.store.get_record(rid)["notes"] == "dari sinkronisasi"
        assert value(screen, "street") == "Jl. Kenanga"


async def test_draft_survives_closing_the_app(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await open_form(pilot)
        await type_into(pilot, "full_name", "Siti Aminah")
        await type_into(pilot, "monthly_income", "2jt")
        await pilot.pause(DRAFT_DELAY + 0.5)  # written a second after the last key
        assert "2jt" in (app.session.store.get_meta(DRAFT_KEY) or "")
    store = unlocked_store(ready_home)
    try:
        assert "Siti Aminah" in (store.get_meta(DRAFT_KEY) or "")
        assert store.count_records() == 0
    finally:
        store.close()
    again = pinned(make_tui())
    async with again.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot)
        assert value(screen, "full_name") == "Siti Aminah"
        assert value(screen, "monthly_income") == "2jt"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(again.screen, DiscardDialog))
        await pilot.click("#discard-yes")
        await wait_for(
            pilot, lambda: not isinstance(again.screen, RecordFormScreen | DiscardDialog)
        )
        assert again.session.store.get_meta(DRAFT_KEY) is None
        assert again.session.store.count_records() == 0


async def test_calculator_equals_domain(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        screen = await open_form(pilot)
        await type_into(pilot, "monthly_income", "3jt")
        screen.query_one("#occupation", Select).value = "ojol"
        screen.query_one("#payment_period", Select).value = "3"
        await pilot.click("#program-JHT")
        await pilot.pause()
        panel = screen.query_one(ContributionPanel)
        expected = calculate(3_000_000, "JKK,JKM,JHT", 3, "ojol", on=TODAY)
        assert panel.result == expected
        shown = panel.text
        assert format_rupiah(expected.monthly_total) in shown
        assert format_rupiah(expected.period_total) in shown
        assert expected.first_due_date.strftime("%d/%m/%Y") in shown
        assert "PP 50/2025" in shown  # the ojol discount, named by its regulation
