"""F4 shows a new-person form built ahead at idle (a "spare"): it holds nobody's data and writes
no draft until it is taken; taken, it is exactly the form `RecordFormScreen()` would have been
(working area, defaults, an earlier draft restored), and the next spare is built later."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input

from outreach_tui.screens.form_draft import DRAFT_KEY
from outreach_tui.screens.record_form import RecordFormScreen
from tests.tui.conftest import SIZE, unlock, wait_for
from tests.tui.helpers_form import pinned
from tests.tui.test_typeahead import burst

pytestmark = pytest.mark.anyio


def _spare_ready(app) -> bool:
    spare = app._spare_form
    return spare is not None and spare.ready and spare.laid_out


async def test_f4_shows_the_spare_form_and_typing_lands_in_it(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: _spare_ready(app), timeout=30)
        spare = app._spare_form
        assert app.session.store.get_meta(DRAFT_KEY) is None  # built: no draft written
        burst(app, "<f4>", "Siti Aminah")
        await wait_for(pilot, lambda: app.screen is spare)
        await wait_for(pilot, lambda: spare.query_one("#full_name", Input).value == "Siti Aminah")
        assert not spare.spare and not spare.done
        assert spare.query_one("#region_code", Input).value == "32.01.01.1001"  # the area
        assert spare.query_one("#rw", Input).value == "003"
        # The next spare comes once the officer pauses; it is a new screen.
        await wait_for(pilot, lambda: _spare_ready(app), timeout=30)
        assert app._spare_form is not spare


async def test_the_spare_takes_the_draft_and_defaults_of_the_moment(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: _spare_ready(app), timeout=30)
        spare = app._spare_form
        # A draft left after the spare was built (by a form opened meanwhile, or a crash).
        values = dict(spare.initial, full_name="Rahmat Hidayat", phone="081234567890")
        draft = {"record_id": None, "version": None, "values": values, "from_nik": {}}
        app.session.store.set_meta(DRAFT_KEY, json.dumps(draft))
        burst(app, "<f4>")
        await wait_for(pilot, lambda: app.screen is spare)
        assert spare.query_one("#full_name", Input).value == "Rahmat Hidayat"
        assert spare.query_one("#phone", Input).value == "081234567890"
        burst(app, "<escape>")  # unsaved entries: the discard question
        await wait_for(pilot, lambda: app.screen is not spare)
        app.pop_screen()  # keep them: leave by F2 instead
        burst(app, "<f2>")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        saved = json.loads(app.session.store.get_meta(DRAFT_KEY))
        assert saved["values"]["full_name"] == "Rahmat Hidayat"
        # Save-and-next defaults (the household) reach a spare too.
        await wait_for(pilot, lambda: _spare_ready(app), timeout=30)
        app.session.store.set_meta(DRAFT_KEY, None)
        second = app._spare_form
        from outreach_tui import messages

        app.post_message(messages.NewRecord({"rt": "009", "street": "Jl. Pasar 3"}))
        await wait_for(pilot, lambda: app.screen is second)
        assert second.query_one("#rt", Input).value == "009"
        assert second.query_one("#street", Input).value == "Jl. Pasar 3"


async def test_a_spare_of_another_language_is_not_used(make_tui, ready_home) -> None:
    app = pinned(make_tui())
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: _spare_ready(app), timeout=30)
        spare = app._spare_form
        spare.built_lang = "xx"  # built before the officer switched language
        burst(app, "<f4>")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordFormScreen))
        assert app.screen is not spare
